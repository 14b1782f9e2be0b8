"""DL1xx: the structure of digests and their tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from digestlint.layouts import UNNAMED_CODE, ColumnSpec, differs_in_case_or_spacing
from digestlint.model import Cell, Edit, Fix, Row, Table, Violation
from digestlint.render import canonical_gaps, join_edits, rebuild_row
from digestlint.rules.base import Context, Rule, heading_date, quote
from digestlint.urls import strip_version


class UnreadableFile(Rule):
    """A file that cannot be read as UTF-8 text.

    Binary files (with NUL bytes), text in another encoding (Latin-1, UTF-16),
    files whose line breaks are mostly lone CRs (classic Mac OS), files over the
    size limit and files that cannot be opened get this one finding, and
    nothing else in them is checked or written.

    Why it matters: a digest is read by GitHub, by scripts and by other tools as
    UTF-8; text in another encoding shows as mojibake there, and none of its rows
    can be checked.

    Example:

        $ file 2024-10-23.md
        2024-10-23.md: ISO-8859 text

    Correction:

        $ iconv -f latin1 -t utf-8 2024-10-23.md > tmp.md && mv tmp.md 2024-10-23.md

    Fix: none. Convert the file to UTF-8 with LF (or CRLF) line breaks, or exclude it in config.
    """

    code = "DL100"
    name = "unreadable-file"
    file_level = True

    def check(self, context: Context) -> Iterator[Violation]:
        return iter(())  # a file that reaches the rules was decoded: see `for_read_error`

    @classmethod
    def for_read_error(cls, path: str, error: str) -> Violation:
        """The finding for a file that could not be read or decoded (`error` as `files.ReadError` says it,
        `PATH: reason`), at line 1: where files are read, nothing else is checked."""
        return Violation(path, 1, 1, 1, 1, cls.code, cls.name, error.split(": ", 1)[-1], cls.severity)

    @classmethod
    def reported(cls, violations: Iterable[Violation]) -> bool:
        """Whether a file's findings already report its read error (it needs no other message)."""
        return any(violation.code == cls.code for violation in violations)


class UnknownLayout(Rule):
    """A table whose header matches no known layout.

    Each table's header picks its layout (`full`, `compact`, `linked`, or one
    of your own in config). A header that matches none cannot be checked, so
    the message names the closest layout and how the header differs.

    Only digests are checked: a Markdown file with no date heading and no table
    whose header is close to a layout is not a digest and gets no findings
    (`--show-files` lists it as skipped). A header is close to a layout when it
    has the layout's number of columns and, with case and runs of spaces folded,
    either the same columns in another order or at most one column named
    otherwise at the same place (`| Title | Authors | Sumary |` is close to
    `compact`; `| Name | Role |` is close to nothing).

    Why it matters: none of the table's rows is checked, and no tool that reads
    the archive by its layouts can read the table's papers.

    Example:

        | title | AUTHORS |  Summary |

    Correction:

        | Title | Authors | Summary |

    Fix safety: safe when the header is a layout's columns, in order, differing
    only in case or spacing: the columns are renamed to the layout's, and no cell
    changes. Otherwise there is no fix (`| Title | Authors | Abstract |` may be
    a layout of its own): rename the columns, or add a layout schema for this table.
    """

    code = "DL101"
    name = "unknown-layout"
    fixable = "sometimes"

    def check(self, context: Context) -> Iterator[Violation]:
        layouts = context.settings.layouts
        for table in context.document.tables:
            if table.layout is not None:
                continue
            header = " | ".join(table.columns)
            closest = layouts.closest(table.columns) if layouts is not None else None
            hint = ""
            if closest is not None:
                layout, missing, unexpected = closest
                parts = []
                if missing:
                    parts.append("missing " + ", ".join(repr(name) for name in missing))
                if unexpected:
                    parts.append("unexpected " + ", ".join(repr(name) for name in unexpected))
                if not missing and not unexpected:
                    parts.append("same columns in another order")
                hint = f"; closest is {layout.name!r} ({'; '.join(parts)})"
            yield context.violation(
                self,
                table.header.start,
                table.header.end,
                f"table header {quote(header)} matches no layout{hint}",
                self._rename_fix(context, table),
            )

    @staticmethod
    def _rename_fix(context: Context, table: Table) -> Fix | None:
        """The columns renamed to a layout's, when they differ from it in case or spacing only."""
        layouts = context.settings.layouts
        layout = (
            next((layout for layout in layouts.layouts if differs_in_case_or_spacing(table.columns, layout)), None)
            if layouts is not None
            else None
        )
        if layout is None or len(table.header.cells) != len(layout.header):
            return None
        edits: list[Edit] = []
        for cell, column in zip(table.header.cells, layout.header):
            if cell.value == column:
                continue
            fix = context.cell_fix(table.header, cell, column, "safe", "")
            if fix is None:
                return None
            edits.extend(fix.edits)
        if not edits:
            return None
        return Fix(tuple(edits), "safe", f"rename the columns as layout {layout.name!r} names them")


