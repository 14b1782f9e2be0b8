"""What every rule shares: the `Rule` base class and the per-file `Context`.

A rule is a class with a code, a short name, a default severity and a
docstring that is its documentation. Its `check(context)` yields violations.
Rules that explain a layout-schema finding list its codes in `explains`: the
checker validates each row against the layout once, and the rule diagnoses
the cells the schema rejected (message and fix).

What the rest of the program needs to know about a rule is a class attribute,
never its code: `formatting` (the `format` command applies these rules' fixes
only), `file_level` (a finding about the whole file, not a line: no comment
silences it, and `--diff-base` keeps it whenever the file changed),
`reports_unexplained` (it reports the schema findings no other rule claimed,
after every rule ran) and `cross_file` (it sees every checked file's papers after
the per-file pass, through `check_files`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from digestlint.layouts import SchemaFinding
from digestlint.model import Applicability, Cell, Document, Edit, Fix, Row, Severity, Table, Violation

if TYPE_CHECKING:
    from digestlint.records import PaperRecord
    from digestlint.settings import Settings
    from digestlint.suppress import Suppressions

Fixable = Literal["always", "sometimes", "never"]


class Paper(Protocol):
    """What a cross-file rule reads of a paper: a `PaperRecord`, or the cache's lighter `PaperRef`.

    A paper with no arXiv ID is not compared.
    """

    @property
    def arxiv_id(self) -> str | None: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def date(self) -> str | None: ...


_DATE_HEADING = re.compile(r"^Papers for ([0-9]{4}-[0-9]{2}-[0-9]{2})$")


class Rule:
    """Base class: subclasses set the class attributes and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    default_enabled: ClassVar[bool] = True
    fixable: ClassVar[Fixable] = "never"
    explains: ClassVar[tuple[str, ...]] = ()
    # The record fields (`PaperRecord` names) this rule's fix may change: the safety net compares
    # every other field of a fixed row exactly as before (link fields declared together may trade URLs).
    fix_changes: ClassVar[frozenset[str]] = frozenset()
    # A rule about the suppression comments themselves runs after every other rule, through
    # `check_suppressions`, and decides itself which comments may silence its findings.
    judges_suppressions: ClassVar[bool] = False
    # A formatting rule: `digestlint format` applies the fixes of these rules and no other.
    formatting: ClassVar[bool] = False
    # A finding about the whole file (it cannot be read): no comment in it can silence the finding,
    # and `--diff-base` keeps it whenever the file changed at all.
    file_level: ClassVar[bool] = False
    # Reports the layout-schema findings no other rule claimed, through `check_unexplained`, once
    # every rule has run (and made its claims). `check` is not called.
    reports_unexplained: ClassVar[bool] = False
    # Needs every file's papers: `check_files` runs after the per-file pass, over all checked files.
    cross_file: ClassVar[bool] = False

    def check(self, context: Context) -> Iterator[Violation]:
        raise NotImplementedError

    def check_unexplained(self, context: Context, rules: Mapping[str, type[Rule]]) -> Iterator[Violation]:
        """Findings for the schema findings left unclaimed; `rules` is the registry, by code."""
        raise NotImplementedError

    @classmethod
    def runs_across_files(cls, settings: Settings) -> bool:
        """Whether `check_files` has anything to do under these settings (a cross-file rule)."""
        return cls.cross_file and settings.enabled(cls.code)

    def check_files(
        self, papers_by_file: Mapping[str, Sequence[Paper]], context_papers: Iterable[Paper], settings: Settings
    ) -> Iterator[Violation]:
        """Findings across files, given each checked file's papers (by path) and the papers of
        files read only for context (`--archive`), which are compared with but never reported on.
        The caller applies each file's per-file ignores and inline comments."""
        raise NotImplementedError

    def check_suppressions(
        self, context: Context, suppressions: Suppressions, findings: Sequence[Violation]
    ) -> Iterator[Violation]:
        """Findings about the file's comments, given the reported codes' findings before suppression."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]


@dataclass(slots=True)
class RowFindings:
    table: Table
    row: Row
    findings: list[SchemaFinding]


@dataclass
class Context:
    """Everything a rule may read about one file, computed once."""

    document: Document
    settings: Settings
    records: dict[int, PaperRecord] = field(default_factory=dict)  # keyed by id(row); see all_records()
    schema_findings: list[RowFindings] = field(default_factory=list)
    claimed: set[tuple[int, str]] = field(default_factory=set)  # (id(row), column) explained by a rule
    cache: dict[str, Any] = field(default_factory=dict)
    # Cells made by reading a row with stray pipes as DL104 does (surplus cells merged): their text is not
    # the source's, so no fix may edit them.
    merged_cells: set[int] = field(default_factory=set)
    _record_list: list[PaperRecord] | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return self.document.path

    def violation(
        self,
        rule: type[Rule] | Rule,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        *,
        code: str | None = None,
        name: str | None = None,
    ) -> Violation:
        line, column = self.document.position(start)
        end_line, end_column = self.document.position(max(end, start))
        return Violation(
            path=self.document.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            code=code or rule.code,
            name=name or rule.name,
            message=message,
            severity=rule.severity,
            fix=fix,
        )

    def row_violation(self, rule: type[Rule] | Rule, row: Row, message: str, fix: Fix | None = None) -> Violation:
        """A violation spanning the first line of a row (where a split row starts)."""
        first_line_end = row.start + len(self.document.line_text(row.first_line))
        return self.violation(rule, row.start, first_line_end, message, fix)

    def cell_violation(
        self,
        rule: type[Rule] | Rule,
        row: Row,
        cell: Cell,
        message: str,
        fix: Fix | None = None,
        *,
        within: tuple[int, int] | None = None,
    ) -> Violation:
        """A violation on a cell's value, or on `within` (offsets relative to the value)."""
        if within is None:
            start, end = cell.value_start, max(cell.value_end, cell.value_start)
        else:
            start, end = cell.value_start + within[0], cell.value_start + within[1]
        if not cell.value:  # empty cell: point at the cell itself (its value span would end before it starts)
            start, end = cell.start, cell.end
        return self.violation(rule, row.to_source(start), row.to_source(end), message, fix)

    def cell_fix(
        self, row: Row, cell: Cell, replacement: str, applicability: Applicability, message: str
    ) -> Fix | None:
        """Replace a cell's value; None when the value spans a line break (the row join comes first)."""
        return self.span_fix(row, cell, [(0, len(cell.value), replacement)], applicability, message)

    def span_fix(
        self,
        row: Row,
        cell: Cell,
        edits: Sequence[tuple[int, int, str]],
        applicability: Applicability,
        message: str,
    ) -> Fix | None:
        """Replace exact stretches of a cell's value, (start, end, text) relative to the value.

        For fixes that know exactly what they change (one URL, one list item): unlike a whole-cell
        fix, two of them in one cell that touch different stretches apply in the same pass. None
        when a stretch crosses a line break (the row join comes first).
        """
        if id(cell) in self.merged_cells:
            return None
        made: list[Edit] = []
        for start, end, replacement in edits:
            logical_start, logical_end = cell.value_start + start, cell.value_start + end
            if row.is_split and not row.is_contiguous(logical_start, max(logical_end, logical_start)):
                return None
            source_start = row.to_source(logical_start)
            made.append(Edit(source_start, source_start + (end - start), replacement))
        return Fix(tuple(made), applicability, message) if made else None

    def rows(self) -> Iterator[tuple[Table, Row]]:
        for table in self.document.tables:
            for row in table.rows:
                yield table, row

    def rows_as_read(self) -> Iterator[tuple[Table, Row]]:
        """Every row that fits its table's layout as DL104 reads it, with its table.

        A row with stray pipes comes with its surplus cells merged (`as_read`), so a stray pipe hides
        none of its other defects; a fix of a merged cell is None (`span_fix`), fixes of its other
        cells are made as usual. Rows with missing cells, surplus cells DL104 cannot place, and tables
        with no layout are skipped.
        """
        for table, row in self.rows():
            layout = table.layout
            if layout is None:
                continue
            width = len(layout.columns)
            read = self.as_read(table, row) if len(row.cells) > width else row
            if len(read.cells) == width:
                yield table, read

    def all_records(self) -> list[PaperRecord]:
        """Every row's record, in document order: built once, when a rule or the result first needs them.

        A fix pass that finds something to fix never asks, and saves building them.
        """
        if self._record_list is None:
            from digestlint.records import build_record

            built: list[PaperRecord] = []
            for table in self.document.tables:
                if table.layout is None:
                    continue
                date = heading_date(table.heading.text) if table.heading else None
                for row in table.rows:
                    record = build_record(self.path, date, table.layout, row)
                    if record is not None:
                        self.records[id(row)] = record
                        built.append(record)
            self._record_list = built
        return self._record_list

    def as_read(self, table: Table, row: Row) -> Row:
        """The row as its layout reads it: a row with stray pipes (DL104) with its surplus cells merged
        into the column DL104 names, so its other cells are checked all the same."""
        layout = table.layout
        if layout is None or len(row.cells) <= len(layout.columns):
            return row
        known: dict[int, Row] = self.cache.setdefault("as_read", {})
        read = known.get(id(row))
        if read is None:
            from dataclasses import replace

            from digestlint.rules.structure import merge_surplus, pipe_split_column

            read = row
            column = pipe_split_column(table, row)
            if column is not None:
                extra = len(row.cells) - len(layout.columns)
                merged = merge_surplus(row, column, extra)
                self.merged_cells.add(id(merged))
                read = replace(row, cells=[*row.cells[:column], merged, *row.cells[column + extra + 1 :]])
                self.cache.setdefault("read_tables", {})[id(read)] = table  # for `table_of`
            known[id(row)] = read
        return read

    def table_of(self, row: Row) -> Table | None:
        """The table a row belongs to (by identity: comparing rows field by field is slow), a row as DL104
        reads it (`as_read`) included."""
        tables: dict[int, Table] | None = self.cache.get("table_of")
        if tables is None:
            tables = {id(each): table for table in self.document.tables for each in table.rows}
            self.cache["table_of"] = tables
        found = tables.get(id(row))
        if found is None:
            read_tables: dict[int, Table] = self.cache.get("read_tables", {})
            found = read_tables.get(id(row))
        return found

    def record_as_read(self, table: Table, row: Row) -> PaperRecord | None:
        """A row's record, or for a row with stray pipes the record of the row as DL104 reads it.

        For checks only (a duplicate behind a stray pipe is still a duplicate): the file's records
        (`all_records`, what `export` carries in full) never hold a guessed reading.
        """
        record = self.record(row)
        if record is not None or table.layout is None or len(row.cells) <= len(table.layout.columns):
            return record
        from digestlint.records import build_record

        date = heading_date(table.heading.text) if table.heading else None
        return build_record(self.path, date, table.layout, self.as_read(table, row))

    def record(self, row: Row) -> PaperRecord | None:
        self.all_records()
        return self.records.get(id(row))

    def findings_for(self, codes: tuple[str, ...]) -> Iterator[tuple[Table, Row, Cell, SchemaFinding]]:
        for entry in self.schema_findings:
            for finding in entry.findings:
                if finding.code in codes and entry.table.layout is not None:
                    index = entry.table.layout.header.index(finding.column)
                    yield entry.table, entry.row, entry.row.cells[index], finding

    def claim(self, row: Row, column: str) -> None:
        self.claimed.add((id(row), column))


def heading_date(text: str) -> str | None:
    match = _DATE_HEADING.match(text.strip())
    return match.group(1) if match else None


def quote(value: str, limit: int = 80) -> str:
    """A value quoted for a message, shortened in the middle when long."""
    if len(value) > limit:
        value = value[: limit // 2 - 2] + " … " + value[-(limit // 2 - 2) :]
    return repr(value)
