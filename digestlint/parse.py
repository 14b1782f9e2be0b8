"""source text -> Document.

markdown-it-py finds the block structure (headings, fenced and indented code,
HTML blocks) with its table and inline rules switched off: that costs a small
fraction of a full parse, and real digest tables are too often broken for a
GFM table parser to accept them anyway. Table rows are then read from the
raw lines, so a row split over several lines by a newline inside a cell is
recognised and joined back into one logical row.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from digestlint.model import Cell, Document, Heading, Row, Suppression, Table, line_starts_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from digestlint.layouts import LayoutSet

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_DELIMITER_CHARS = frozenset("|-:= +\t")
_SUPPRESSION = re.compile(r"<!--\s*digestlint-(disable-next-line|disable-file|disable|enable)\b([^>]*?)-->")
_CODE = re.compile(r"^[A-Z]+[0-9]*$")


@cache
def _block_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    # Block structure only: inline parsing is most of markdown-it's cost and we read cells ourselves.
    parser.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return parser


def split_cells(text: str) -> tuple[list[Cell], bool, bool]:
    """Split a row's text at unescaped pipes: (cells, has leading pipe, has trailing pipe)."""
    if "\\" in text:
        bounds = [i for i, char in enumerate(text) if char == "|" and not _escaped(text, i)]
    else:
        bounds = [i for i, char in enumerate(text) if char == "|"]
    stripped_start = len(text) - len(text.lstrip())
    stripped_end = len(text.rstrip())
    leading = bool(bounds) and bounds[0] == stripped_start
    trailing = bool(bounds) and bounds[-1] == stripped_end - 1 and (not leading or len(bounds) > 1)
    edges = list(bounds)
    if not leading:
        edges.insert(0, stripped_start - 1)
    if not trailing:
        edges.append(stripped_end)
    cells = [Cell(text[a + 1 : b], a + 1, b) for a, b in itertools.pairwise(edges)]
    return cells, leading, trailing


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    index -= 1
    while index >= 0 and text[index] == "\\":
        backslashes += 1
        index -= 1
    return backslashes % 2 == 1


def is_delimiter_like(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and ("-" in stripped or "=" in stripped)
        and set(stripped) <= _DELIMITER_CHARS
        and ("|" in stripped or stripped.startswith("-"))
    )


def is_valid_delimiter(cells: Sequence[Cell]) -> bool:
    return bool(cells) and all(_DELIMITER_CELL.match(cell.raw) for cell in cells)


def _inside_link_target(text: str) -> bool:
    """True when `text` ends inside a `](...` link target, so a line break there is inside a URL."""
    opening = text.rfind("](")
    return opening != -1 and text.find(")", opening + 2) == -1


class _Lines:
    """The document's lines with their offsets; `\r` of CRLF endings is kept out of the text."""

    def __init__(self, text: str, line_starts: list[int]) -> None:
        self.text = text
        self.starts = line_starts
        self.count = len(line_starts)

    def span(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < self.count else len(self.text)
        # The last line keeps its "\n" here; it must go before the "\r" of a CRLF ending can be seen.
        if index + 1 == self.count and end > start and self.text[end - 1] == "\n":
            end -= 1
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def get(self, index: int) -> str:
        start, end = self.span(index)
        return self.text[start:end]


def parse(text: str, path: str = "<stdin>", layouts: LayoutSet | None = None) -> Document:
    line_starts = line_starts_of(text)
    document = Document(path=path, text=text, line_starts=line_starts)
    if "\r\n" in text:
        document.newline = "\r\n"
    if not text:
        return document
    lines = _Lines(text, line_starts)
    excluded, headings = _block_structure(text, lines)
    document.excluded_lines = frozenset(excluded)
    document.headings = headings
    if "digestlint-" in text:
        document.suppressions = _suppressions(lines)
    heading_lines = {heading.line - 1: heading for heading in headings}
    document.tables = _TableScanner(lines, excluded, heading_lines, layouts).scan()
    return document


def _block_structure(text: str, lines: _Lines) -> tuple[set[int], list[Heading]]:
    """0-based lines inside code/HTML blocks, and the headings (with 1-based lines)."""
    excluded: set[int] = set()
    headings: list[Heading] = []
    tokens = _block_parser().parse(text)
    for index, token in enumerate(tokens):
        if token.type in ("fence", "code_block", "html_block") and token.map:
            excluded.update(range(token.map[0], token.map[1]))
        elif token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            line = token.map[0]
            if token.markup in ("=", "-"):
                line = token.map[0]
            start, end = lines.span(line)
            headings.append(Heading(int(token.tag[1]), inline.content.strip(), line + 1, start, end))
    return excluded, headings


def _suppressions(lines: _Lines) -> list[Suppression]:
    found: list[Suppression] = []
    for index in range(lines.count):
        line = lines.get(index)
        if "digestlint-" not in line:
            continue
        for match in _SUPPRESSION.finditer(line):
            kind = {"disable-next-line": "next-line", "disable-file": "file"}.get(match[1], match[1])
            codes = tuple(code for code in re.split(r"[\s,]+", match[2].strip()) if _CODE.match(code))
            found.append(Suppression(kind, codes, index + 1))  # type: ignore[arg-type]
    return found


class _TableScanner:
    def __init__(
        self,
        lines: _Lines,
        excluded: set[int],
        headings: dict[int, Heading],
        layouts: LayoutSet | None,
    ) -> None:
        self.lines = lines
        self.excluded = excluded
        self.headings = headings
        self.layouts = layouts

    def _is_blank(self, index: int) -> bool:
        return not self.lines.get(index).strip()

    def _is_boundary(self, index: int) -> bool:
        return index >= self.lines.count or index in self.excluded or index in self.headings

    def _starts_with_pipe(self, index: int) -> bool:
        return self.lines.get(index).lstrip().startswith("|")

    def scan(self) -> list[Table]:
        tables: list[Table] = []
        heading: Heading | None = None
        index = 0
        count = self.lines.count
        while index < count:
            if index in self.headings:
                heading = self.headings[index]
                index += 1
                continue
            if index in self.excluded or "|" not in self.lines.get(index):
                index += 1
                continue
            table, index = self._table_at(index, heading)
            tables.append(table)
        return tables

    def _single_line_row(self, index: int) -> Row:
        start, end = self.lines.span(index)
        text = self.lines.text[start:end]
        cells, leading, trailing = split_cells(text)
        return Row(index + 1, index + 1, start, end, text, ((0, start),), cells, leading, trailing)

    def _table_at(self, index: int, heading: Heading | None) -> tuple[Table, int]:
        header = self._single_line_row(index)
        columns = tuple(cell.value for cell in header.cells)
        layout = self.layouts.detect(columns) if self.layouts else None
        index += 1
        delimiter: Row | None = None
        if index < self.lines.count and not self._is_boundary(index) and is_delimiter_like(self.lines.get(index)):
            delimiter = self._single_line_row(index)
            index += 1
        rows: list[Row] = []
        width = len(columns)
        while index < self.lines.count:
            if self._is_boundary(index):
                break
            if self._is_blank(index):
                # A blank line ends a GFM table; we read on when what follows is clearly more rows.
                after = index
                while after < self.lines.count and self._is_blank(after):
                    after += 1
                if (
                    after < self.lines.count
                    and not self._is_boundary(after)
                    and self._starts_with_pipe(after)
                    and not (after + 1 < self.lines.count and is_delimiter_like(self.lines.get(after + 1)))
                    and rows
                ):
                    index = after
                    continue
                break
            if not self._starts_with_pipe(index) and "|" not in self.lines.get(index):
                break
            row, index = self._row_at(index, width)
            rows.append(row)
        return Table(header, delimiter, rows, layout, heading, columns), index

    def _row_at(self, index: int, width: int) -> tuple[Row, int]:
        """Read one logical row starting at `index`, joining continuation lines."""
        lines = self.lines
        start, end = lines.span(index)
        logical = lines.text[start:end]
        pieces: list[tuple[int, int]] = [(0, start)]
        cells, leading, trailing = split_cells(logical)
        last = index
        while True:
            if trailing and len(cells) >= width:
                break
            following = last + 1
            while following < lines.count and self._is_blank(following) and following - last <= 2:
                following += 1
            if following >= lines.count or self._is_boundary(following) or self._is_blank(following):
                break
            skipped_blank = following > last + 1
            next_text = lines.get(following)
            if next_text.lstrip().startswith("|"):
                # A new row, unless this one is visibly unfinished and joining completes it exactly.
                if trailing or skipped_blank:
                    break
                candidate = self._join(logical, next_text)
                joined_cells, _, joined_trailing = split_cells(candidate[0])
                if not (joined_trailing and len(joined_cells) == width):
                    break
            elif skipped_blank and (
                (trailing and len(cells) >= width - 1) or (len(cells) >= width and not next_text.rstrip().endswith("|"))
            ):
                # Past a blank line, text after a row that has all its cells is a paragraph, unless it closes
                # the row with its trailing pipe (a blank line inside the last cell).
                break
            joined, stripped_leading = self._join(logical, next_text)
            next_start, _ = lines.span(following)
            pieces.append((len(joined) - len(next_text) + stripped_leading, next_start + stripped_leading))
            logical = joined
            cells, leading, trailing = split_cells(logical)
            last = following
        _, end = lines.span(last)
        return Row(index + 1, last + 1, start, end, logical, tuple(pieces), cells, leading, trailing), last + 1

    @staticmethod
    def _join(logical: str, next_text: str) -> tuple[str, int]:
        """Join a continuation line: no space inside a link target, else one space."""
        stripped = next_text.lstrip()
        stripped_leading = len(next_text) - len(stripped)
        head = logical.rstrip()
        if _inside_link_target(head) or (head.endswith("]") and stripped.startswith("(")):
            return head + stripped, stripped_leading
        return head + " " + stripped, stripped_leading
