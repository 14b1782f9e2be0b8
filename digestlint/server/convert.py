"""From digestlint's positions to the protocol's, and from texts to edits. No pygls, no I/O.

digestlint counts characters (code points) from 1; the Language Server Protocol counts
UTF-16 code units from 0 (`positionEncoding` utf-16, the one every client supports). A
character outside the Basic Multilingual Plane (an emoji) is one code point but two
UTF-16 units, so a column after it moves by one more.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from digestlint.model import Edit, every_line_start, line_index


def utf16_length(text: str) -> int:
    """How many UTF-16 code units `text` takes."""
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


@dataclass(frozen=True)
class Position:
    """A protocol position: 0-based line, 0-based UTF-16 column."""

    line: int
    character: int


@dataclass(frozen=True)
class TextEdit:
    """A protocol edit: replace the text between two positions with `new_text`."""

    start: Position
    end: Position
    new_text: str


class LineIndex:
    """Converts character offsets and (line, column) pairs of one text into protocol positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Every line start, including the empty line after a final newline: the end of the text is there.
        self.line_starts = every_line_start(text)

    def _line_of(self, offset: int) -> int:
        return line_index(self.line_starts, offset)

    def offset_position(self, offset: int) -> Position:
        """The position of a character offset."""
        offset = min(max(offset, 0), len(self.text))
        line = self._line_of(offset)
        start = self.line_starts[line]
        return Position(line, utf16_length(self.text[start:offset]))

    def column_position(self, line: int, column: int) -> Position:
        """The position of digestlint's 1-based line and 1-based character column."""
        index = min(max(line - 1, 0), len(self.line_starts) - 1)
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
        line_text = self.text[start:end]
        return Position(index, utf16_length(line_text[: max(column - 1, 0)]))

    def text_edits(self, edits: Sequence[Edit]) -> list[TextEdit]:
        """Offset edits (into this text) as protocol edits."""
        return [
            TextEdit(self.offset_position(edit.start), self.offset_position(edit.end), edit.replacement)
            for edit in sorted(edits, key=lambda edit: (edit.start, edit.end))
        ]


def minimal_edits(old: str, new: str) -> list[Edit]:
    """Offset edits that turn `old` into `new`, touching only the lines that differ.

    Lines are compared with their line endings; runs of changed lines become one edit each, so
    formatting one table row gives one edit for that row, and equal texts give none.
    """
    if old == new:
        return []
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits: list[Edit] = []
    for tag, old_first, old_last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(Edit(old_starts[old_first], old_starts[old_last], "".join(new_lines[new_first:new_last])))
    return edits


def apply_text_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply protocol edits to a text, as a client does (used by tests and the benchmark)."""
    index = LineIndex(text)

    def offset(position: Position) -> int:
        if position.line >= len(index.line_starts):
            return len(text)
        start = index.line_starts[position.line]
        units = 0
        cursor = start
        while units < position.character and cursor < len(text) and text[cursor] != "\n":
            units += 2 if ord(text[cursor]) > 0xFFFF else 1
            cursor += 1
        return cursor

    resolved = sorted(((offset(edit.start), offset(edit.end), edit.new_text) for edit in edits), reverse=True)
    for start, end, new_text in resolved:
        text = text[:start] + new_text + text[end:]
    return text