def _stray_looking_pipes(cells: list[str], specs: Sequence[ColumnSpec], first: int, last: int) -> int:
    """How many of the pipes between cells[first..last] do not look like a cell separator.

    A pipe looks like a separator when it is padded with spaces on both sides (` | `), or padded
    exactly as the layout's generator pads that boundary (the compact title ends `))|` with no
    space): the layout's canonical shape, not a blanket "unpadded pipes are stray". A pipe inside
    text, as in `|x|`, usually looks like neither.
    """
    count = 0
    for boundary in range(first, last):
        left, right = cells[boundary], cells[boundary + 1]
        spaced = bool(left) and left[-1].isspace() and bool(right) and right[0].isspace()
        canonical = boundary + 1 < len(specs) and (
            _padded_end(left, specs[boundary].right) and _padded_start(right, specs[boundary + 1].left)
        )
        if not (spaced or canonical):
            count += 1
    return count


def _padded_end(text: str, pad: str) -> bool:
    return bool(text) and (text.endswith(pad) if pad else not text[-1].isspace())


def _padded_start(text: str, pad: str) -> bool:
    return bool(text) and (text.startswith(pad) if pad else not text[0].isspace())


def merge_surplus(row: Row, column: int, extra: int) -> Cell:
    """The cell `column` becomes when it absorbs the `extra` cells after it, their pipes escaped."""
    absorbed = row.cells[column : column + extra + 1]
    return Cell("\\|".join(cell.raw for cell in absorbed), absorbed[0].start, absorbed[-1].end)


def pipe_split_column(table: Table, row: Row) -> int | None:
    """The column unescaped pipes most likely sit in, or None when the row does not have surplus cells.

    Each text column is tried as the one absorbing the surplus cells. The best guess absorbs the most
    pipes that do not look like separators (by the layout's canonical padding), then leaves the fewest
    columns failing the layout schema (the title's pattern among them); a tie goes to the summary, and
    any other tie means we cannot tell. With no stray-looking pipe and no merge that makes the row
    valid, nothing points at a pipe inside text: the row has an extra cell.
    """
    choice = pipe_split_choice(table, row)
    return choice[0] if choice is not None else None


def pipe_split_choice(table: Table, row: Row) -> tuple[int, tuple[int, ...]] | None:
    """`pipe_split_column`'s column, and every column as plausible as it (the same stray-looking pipes
    and schema failures; just the column itself when it is the only one): only then may a fix escape
    the pipes."""
    layout = table.layout
    if layout is None or len(row.cells) <= len(layout.columns):
        return None
    extra = len(row.cells) - len(layout.columns)
    raws = [cell.raw for cell in row.cells]
    scored: list[tuple[int, int, int]] = []
    for index, spec in enumerate(layout.columns):
        if spec.kind not in ("text", "compact-title", "arxiv-title"):
            continue
        merged = [*raws[:index], "|".join(raws[index : index + extra + 1]), *raws[index + extra + 1 :]]
        failures = len(layout.validate({name: value.strip() for name, value in zip(layout.header, merged)}))
        scored.append((-_stray_looking_pipes(raws, layout.columns, index, index + extra), failures, index))
    if not scored:
        return None
    best = min(score[:2] for score in scored)
    if best[0] == 0 and best[1] > 0:
        return None  # every pipe is padded like a separator and no merge mends the row: an extra cell (DL102)
    tied = [index for pipes, failures, index in scored if (pipes, failures) == best]
    if len(tied) == 1:
        return tied[0], (tied[0],)
    summaries = [index for index in tied if layout.columns[index].field == "summary"]
    return (summaries[0], tuple(tied)) if len(summaries) == 1 else None


