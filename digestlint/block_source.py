"""The text markdown-it reads to find block structure: the table rows cut out of it.

markdown-it-py pays a Python step per character before it looks at a single
block (`StateBlock.__init__` measures every line's indent char by char), and
then a dozen block rules per line; in a digest nearly every character and
line is a table row. The parser only needs the block structure (code, HTML
blocks, headings), and with tables off a line whose first character (after
spaces and tabs) cannot start a block (a `|`, a letter, most punctuation, but
not `>`, `-`, `+`, `*`, `_`, `#`, a backtick, `~`, `<`, `=`, `[`, or digits
that make an ordered list marker like `1.` or `12)`)
neither opens nor closes one: it is text in whatever block it is in, whatever
follows that first character. So
each such line is cut to its indentation and that character, and a run of
such lines with the same indentation is read as one line. The block
structure is the same, mapped back to the original lines, and the parse
costs per block instead of per character.

A line keeps its text, and its own line, where the rest of it could matter:
- when the document could have an HTML block, a line with `>` in it (every
  end condition of HTML blocks 1-5 contains `>`);
- in a paragraph run (lines between blank lines) that could be a setext
  heading's text or a link reference definition, whose content and extent
  depend on the words of the lines;
and a text with a lone carriage return (a line break to markdown-it, not
to us) is parsed whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTAINER_MARKS = " \t>*+-0123456789.)"
# First characters of a line that can start or end a block (with tables off), or change its indentation.
_BLOCK_MARKS = frozenset(" \t\r>-+*_#`~<=[")
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?:[ \t\r]|$)")
# A line that could open an HTML block once container marks (`> `, `- `, `1. `) are read.
_HTML_START = re.compile(r"^[ \t>*+\-0-9.)]*<", re.MULTILINE)


@dataclass(frozen=True)
class BlockSource:
    """The reduced text, and the original line where each of its lines starts (None: not reduced)."""

    text: str
    line_starts: list[int] | None = None
    line_count: int = 0

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Map a markdown-it line range [start, end) of `text` to the original lines."""
        starts = self.line_starts
        if starts is None:
            return start, end
        return starts[start], starts[end] if end < len(starts) else self.line_count


def _blank(line: str) -> bool:
    return not line.strip(" \t\r")


def _risky(line: str) -> bool:
    """Could this line make its paragraph run a setext heading or a link reference definition?"""
    rest = line.strip(_CONTAINER_MARKS + "=\r")
    if not rest and ("-" in line or "=" in line):
        return True  # a setext underline (or something like one)
    return line.lstrip(_CONTAINER_MARKS).startswith("[")


def block_source(text: str) -> BlockSource:
    """`text` with the lines that cannot change its block structure cut down and merged."""
    if text.count("\r") != text.count("\r\n"):
        return BlockSource(text)
    html_possible = _HTML_START.search(text) is not None
    lines = text.split("\n")
    reducer = _Reducer(html_possible)
    run_start = 0
    risky = False
    for index, line in enumerate(lines):
        if _blank(line):
            reducer.add_run(lines, run_start, index, risky)
            reducer.keep(line, index)
            run_start, risky = index + 1, False
        elif not risky and _risky(line):
            risky = True
    reducer.add_run(lines, run_start, len(lines), risky)
    return BlockSource("\n".join(reducer.out), reducer.starts, len(lines))


class _Reducer:
    def __init__(self, html_possible: bool) -> None:
        self.html_possible = html_possible
        self.out: list[str] = []
        self.starts: list[int] = []
        self.merging: str | None = None  # the reduced form of the line being merged into, if any

    def keep(self, line: str, index: int) -> None:
        self.out.append(line)
        self.starts.append(index)
        self.merging = None

    def add_run(self, lines: list[str], start: int, end: int, risky: bool) -> None:
        if risky:
            for index in range(start, end):
                self.keep(lines[index], index)
            return
        for index in range(start, end):
            line = lines[index]
            body = line.lstrip(" \t")
            first = body[:1]
            if (
                not first
                or first in _BLOCK_MARKS
                or (first.isdigit() and _ORDERED_MARKER.match(body))
                or (self.html_possible and ">" in body)
            ):
                self.keep(line, index)
                continue
            reduced = line[: len(line) - len(body)] + first + ("\r" if line.endswith("\r") else "")
            if reduced != self.merging:
                self.keep(reduced, index)
                self.merging = reduced


_ATX_HEADING = re.compile(r"(#{1,6})(?:[ \t]|$)")


def plain_blocks(text: str) -> list[tuple[int, int, str]] | None:
    """The headings (0-based line, level, text) of a text of paragraphs, blank lines and `#` headings only.

    That is what a digest is, and then the block structure needs no parser:
    there is no code or HTML block, and every heading is an ATX heading, read
    as markdown-it reads it (closing `#`s cut when a space precedes them).
    Lists of plain text may be there (a split summary puts `- The ...` at the
    start of a line). None when any line could be something else: indented
    four spaces or by a tab, or starting with a character that can start
    another block.
    """
    if "\0" in text or text.count("\r") != text.count("\r\n"):
        return None
    headings: list[tuple[int, int, str]] = []
    for index, line in enumerate(text.split("\n")):
        line = line.removesuffix("\r")  # noqa: PLW2901 - CRLF, as markdown-it normalises it
        body = line.lstrip(" ")
        first = body[:1]
        if not body.strip(" \t"):
            continue  # blank
        if len(line) - len(body) > 3 or first == "\t":
            return None  # indented code, or an indent that needs tab stops
        if first == "#":
            match = _ATX_HEADING.match(body)
            if match is not None:
                headings.append((index, len(match[1]), _heading_text(body[match.end(1) :])))
            continue  # a heading, or paragraph text like `#tag`
        could_start_a_block = first in _BLOCK_MARKS or (first.isdigit() and _ORDERED_MARKER.match(body))
        if could_start_a_block and not _list_item_of_text(body):
            return None
    return headings


_LIST_ITEM = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])( {1,4})(?=[^ ])")


def _list_item_of_text(body: str) -> bool:
    """A list item whose content is plain text, like a summary's `- The paper ...` cut onto its own line.

    It may open a list, but a list item holds no code unless indented four
    more than its content (more than any line of a plain text), so the
    block structure keeps no other lines.
    """
    match = _LIST_ITEM.match(body)
    if match is None:
        return False
    first = body[match.end() : match.end() + 1]
    return first not in _BLOCK_MARKS and not (first.isdigit() and _ORDERED_MARKER.match(body, match.end()))


def _heading_text(rest: str) -> str:
    """An ATX heading's text: markdown-it cuts trailing spaces, then a closing `#` run preceded by a space."""
    body = rest.rstrip(" \t")
    trimmed = body.rstrip("#")
    if trimmed and trimmed[-1] in " \t":
        body = trimmed
    return body.strip()
