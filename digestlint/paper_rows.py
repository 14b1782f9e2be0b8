"""Every paper row of a digest as a record, read in full or not: what `export` writes.

A check's records (`FileReport.records`) are those of the rows the layout reads in full. A
row it cannot (a stray pipe or a missing cell, so its cells do not line up with the columns;
a table whose header is only close to a layout) is still a paper: here it gets a record of
what can be read, with the findings that say why the rest cannot as its `problems`.

What can be read of a row whose cell count is off: each column is read from the left (the
cells before the surplus or missing one are in place) and from the right (those after it);
a value is kept when exactly one reading fits the column's pattern in the layout schema, or
both readings agree. Anything else is left empty rather than guessed: a misplaced author
list must never pass for a summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from digestlint.layouts import Layout, column_key
from digestlint.model import Cell, Row, Table, Violation
from digestlint.records import PaperRecord, build_record
from digestlint.rules.base import heading_date
from digestlint.settings import Settings

_UNREAD = Cell("", 0, 0)  # stands for a column that could not be told


@dataclass(frozen=True, slots=True)
class Problem:
    """Why (part of) a row could not be read: a finding's code and message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class PaperRow(PaperRecord):
    """A paper row's record; `problems` is empty when the row was read in full."""

    problems: tuple[Problem, ...] = ()


def paper_rows(text: str, path: str, settings: Settings) -> list[PaperRow]:
    """One record per paper row, in document order (see the module's docstring)."""
    from digestlint.checker import Check
    from digestlint.parse import parse

    document = parse(text, path, settings.layouts)
    check = Check(document, settings)
    result = check.result()
    if not result.is_digest:
        return []
    rows: list[PaperRow] = []
    for table in document.tables:
        layout = table.layout or (settings.layouts.close_to(table.columns) if settings.layouts else None)
        if layout is None:
            continue
        date = heading_date(table.heading.text) if table.heading else None
        header_problems = () if table.layout is not None else _problems(result.violations, table.header)
        order = _column_order(table, layout)
        for row in table.rows:
            whole = check.context.record(row) if table.layout is not None else None
            if whole is not None:
                rows.append(_with(whole, ()))
                continue
            cells = _cells(row, layout, order)
            record = build_record(path, date, layout, replace(row, cells=cells))
            assert record is not None  # the cells were made to match the layout's columns
            problems = header_problems
            if len(row.cells) != len(order):
                problems += _problems(result.violations, row)
                if any(spec.kind == "tag-list" and cell is _UNREAD for spec, cell in zip(layout.columns, cells)):
                    record = replace(record, classification=None)  # not read: unknown, not an empty list
            rows.append(_with(record, problems or _unlisted(row, table, layout, order)))
    return rows


def _with(record: PaperRecord, problems: tuple[Problem, ...]) -> PaperRow:
    values = {field.name: getattr(record, field.name) for field in fields(PaperRecord)}
    return PaperRow(**values, problems=problems)


def _problems(violations: Sequence[Violation], row: Row) -> tuple[Problem, ...]:
    return tuple(
        Problem(violation.code, violation.message)
        for violation in violations
        if row.first_line <= violation.line <= row.last_line
    )


def _unlisted(row: Row, table: Table, layout: Layout, order: list[int]) -> tuple[Problem, ...]:
    """The problem of a row read in part whose findings are not reported (ignored or suppressed)."""
    from digestlint.rules.structure import CellCount, UnknownLayout

    if len(row.cells) != len(order):
        message = f"{len(row.cells)} cells where layout {layout.name!r} has {len(layout.columns)} columns"
        return (Problem(CellCount.code, message),)
    # Every cell is there: what was not read exactly is the header, which is only close to the layout.
    header = "| " + " | ".join(table.columns) + " |"
    return (Problem(UnknownLayout.code, f"header {header} is close to layout {layout.name!r}; read by column"),)


def _column_order(table: Table, layout: Layout) -> list[int]:
    """For each layout column, the index of the table's column holding it: by name (case and spacing
    folded), else (the one misspelled column) by place."""
    places = {column_key(name): index for index, name in enumerate(table.columns)}
    return [places.get(column_key(column), index) for index, column in enumerate(layout.header)]


def _cells(row: Row, layout: Layout, order: list[int]) -> list[Cell]:
    """The row's cells in the layout's column order; a column that cannot be told is an empty cell."""
    found = row.cells
    if len(found) == len(order):
        return [found[index] for index in order]
    surplus = len(found) - len(order)
    cells: list[Cell] = []
    for index, spec in enumerate(layout.columns):
        readings = {
            cell.value: cell
            for place in (index, index + surplus)
            if 0 <= place < len(found)
            for cell in (found[place],)
            if _fits(layout, spec.name, cell.value)
        }
        cells.append(next(iter(readings.values())) if len(readings) == 1 else _UNREAD)
    return cells


def _fits(layout: Layout, column: str, value: str) -> bool:
    if not value:
        return False
    return not any(finding.column == column for finding in layout.validate({column: value}))