class CellCount(Rule):
    """A row with more or fewer cells than its table's header.

    A row with too many cells because of a `|` inside a summary is DL104 instead.

    Why it matters: a missing cell shifts every later column: authors land under
    Summary, tags under GitHub URLs, and the paper's data is read wrong.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |

    Fix: none; which cell is missing needs a person.
    """

    code = "DL102"
    name = "cell-count"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            width = len(table.columns)
            if len(row.cells) == width or pipe_split_column(table, row) is not None:
                continue
            yield context.violation(
                self,
                row.start,
                row.end,
                f"row has {len(row.cells)} cells but the header has {width}; "
                + ("add the missing cells" if len(row.cells) < width else "remove or merge the extra cells"),
            )


class RowSplit(Rule):
    """One row broken over several lines by a newline inside a cell.

    It is reported once, at the line where the row starts. This is the most
    common defect in real archives.

    Why it matters: Markdown ends a table row at the end of the line, so a
    newline inside a title, summary or URL cuts the row in two: the table
    renders broken and the paper's data is garbled.

    Example:

        | [Title part one
          part two](https://arxiv.org/abs/2410.17243) | A. Author | Summary. |

    Correction:

        | [Title part one part two](https://arxiv.org/abs/2410.17243) | A. Author | Summary. |

    Fix safety: safe when the joined row has its layout's number of cells: the
    lines are joined into one row, a break inside a link target removed and any
    other replaced by one space. Unsafe when the joined row still has the wrong
    number of cells: the text is joined as it is, and which cell a line belongs
    to is a guess. `digestlint format` leaves the join to `--fix` (and says so)
    where it changes what the table renders to: two rows become one.
    """

    code = "DL103"
    formatting = True
    name = "row-split"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            if not row.is_split:
                continue
            lines = row.last_line - row.first_line + 1
            matches = len(row.cells) == len(table.columns)
            if matches:
                rewrites = canonical_gaps(row, table.layout)  # joined and rendered as `render_row` does
            else:
                # With the wrong cell count the cells are not known yet: join the text as it is, stripped.
                text = row.logical
                rewrites = [(0, len(text) - len(text.lstrip()), ""), (len(text.rstrip()), len(text), "")]
            fix = Fix(
                join_edits(row, rewrites),
                "safe" if matches else "unsafe",
                f"join the {lines} lines of this row into one",
            )
            yield context.row_violation(
                self,
                row,
                f"row is split over {lines} lines (lines {row.first_line}-{row.last_line}) "
                "by a line break inside a cell; join it into one line",
                fix,
            )


