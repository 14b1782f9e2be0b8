"""DL5xx: the canonical form of a digest. Formatting is a fix like any other.

`digestlint format` applies exactly these fixes, so `format` and `--fix`
cannot disagree. Only rows that are not canonical are rewritten; a rewritten
row gets its layout's padding (one space each side; for `compact`, none
before the title cell's closing pipe). A header is always padded with one
space each side, as the generators write it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from digestlint.model import Edit, Fix, Row, Table, Violation
from digestlint.render import padding_ok, paddings, restyle_row
from digestlint.rules.base import Context, Rule

if TYPE_CHECKING:
    from digestlint.layouts import Layout

_WHITESPACE_RUN = re.compile(r"[ \t]{2,}|\t")


def _row_issue(row: Row, layout: Layout | None, *, strict: bool) -> str | None:
    """What keeps a one-line row from being canonical, or None."""
    text = row.logical
    if not row.leading_pipe:
        return "has no leading pipe"
    if not row.trailing_pipe:
        return "has no trailing pipe"
    if text != text.strip():
        return "has whitespace outside its pipes"
    for cell, (left, right) in zip(row.cells, paddings(layout, len(row.cells))):
        if not padding_ok(cell.raw, left, right, strict=strict):
            return "has cells not padded with " + ("exactly one space" if strict else "spaces")
    return None


def _formattable_rows(table: Table) -> Iterator[tuple[Row, Layout | None]]:
    """(row, layout whose padding it takes) for rows the formatter may rebuild: one line, right cell count.

    The header takes plain padding: a layout's padding (compact's title cell) is for its paper rows.
    """
    width = len(table.columns)
    yield table.header, None
    for row in table.rows:
        if not row.is_split and len(row.cells) == width:
            yield row, table.layout


class RowFormat(Rule):
    """A table row not in canonical form.

    Canonical: one row per line, a leading and a trailing pipe, nothing outside
    them, and every cell padded with at least its layout's padding (spaces).
    Extra spaces at cell edges, as generators leave them, are fine.

    Why it matters: one spelling of every row keeps diffs quiet, and text
    outside the pipes is easy to miss when reading the file.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author |Summary

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | Summary |

    Fix safety: always safe: the row is rebuilt with the layout's padding, and no
    cell's text changes.
    """

    code = "DL501"
    formatting = True
    name = "row-format"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for table in context.document.tables:
            for row, layout in _formattable_rows(table):
                issue = _row_issue(row, layout, strict=False)
                if issue is None:
                    continue
                fix = restyle_row(row, layout, "safe", "rebuild the row")
                yield context.violation(self, row.start, row.end, f"row {issue}; rebuild it as `| cell | cell |`", fix)


class DelimiterFormat(Rule):
    """A delimiter row that is valid but not the one the layout's generator writes.

    Each layout records its generator's delimiter row.

    Why it matters: one delimiter row for every table of a layout keeps diffs quiet.

    Example (a `compact` table):

        |---|---|---|

    Correction:

        |-------|---------|---------|

    Fix safety: always safe: the layout's delimiter row is written; it renders
    the same table.
    """

    code = "DL502"
    formatting = True
    name = "delimiter-format"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        from digestlint.parse import is_valid_delimiter

        for table in context.document.tables:
            delimiter, layout = table.delimiter, table.layout
            if layout is None or delimiter is None or delimiter.logical == layout.delimiter:
                continue
            if not is_valid_delimiter(delimiter.cells) or len(delimiter.cells) != len(table.columns):
                continue  # DL105
            fix = Fix((Edit(delimiter.start, delimiter.end, layout.delimiter),), "safe", "write the layout's delimiter")
            yield context.violation(
                self,
                delimiter.start,
                delimiter.end,
                f"delimiter row differs from the {layout.name} layout's; write {layout.delimiter}",
                fix,
            )


class StrictPadding(Rule):
    """(Off by default.) A cell padded with anything but exactly its layout's padding.

    For archives that want one strict form: every cell `| value |` with one
    space each side (compact titles: none before the closing pipe).

    Why it matters: with one exact form, any two generators write byte-identical
    rows, and diffs show only real changes.

    Example:

        |  - The summary.   |

    Correction:

        | - The summary. |

    Fix safety: always safe: the row is rebuilt with exact padding, and no
    cell's text changes.
    """

    code = "DL503"
    formatting = True
    name = "strict-padding"
    default_enabled = False
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for table in context.document.tables:
            for row, layout in _formattable_rows(table):
                if _row_issue(row, layout, strict=False) is not None:
                    continue  # DL501
                if _row_issue(row, layout, strict=True) is None:
                    continue
                fix = restyle_row(row, layout, "safe", "pad exactly")
                yield context.violation(self, row.start, row.end, "cells are not padded with exactly one space", fix)


class BlankLines(Rule):
    """Blank lines out of place: between a heading and its table, inside a table, at the end.

    Canonical: a heading, one blank line, the table; no blank line between rows;
    exactly one newline at the end of the file. Blank lines at the start of the
    file are kept.

    Why it matters: a blank line between rows ends the table in Markdown, so
    the rows after it render as text.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |

        | [U](https://arxiv.org/abs/2410.17244) | B. Author | The summary. |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |
        | [U](https://arxiv.org/abs/2410.17244) | B. Author | The summary. |

    Fix safety: always safe: only blank lines are added or removed, never text, so what the
    table holds is unchanged.
    """

    code = "DL504"
    formatting = True
    name = "blank-lines"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        document = context.document
        text = document.text
        newline = document.newline
        for table in document.tables:
            heading = table.heading
            if heading is not None and heading.end <= table.start:
                between = text[heading.end : table.start]
                if between.strip() == "" and between.count("\n") != 2:
                    blank = between.count("\n") - 1
                    yield context.violation(
                        self,
                        table.start,
                        table.header.end,
                        f"{blank} blank lines between the heading and its table; use one",
                        Fix((Edit(heading.end, table.start, newline * 2),), "safe", "one blank line"),
                    )
            previous = table.delimiter or table.header
            for row in table.rows:
                gap = text[previous.end : row.start]
                if gap.count("\n") > 1 and gap.strip() == "":
                    yield context.violation(
                        self,
                        previous.end + gap.index("\n") + 1,  # the first blank line, not the end of the row above
                        row.start,
                        "blank line inside the table ends it in Markdown; remove it",
                        Fix((Edit(previous.end, row.start, newline),), "safe", "remove the blank line"),
                    )
                previous = row
        if text and text.strip():
            stripped = text.rstrip("\r\n")
            ending = text[len(stripped) :]
            if ending != newline:
                what = "does not end with a newline" if not ending else "ends with blank lines"
                yield context.violation(
                    self,
                    len(stripped),
                    len(text),
                    f"file {what}; end it with exactly one newline",
                    Fix((Edit(len(stripped), len(text), newline),), "safe", "one final newline"),
                )


class WhitespaceRun(Rule):
    """(Off by default.) A run of spaces or a tab inside a cell's text.

    Generated summaries often carry double spaces between sentences; this
    rule is for archives that want them folded.

    Why it matters: runs of spaces render as one and only make diffs noisy.

    Example:

        | - It drops image tokens.  - It speeds up training. |

    Correction:

        | - It drops image tokens. - It speeds up training. |

    Fix safety: always safe: the run is folded to one space, which renders the
    same.
    """

    code = "DL505"
    formatting = True
    name = "whitespace-run"
    default_enabled = False
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            if len(row.cells) != len(table.columns):
                continue
            for cell in row.cells:
                value = cell.value
                match = _WHITESPACE_RUN.search(value)
                if match is None:
                    continue
                fix = context.cell_fix(row, cell, " ".join(value.split()), "safe", "fold whitespace")
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    "run of whitespace inside the cell; fold it to one space",
                    fix,
                    within=(match.start(), match.end()),
                )
