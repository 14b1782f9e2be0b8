"""The parsed form of a digest and the findings made on it.

Everything here is plain data: no I/O, no rule logic. Offsets are character
offsets into `Document.text`; lines and columns are 1-based and derived from
offsets on demand, so a span is only ever stored once.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from digestlint.layouts import Layout

Applicability = Literal["safe", "unsafe"]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace `text[start:end]` with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A fix is data: edits plus how sure we are that they are right.

    A finding read from the result cache has no edits: the cache keeps only what a report shows, and a
    file with a fix to apply is checked again before fixing.
    """

    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str

    @property
    def start(self) -> int:
        return min(edit.start for edit in self.edits)

    @property
    def end(self) -> int:
        return max(edit.end for edit in self.edits)


@dataclass(frozen=True, slots=True)
class Violation:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    message: str
    severity: Severity = Severity.ERROR
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int
    start: int
    end: int


@dataclass(slots=True)
class Cell:
    """One cell of a row: `raw` is everything between two pipes, `value` is it stripped.

    `start`/`end` delimit `raw` in the row's logical text; `value_start` is where
    `value` begins there.
    """

    raw: str
    start: int
    end: int
    # Worked out once: rules ask for them per finding, and stripping a long cell each time is quadratic.
    value: str = field(init=False, repr=False, compare=False)
    value_start: int = field(init=False, repr=False, compare=False)
    value_end: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.value = self.raw.strip()
        if self.value:
            self.value_start = self.start + self.raw.find(self.value[0])
            self.value_end = self.value_start + len(self.value)
        else:  # as `lstrip` and `rstrip` of a blank cell give them
            self.value_start = self.start + len(self.raw)
            self.value_end = self.start


@dataclass(slots=True)
class Row:
    """A table row; a split row spans several source lines and is read as one.

    `logical` is the row's text with its line breaks joined back together (a
    break inside a link target is removed, any other becomes one space).
    `pieces` maps logical offsets to source offsets: each entry is
    (logical_start, source_start) of a stretch copied verbatim.
    """

    first_line: int
    last_line: int
    start: int
    end: int
    logical: str
    pieces: tuple[tuple[int, int], ...]
    cells: list[Cell]
    leading_pipe: bool
    trailing_pipe: bool

    @property
    def is_split(self) -> bool:
        return self.last_line > self.first_line

    def to_source(self, logical_offset: int) -> int:
        """Map an offset in `logical` to an offset in the document text."""
        return self.to_sources((logical_offset,))[0]

    def to_sources(self, logical_offsets: Sequence[int]) -> list[int]:
        """`to_source` of many offsets, reading the pieces once."""
        starts = [piece[0] for piece in self.pieces]
        mapped: list[int] = []
        for logical_offset in logical_offsets:
            index = bisect.bisect_right(starts, logical_offset) - 1
            logical_start, source_start = self.pieces[max(index, 0)]
            mapped.append(source_start + (logical_offset - logical_start))
        return mapped

    def is_contiguous(self, logical_start: int, logical_end: int) -> bool:
        """True when a logical range was copied verbatim from one stretch of source."""
        starts = [piece[0] for piece in self.pieces]
        first = bisect.bisect_right(starts, logical_start) - 1
        last = bisect.bisect_right(starts, max(logical_end - 1, logical_start)) - 1
        return first == last

    def line_breaks(self) -> list[tuple[int, int, int, str]]:
        """Where the row's lines were joined: (logical offset, source start, source end, separator).

        The source range runs from the end of one line's text (right-stripped) to the start of the
        next line's (left-stripped), the line break and the spaces around it. In `logical` it became
        `separator` ("" or " "), which ends at the offset given. A joined line's text never ends in
        whitespace, so the separator is a space exactly when the logical text has one there.
        """
        breaks: list[tuple[int, int, int, str]] = []
        for (previous_logical, previous_source), (logical_start, source_start) in zip(self.pieces, self.pieces[1:]):
            separator = " " if self.logical[logical_start - 1] == " " else ""
            previous_end = previous_source + (logical_start - len(separator) - previous_logical)
            breaks.append((logical_start, previous_end, source_start, separator))
        return breaks

    def values(self) -> list[str]:
        return [cell.value for cell in self.cells]


@dataclass(slots=True)
class Table:
    header: Row
    delimiter: Row | None
    rows: list[Row]
    layout: Layout | None
    heading: Heading | None
    columns: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.header.start

    @property
    def end(self) -> int:
        if self.rows:
            return self.rows[-1].end
        return self.delimiter.end if self.delimiter else self.header.end


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline `<!-- digestlint-... -->` comment, already resolved to lines."""

    kind: Literal["next-line", "disable", "enable", "file"]
    codes: tuple[str, ...]  # every word after the directive, as written: one that names no rule matches nothing
    line: int
    # Where the comment is (`<!--` to just past `-->`) and where each of its words starts, as text offsets.
    start: int = 0
    end: int = 0
    offsets: tuple[int, ...] = ()


@dataclass(slots=True)
class Document:
    path: str
    text: str
    line_starts: list[int]
    headings: list[Heading] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    # Lines (1-based) that belong to fenced/indented code or HTML blocks: never table rows.
    excluded_lines: frozenset[int] = frozenset()
    newline: str = "\n"
    bom: bool = False

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        index = max(index, 0)
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


def every_line_start(text: str) -> list[int]:
    """Where each line starts, the empty line after a final newline included (an edit may insert there)."""
    starts = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return starts


def line_starts_of(text: str) -> list[int]:
    """Where each line starts, without the empty line after a final newline: the lines findings number."""
    starts = every_line_start(text)
    if starts[-1] == len(text) and len(starts) > 1:
        starts.pop()
    return starts


def line_index(starts: Sequence[int], offset: int) -> int:
    """The 0-based index of the line holding character `offset`, given where the lines start."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def fold_whitespace(text: str) -> str:
    return " ".join(text.split())


def join_codes(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def source_lines(text: str) -> list[str]:
    """The text's lines as findings number them: split at `\n` only (not at the form feeds, U+2028
    and other breaks `str.splitlines` also splits at), without a line's trailing `\r`."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines
