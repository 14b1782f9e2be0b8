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
