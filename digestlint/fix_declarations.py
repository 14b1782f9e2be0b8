"""Which record fields the applied fixes may change, row by row, for the fixer's safety net.

A rule declares the fields its fix may change (`fix_changes`: DL302's fix changes a
row's classification, DL204's moves a URL between its link fields, DL403's sets a
section's date). The declaration holds for what the fix edited, not for the whole
file: a DL302 fix on one row does not let a classification change on another row
through. A fix whose edit lies in a row declares for that row; one whose edit lies in
a table's heading (DL403) declares for the rows under that heading; any other edit
declares for every row (nothing narrower is known).

Rows are numbered in document order, as the safety net compares them. Fixes apply
over several passes, each on the text the previous pass left: an edit is placed in
the rows of the document it was made for. A pass whose document does not have the
original number of rows cannot be mapped to the original rows, so its declarations
hold for every row (the net refuses a fix that changes the number of rows anyway).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from digestlint.model import Document, Fix, Row


@dataclass
class Declared:
    """The fields fixes declared, per row index (document order), and for every row."""

    by_row: dict[int, frozenset[str]] = field(default_factory=dict)
    everywhere: frozenset[str] = frozenset()

    def for_row(self, index: int) -> frozenset[str]:
        """The fields row `index` may differ in."""
        return self.everywhere | self.by_row.get(index, frozenset())

    def note(self, document: Document, fixes: Iterable[tuple[frozenset[str], Fix]], row_count: int) -> None:
        """Record what `fixes` (with the fields each declares), made for `document`, may change."""
        declaring = [(changes, fix) for changes, fix in fixes if changes]
        if not declaring:
            return
        rows = [row for table in document.tables for row in table.rows]
        mapped = len(rows) == row_count
        starts = [row.start for row in rows]
        for changes, fix in declaring:
            for edit in fix.edits:
                indexes = _rows_of(document, rows, starts, edit.start, edit.end) if mapped else None
                if indexes is None:
                    self.everywhere |= changes
                    continue
                for index in indexes:
                    self.by_row[index] = self.by_row.get(index, frozenset()) | changes


def _rows_of(document: Document, rows: list[Row], starts: list[int], start: int, end: int) -> list[int] | None:
    """The rows an edit of [start, end) belongs to: its row, or the rows under the heading it edits;
    None when it lies in neither."""
    index = bisect.bisect_right(starts, start) - 1
    if index >= 0 and end <= rows[index].end:
        return [index]
    first = 0
    found: list[int] = []
    for table in document.tables:
        heading = table.heading
        if heading is not None and heading.start <= start and end <= heading.end:
            found.extend(range(first, first + len(table.rows)))
        first += len(table.rows)
    return found or None