class UnescapedPipe(Rule):
    """An unescaped `|` inside a cell's text, which splits the row into too many cells.

    The layout decides which cell the pipes belong to: the column that, taking
    the surplus cells back, absorbs the pipes that do not look like separators
    (by the layout's canonical padding: the compact title's `))|` is the
    generator's separator) and makes the row valid. The row's other cells are
    checked as this reading has them, so a stray pipe hides no other defect
    (every rule's findings; fixes of the cell holding the pipes wait until
    they are escaped, fixes of the other cells are made as usual).

    Why it matters: math like `|x|` or `a | b` in a summary adds cells and shifts
    every later column, so the paper's authors, tags and links are read from the
    wrong cells.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | bounds on |x| hold |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | bounds on \\|x\\| hold |

    Fix safety: always unsafe: the fix escapes those pipes as `\\|`, and which
    cell they belong to is a guess. A wrong guess moves text between columns;
    check the row after fixing. When two columns are as plausible, the message
    names both and there is no fix; the safety net checks that a repair only
    escaped pipes (every other cell keeps its content).
    """

    code = "DL104"
    name = "unescaped-pipe"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            choice = pipe_split_choice(table, row)
            if choice is None or table.layout is None:
                continue
            column, plausible = choice
            certain = len(plausible) == 1
            extra = len(row.cells) - len(table.columns)
            values = row.values()
            fixed = [*values[:column], merge_surplus(row, column, extra).value, *values[column + extra + 1 :]]
            name = table.layout.columns[column].name
            fix = None
            if certain:  # another column is as plausible: escaping the wrong pipe moves text between cells
                message = f"escape {extra} pipe(s) in the {name} cell as \\|"
                fix = rebuild_row(row, fixed, table.layout, "unsafe", message)
            first_pipe = row.cells[column].end
            where = f"the {name} cell"
            if not certain:
                names = [table.layout.columns[index].name for index in plausible]
                where = f"the {' or '.join(names)} cell (which one cannot be told)"
            yield context.violation(
                self,
                row.to_source(first_pipe),
                row.to_source(first_pipe + 1),
                f"{extra} unescaped '|' inside {where} split the row into {len(row.cells)} cells; escape it as '\\|'",
                fix,
            )


class DelimiterRow(Rule):
    """A table whose delimiter row (`|---|---|`) is missing or malformed.

    Each cell of the delimiter row must be dashes (optionally with colons), one
    per column.

    Why it matters: without a valid delimiter row right under the header,
    Markdown does not render a table at all.

    Example:

        | Title | Authors | Summary |
        |====|====|

    Correction:

        | Title | Authors | Summary |
        |-------|---------|---------|

    Fix safety: safe when the table's layout is known: the layout's delimiter
    row is written (or inserted), and no cell changes. With an unknown layout
    there is no fix.
    """

    code = "DL105"
    formatting = True
    name = "delimiter-row"
    fixable = "sometimes"

    def check(self, context: Context) -> Iterator[Violation]:
        from digestlint.parse import is_valid_delimiter

        for table in context.document.tables:
            layout = table.layout
            delimiter = table.delimiter
            newline = context.document.newline
            if delimiter is None:
                fix = None
                if layout is not None:
                    header_end = table.header.end
                    fix = Fix(
                        (Edit(header_end, header_end, newline + layout.delimiter),),
                        "safe",
                        "insert the layout's delimiter row",
                    )
                yield context.violation(
                    self,
                    table.header.start,
                    table.header.end,
                    "table has no delimiter row under its header; add one like "
                    + (layout.delimiter if layout else "|" + "---|" * len(table.columns)),
                    fix,
                )
                continue
            if is_valid_delimiter(delimiter.cells) and len(delimiter.cells) == len(table.columns):
                continue
            fix = None
            if layout is not None:
                fix = Fix(
                    (Edit(delimiter.start, delimiter.end, layout.delimiter),), "safe", "rewrite the delimiter row"
                )
            yield context.violation(
                self,
                delimiter.start,
                delimiter.end,
                f"malformed delimiter row {quote(delimiter.logical.strip())}: it needs {len(table.columns)} "
                "cells of dashes, one per column",
                fix,
            )


class EmptyCell(Rule):
    """An empty required cell: a row with no title, no authors or no summary.

    Which cells are required is the layout's (`minLength` in its schema).

    Why it matters: a paper without its title, authors or summary is of no use
    to a reader, and usually means the generator failed on that paper.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) |  | The summary. |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |

    Fix: none; the missing text has to come from the paper.
    """

    code = "DL106"
    name = "empty-cell"
    explains = ("DL106",)

    def check(self, context: Context) -> Iterator[Violation]:
        for _, row, cell, finding in context.findings_for(self.explains):
            context.claim(row, finding.column)
            yield context.cell_violation(self, row, cell, f"the {finding.column} cell is empty; fill it in")


