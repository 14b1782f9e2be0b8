"""The canonical rendering of table rows: what `format` and `--fix` write.

Each layout records its generator's padding (one space each side, and for
`compact` none before the title cell's closing pipe), so a rebuilt row looks
exactly like a generated one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from digestlint.model import Applicability, Edit, Fix, Row

if TYPE_CHECKING:
    from digestlint.layouts import Layout


def paddings(layout: Layout | None, width: int) -> list[tuple[str, str]]:
    if layout is None or len(layout.columns) != width:
        return [(" ", " ")] * width
    return [(column.left, column.right) for column in layout.columns]


def render_row(values: Sequence[str], layout: Layout | None) -> str:
    """`| a | b |` from cell values, with the layout's padding."""
    pads = paddings(layout, len(values))
    return "|" + "|".join(f"{left}{value.strip()}{right}" for value, (left, right) in zip(values, pads)) + "|"


def canonical_gaps(row: Row, layout: Layout | None) -> list[tuple[int, int, str]]:
    """What `render_row` writes around the row's values, as (logical start, logical end, text) to replace.

    The rendering keeps each cell's value as it is; only the stretches between values (whitespace,
    pipes, empty cells) and before the first and after the last are rewritten.
    """
    gaps: list[tuple[int, int, str]] = []
    gap_start = 0
    pending = "|"
    for cell, (left, right) in zip(row.cells, paddings(layout, len(row.cells))):
        if not cell.value:
            pending += left + right + "|"
            continue
        gaps.append((gap_start, cell.value_start, pending + left))
        gap_start = cell.value_end
        pending = right + "|"
    gaps.append((gap_start, len(row.logical), pending))
    return gaps


def join_edits(row: Row, rewrites: Sequence[tuple[int, int, str]]) -> tuple[Edit, ...]:
    """Edits that put a split row on one line, its logical text with `rewrites` applied.

    `rewrites` are (logical start, logical end, replacement), sorted and not overlapping. Each line
    break outside them is an edit of its own, from the end of one line's text to the start of the
    next's, replaced by the separator the parser joined them with. The edits touch only what
    changes, so a fix inside one of the lines (a cell's) does not overlap them and applies in the
    same pass. One walk over the rewrites and the breaks together: a row split over many lines
    costs linear time.
    """
    breaks = row.line_breaks()
    sources = iter(row.to_sources([offset for start, end, _ in rewrites for offset in (start, end)]))
    edits: list[Edit] = []
    pending = 0  # the first line break not yet placed
    for start, end, replacement in rewrites:
        source_start, source_end = next(sources), next(sources)
        while pending < len(breaks) and breaks[pending][0] <= start:
            _, break_start, break_end, separator = breaks[pending]
            edits.append(Edit(break_start, break_end, separator))
            pending += 1
        spans_break = False
        while start < end and pending < len(breaks) and breaks[pending][0] <= end:
            spans_break = True  # the rewrite's source range takes the line break with it
            pending += 1
        if spans_break or row.logical[start:end] != replacement:
            edits.append(Edit(source_start, source_end, replacement))
    edits.extend(Edit(break_start, break_end, separator) for _, break_start, break_end, separator in breaks[pending:])
    edits.sort(key=lambda edit: (edit.start, edit.end))
    return tuple(edits)


def restyle_row(row: Row, layout: Layout | None, applicability: Applicability, message: str) -> Fix:
    """A fix giving a row, its values unchanged, the canonical rendering (joined onto one line if split).

    The same text as `rebuild_row(row, row.values(), ...)`, but as edits of only the pipes and padding
    that differ, so fixes inside its cells apply in the same pass instead of waiting for the next.
    """
    return Fix(join_edits(row, canonical_gaps(row, layout)), applicability, message)


def rebuild_row(
    row: Row, values: Sequence[str], layout: Layout | None, applicability: Applicability, message: str
) -> Fix:
    """A fix replacing a whole row with the canonical rendering of `values`."""
    return Fix((Edit(row.start, row.end, render_row(values, layout)),), applicability, message)


def padding_ok(raw: str, left: str, right: str, *, strict: bool) -> bool:
    """Whether a cell's raw text (between pipes) is padded canonically.

    Lenient: at least the canonical padding, made of spaces (generators leave
    extra spaces at cell edges, and a cell that has them is not rewritten).
    Strict (DL503): exactly the canonical padding.
    """
    value = raw.strip()
    if not value:
        return raw == left + right or (not strict and raw.strip(" ") == "" and len(raw) >= 1)
    lead = raw[: len(raw) - len(raw.lstrip())]
    trail = raw[len(raw.rstrip()) :]
    if strict:
        return lead == left and trail == right
    return lead.strip(" ") == "" and trail.strip(" ") == "" and len(lead) >= len(left) and len(trail) >= len(right)
