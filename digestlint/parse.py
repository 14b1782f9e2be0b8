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

from digestlint.block_source import block_source, plain_blocks
from digestlint.model import Cell, Document, Heading, Row, Suppression, Table, line_starts_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from digestlint.layouts import LayoutSet

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_DELIMITER_CHARS = frozenset("|-:= +\t")
# Matched against one comment's text at a time (found with str.find), so a line of many unclosed
# `<!--` openers costs linear time rather than a rescan from each of them.
_SUPPRESSION = re.compile(r"digestlint-(disable-next-line|disable-file|disable|enable)\b([^>]*)")
_WORD = re.compile(r"[^\s,]+")
_LONE_CR = re.compile(r"\r(?!\n)")


@cache
def _block_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    # Block structure only: inline parsing is most of markdown-it's cost and we read cells ourselves.
    parser.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return parser


def split_cells(text: str) -> tuple[list[Cell], bool, bool]:
    """Split a row's text at unescaped pipes: (cells, has leading pipe, has trailing pipe)."""
    stripped_start = len(text) - len(text.lstrip())
    return _cells_at(text, unescaped_pipes(text), stripped_start, len(text.rstrip()))


def unescaped_pipes(text: str, preceding_backslashes: int = 0) -> list[int]:
    """Offsets of the pipes in `text` not escaped by a backslash.

    `preceding_backslashes` is the run of backslashes just before `text` when it
    continues a longer text. `str.find` jumps from pipe to pipe, so a long cell
    costs C speed, not a Python step per character.
    """
    positions: list[int] = []
    find = text.find
    index = find("|")
    if not preceding_backslashes and "\\" not in text:
        while index != -1:
            positions.append(index)
            index = find("|", index + 1)
        return positions
    while index != -1:
        if not _escaped(text, index, preceding_backslashes):
            positions.append(index)
        index = find("|", index + 1)
    return positions


def _cells_at(text: str, bounds: list[int], stripped_start: int, stripped_end: int) -> tuple[list[Cell], bool, bool]:
    leading, trailing = _pipe_edges(bounds, stripped_start, stripped_end)
    edges = list(bounds)
    if not leading:
        edges.insert(0, stripped_start - 1)
    if not trailing:
        edges.append(stripped_end)
    cells = [Cell(text[a + 1 : b], a + 1, b) for a, b in itertools.pairwise(edges)]
    return cells, leading, trailing


def _pipe_edges(bounds: Sequence[int], stripped_start: int, stripped_end: int) -> tuple[bool, bool]:
    """(leading pipe, trailing pipe) of a row whose unescaped pipes are `bounds`."""
    leading = bool(bounds) and bounds[0] == stripped_start
    trailing = bool(bounds) and bounds[-1] == stripped_end - 1 and (not leading or len(bounds) > 1)
    return leading, trailing


def _cell_count(bounds: Sequence[int], stripped_start: int, stripped_end: int) -> tuple[int, bool]:
    """(number of cells, trailing pipe) that `_cells_at` would give, without building the cells."""
    leading, trailing = _pipe_edges(bounds, stripped_start, stripped_end)
    return len(bounds) - 1 + (not leading) + (not trailing), trailing


def _escaped(text: str, index: int, preceding_backslashes: int = 0) -> bool:
    backslashes = 0
    index -= 1
    while index >= 0 and text[index] == "\\":
        backslashes += 1
        index -= 1
    if index < 0:
        backslashes += preceding_backslashes
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
    if "\r" in text:
        # markdown-it counts a lone `\r` as a line break; our lines end at `\n` only. A space keeps both
        # agreeing on line numbers (and offsets) without changing what any line holds.
        text = _LONE_CR.sub(" ", text)
    plain = plain_blocks(text)
    if plain is not None:  # paragraphs and `#` headings only, like nearly every digest: no parser needed
        for line, level, content in plain:
            start, end = lines.span(line)
            headings.append(Heading(level, content, line + 1, start, end))
        return excluded, headings
    source = block_source(text)
    tokens = _block_parser().parse(source.text)
    for index, token in enumerate(tokens):
        if token.type in ("fence", "code_block", "html_block") and token.map:
            excluded.update(range(*source.original(token.map[0], token.map[1])))
        elif token.type == "heading_open" and token.map:
            inline = tokens[index + 1]
            line = source.original(token.map[0], token.map[1])[0]
            start, end = lines.span(line)
            headings.append(Heading(int(token.tag[1]), inline.content.strip(), line + 1, start, end))
    return excluded, headings


def _suppressions(lines: _Lines) -> list[Suppression]:
    found: list[Suppression] = []
    for index in range(lines.count):
        line_start, line_end = lines.span(index)
        line = lines.text[line_start:line_end]
        if "digestlint-" not in line:
            continue
        position = line.find("<!--")
        while position != -1:
            close = line.find("-->", position + 4)
            if close == -1:
                break  # no later comment on this line can close either
            body = line[position + 4 : close].lstrip()  # comments do not overlap: linear in the line
            match = _SUPPRESSION.fullmatch(body)
            if match is not None:
                kind = {"disable-next-line": "next-line", "disable-file": "file"}.get(match[1], match[1])
                # Every word counts, known or not: a mistyped code must silence nothing (and DL190 says so),
                # never be dropped, which would leave a comment that silences everything.
                words_at = line_start + (close - len(body)) + match.start(2)
                words = [(word.group(), words_at + word.start()) for word in _WORD.finditer(match[2])]
                codes = tuple(word for word, _ in words)
                offsets = tuple(offset for _, offset in words)
                comment = Suppression(kind, codes, index + 1, line_start + position, line_start + close + 3, offsets)  # type: ignore[arg-type]
                found.append(comment)
            position = line.find("<!--", close + 3)
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
        row_text = _RowText(lines.text[start:end])
        pieces: list[tuple[int, int]] = [(0, start)]
        last = index
        while True:
            count, trailing = row_text.cell_count()
            if trailing and count >= width:
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
                joined_count, joined_trailing = row_text.cell_count_with(next_text)
                if not (joined_trailing and joined_count == width):
                    break
            elif skipped_blank and (
                (trailing and count >= width - 1) or (count >= width and not next_text.rstrip().endswith("|"))
            ):
                # Past a blank line, text after a row that has all its cells is a paragraph, unless it closes
                # the row with its trailing pipe (a blank line inside the last cell).
                break
            next_start, _ = lines.span(following)
            offset, stripped_leading = row_text.append(next_text)
            pieces.append((offset, next_start + stripped_leading))
            last = following
        _, end = lines.span(last)
        logical = row_text.text()
        cells, leading, trailing = _cells_at(logical, row_text.bounds, row_text.stripped_start, row_text.stripped_end)
        return Row(index + 1, last + 1, start, end, logical, tuple(pieces), cells, leading, trailing), last + 1


class _RowText:
    """A row's logical text, joined line by line in linear time.

    Joining a continuation line rstrips the text so far, adds no space inside a
    link target (else one space) and the line lstripped. Re-joining and
    re-splitting the whole text at every line would be quadratic in a row split
    over many lines, so the pipes, the link-target state and the trailing
    backslashes are kept up to date from each new line alone.
    """

    def __init__(self, first: str) -> None:
        self.parts = [first]
        self.bounds = unescaped_pipes(first)
        self.stripped_start = len(first) - len(first.lstrip())
        body = first.rstrip()
        self.stripped_end = len(body)
        self.in_link_target = _inside_link_target(body)
        self.last_char = body[-1:]
        self.backslashes = len(body) - len(body.rstrip("\\"))

    def cell_count(self) -> tuple[int, bool]:
        return _cell_count(self.bounds, self.stripped_start, self.stripped_end)

    def _joint(self, next_text: str) -> tuple[str, str, list[int]]:
        """(separator, stripped line, its unescaped pipes relative to it) for joining `next_text`."""
        stripped = next_text.lstrip()
        glued = self.in_link_target or (self.last_char == "]" and stripped.startswith("("))
        separator = "" if glued else " "
        return separator, stripped, unescaped_pipes(stripped, self.backslashes if glued else 0)

    def cell_count_with(self, next_text: str) -> tuple[int, bool]:
        """What `cell_count` would be after appending `next_text`, without appending it."""
        separator, stripped, pipes = self._joint(next_text)
        offset = self.stripped_end + len(separator)
        bounds = self.bounds + [offset + pipe for pipe in pipes]
        return _cell_count(bounds, self.stripped_start, offset + len(stripped.rstrip()))

    def append(self, next_text: str) -> tuple[int, int]:
        """Join a continuation line; return (its logical offset, the whitespace stripped before it)."""
        separator, stripped, pipes = self._joint(next_text)
        self.parts[-1] = self.parts[-1].rstrip()
        offset = self.stripped_end + len(separator)
        self.parts.append(separator + stripped)
        self.bounds.extend(offset + pipe for pipe in pipes)
        body = stripped.rstrip()
        scanned = self.last_char + separator + body
        opening = scanned.rfind("](")
        if opening != -1:
            self.in_link_target = scanned.find(")", opening + 2) == -1
        elif self.in_link_target:
            self.in_link_target = ")" not in scanned
        run = len(body) - len(body.rstrip("\\"))
        self.backslashes = run + self.backslashes if run == len(body) and not separator else run
        self.stripped_end = offset + len(body)
        self.last_char = body[-1:] or self.last_char
        return offset, len(next_text) - len(stripped)

    def text(self) -> str:
        return "".join(self.parts)
