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
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING

from digestlint.model import Cell, Document, Heading, Row, Suppression, Table, line_starts_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from digestlint.layouts import LayoutSet

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_DELIMITER_CHARS = frozenset("|-:= +\t")
# Matched against the text between `<!--` and the next `-->`, found with str.find:
# a regex spanning both would rescan the rest of the line from every unclosed `<!--`.
_SUPPRESSION = re.compile(r"digestlint-(disable-next-line|disable-file|disable|enable)\b([^>]*)")
_CODE = re.compile(r"^[A-Z]+[0-9]*$")
_LONE_CR = re.compile(r"\r(?!\n)")
# A row split over more lines than this is not one row: joining stops there (and the cost stays linear).
MAX_ROW_LINES = 100


@cache
def _block_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    # Block structure only: inline parsing is most of markdown-it's cost and we read cells ourselves.
    parser.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return parser


def split_cells(text: str) -> tuple[list[Cell], bool, bool]:
    """Split a row's text at unescaped pipes: (cells, has leading pipe, has trailing pipe)."""
    bounds = unescaped_pipes(text)
    stripped_start = len(text) - len(text.lstrip())
    stripped_end = len(text.rstrip())
    leading, trailing = _pipe_ends(bounds, stripped_start, stripped_end)
    edges = list(bounds)
    if not leading:
        edges.insert(0, stripped_start - 1)
    if not trailing:
        edges.append(stripped_end)
    cells = [Cell(text[a + 1 : b], a + 1, b) for a, b in itertools.pairwise(edges)]
    return cells, leading, trailing


def unescaped_pipes(text: str, start: int = 0) -> list[int]:
    """Offsets of the pipes in `text[start:]` not escaped by a backslash (str.find, not a per-character loop)."""
    bounds: list[int] = []
    check_escapes = "\\" in text
    position = text.find("|", start)
    while position != -1:
        if not (check_escapes and _escaped(text, position)):
            bounds.append(position)
        position = text.find("|", position + 1)
    return bounds


def _pipe_ends(bounds: Sequence[int], stripped_start: int, stripped_end: int) -> tuple[bool, bool]:
    """(leading pipe, trailing pipe) of a row whose unescaped pipes are `bounds`."""
    leading = bool(bounds) and bounds[0] == stripped_start
    trailing = bool(bounds) and bounds[-1] == stripped_end - 1 and (not leading or len(bounds) > 1)
    return leading, trailing


def _cell_count(bounds: Sequence[int], leading: bool, trailing: bool) -> int:
    """How many cells `split_cells` makes of a row with these pipes."""
    return len(bounds) + 1 - leading - trailing


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
        and "-" in stripped
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
        if index + 1 == self.count and end > start and self.text[end - 1] == "\n":
            end -= 1  # the last line's own newline; its `\r` goes next
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
        for match in _suppression_matches(line):
            kind = {"disable-next-line": "next-line", "disable-file": "file"}.get(match[1], match[1])
            codes = tuple(code for code in re.split(r"[\s,]+", match[2].strip()) if _CODE.match(code))
            found.append(Suppression(kind, codes, index + 1))  # type: ignore[arg-type]
    return found


def _suppression_matches(line: str) -> Iterator[re.Match[str]]:
    """Each `<!-- digestlint-... -->` on a line, left to right, without overlaps.

    Linear: the `-->` found for one `<!--` is reused for the openings before
    it, so a line of unclosed openings is not rescanned from each of them.
    """
    closing = -1
    opening = line.find("<!--")
    while opening != -1:
        if closing < opening + 4:
            closing = line.find("-->", opening + 4)
            if closing == -1:
                return
        body = opening + 4
        while body < closing and line[body].isspace():
            body += 1
        match = _SUPPRESSION.fullmatch(line, body, closing)
        if match is not None:
            yield match
            opening = line.find("<!--", closing + 3)
        else:
            opening = line.find("<!--", opening + 1)


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
        """Read one logical row starting at `index`, joining continuation lines.

        At most MAX_ROW_LINES lines make one row, and the pipes of the joined
        text are tracked as lines are added rather than found again, so a
        hostile row costs time linear in its length.
        """
        lines = self.lines
        start, end = lines.span(index)
        logical = lines.text[start:end]
        pieces: list[tuple[int, int]] = [(0, start)]
        bounds = unescaped_pipes(logical)
        stripped_start = len(logical) - len(logical.lstrip())
        leading, trailing = _pipe_ends(bounds, stripped_start, len(logical.rstrip()))
        last = index
        while last - index + 1 < MAX_ROW_LINES:
            if trailing and _cell_count(bounds, leading, trailing) >= width:
                break
            following = last + 1
            while following < lines.count and self._is_blank(following) and following - last <= 2:
                following += 1
            if following >= lines.count or self._is_boundary(following) or self._is_blank(following):
                break
            skipped_blank = following > last + 1
            next_text = lines.get(following)
            joined, stripped_leading = self._join(logical, next_text)
            added = len(joined) - len(next_text) + stripped_leading  # where the new line's text starts
            joined_bounds = bounds + unescaped_pipes(joined, added)
            joined_leading, joined_trailing = _pipe_ends(joined_bounds, stripped_start, len(joined.rstrip()))
            if next_text.lstrip().startswith("|"):
                # A new row, unless this one is visibly unfinished and joining completes it exactly.
                if trailing or skipped_blank:
                    break
                if not (joined_trailing and _cell_count(joined_bounds, joined_leading, joined_trailing) == width):
                    break
            elif trailing and _cell_count(bounds, leading, trailing) >= width - 1 and skipped_blank:
                break
            next_start, _ = lines.span(following)
            pieces.append((added, next_start + stripped_leading))
            logical, bounds, leading, trailing = joined, joined_bounds, joined_leading, joined_trailing
            last = following
        cells, leading, trailing = split_cells(logical)
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