class DuplicatePaper(Rule):
    """The same arXiv paper listed twice in one file.

    Versions count as the same paper (`2410.17243v2` is `2410.17243`).

    Why it matters: a reader sees the paper twice, and counts and exports of the
    day's papers are wrong.

    Example:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |
        | [T](https://arxiv.org/abs/2410.17243v2) | A. Author | The summary. |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243v2) | A. Author | The summary. |

    Fix: none; delete the row you do not want.
    """

    code = "DL107"
    name = "duplicate-paper"

    def check(self, context: Context) -> Iterator[Violation]:
        seen: dict[str, int] = {}
        for table, row in context.rows():
            record = context.record_as_read(table, row)  # a stray pipe hides no duplicate
            if record is None or not record.arxiv_id:
                continue
            key = strip_version(record.arxiv_id)
            if key in seen:
                yield context.row_violation(
                    self,
                    row,
                    f"paper {key} is listed again; it is already on line {seen[key]}: remove one of the rows",
                )
            else:
                seen[key] = row.first_line


class EmptyDigest(Rule):
    """A file with nothing in it, a date heading with no table under it, or a table with no rows.

    An empty file (or one of blank lines only) is reported once, at line 1.

    Why it matters: a day's section that lists nothing is usually a generator
    that failed half-way; if the day really had no papers, the heading says
    otherwise.

    Example:

        ## Papers for 2024-10-23

        ## Papers for 2024-10-22

        | Title | Authors | Summary |
        |-------|---------|---------|
        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |

    Correction:

        ## Papers for 2024-10-22

        | Title | Authors | Summary |
        |-------|---------|---------|
        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. |

    Fix: none; write the day's papers, or remove the heading.
    """

    code = "DL108"
    name = "empty-digest"

    def check(self, context: Context) -> Iterator[Violation]:
        document = context.document
        if not document.text.strip():
            what = "empty" if not document.text else "only blank lines"
            yield context.violation(self, 0, 0, f"the file is {what}; write the day's digest or delete the file")
            return
        tables_by_heading = {id(table.heading) for table in document.tables if table.heading is not None}
        for heading in document.headings:
            if heading_date(heading.text) is not None and id(heading) not in tables_by_heading:
                yield context.violation(
                    self, heading.start, heading.end, f"heading {quote(heading.text)} has no table under it"
                )
        for table in document.tables:
            if not table.rows:
                yield context.violation(self, table.header.start, table.header.end, "table has a header but no rows")


class SchemaViolation(Rule):
    """A cell that fails a layout-schema constraint that names no rule.

    Custom layouts may add constraints without an `x-digestlint.code`
    annotation; their failures are reported under this code with the
    schema's own message (and a code an annotation names that no rule has is
    kept in the message).

    Why it matters: the layout says the cell is wrong, and no other rule
    explains how.

    Example (a layout whose Venue column must match `^[A-Z]+ [0-9]{4}$`):

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. | neurips 24 |

    Correction:

        | [T](https://arxiv.org/abs/2410.17243) | A. Author | The summary. | NEURIPS 2024 |

    Fix: none; correct the cell as the layout's schema describes.
    """

    code = "DL109"
    name = "schema-violation"
    reports_unexplained = True

    def check_unexplained(self, context: Context, rules: Mapping[str, type[Rule]]) -> Iterator[Violation]:
        """Schema findings no rule claimed: under their annotation's code when a rule has it (with the
        schema's message), else under this rule's code, the annotation's code kept in the message."""
        for entry in context.schema_findings:
            for finding in entry.findings:
                if (id(entry.row), finding.column) in context.claimed:
                    continue
                index = entry.table.columns.index(finding.column)
                cell = entry.row.cells[index]
                rule = rules.get(finding.code, type(self))
                # Plain substitution, not str.format: the message comes from a (possibly user) schema file.
                message = (
                    finding.message.replace("{column}", finding.column)
                    .replace("{value!r}", quote(cell.value))
                    .replace("{value}", cell.value)
                )
                if rule is type(self) and finding.code not in (UNNAMED_CODE, self.code):
                    message = f"{finding.code}: {message}"  # a code no rule explains: keep it visible
                yield context.cell_violation(rule, entry.row, cell, message)
