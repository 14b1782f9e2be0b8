"""The pure core: Document + Settings -> violations and records. No files, no terminal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from digestlint.model import Document, Violation
from digestlint.parse import parse
from digestlint.records import PaperRecord, build_record
from digestlint.rules import BY_CODE, RULES
from digestlint.rules.base import Context, RowFindings, heading_date, quote
from digestlint.settings import Settings
from digestlint.suppress import Suppressions


@dataclass
class FileResult:
    path: str
    violations: list[Violation] = field(default_factory=list)
    records: list[PaperRecord] = field(default_factory=list)
    error: str | None = None


def _records(context: Context) -> list[PaperRecord]:
    records: list[PaperRecord] = []
    for table in context.document.tables:
        if table.layout is None:
            continue
        date = heading_date(table.heading.text) if table.heading else None
        for row in table.rows:
            record = build_record(context.path, date, table.layout, row)
            if record is not None:
                context.records[id(row)] = record
                records.append(record)
    return records


def _schema_findings(context: Context) -> None:
    for table in context.document.tables:
        layout = table.layout
        if layout is None:
            continue
        width = len(layout.columns)
        header = layout.header
        for row in table.rows:
            if len(row.cells) != width:
                continue
            findings = layout.validate({name: cell.value for name, cell in zip(header, row.cells)})
            if findings:
                context.schema_findings.append(RowFindings(table, row, findings))


def _unexplained(context: Context) -> Iterator[Violation]:
    """Schema findings no rule claimed: reported under their annotation's code, with the schema's message."""
    generic = BY_CODE["DL109"]
    for entry in context.schema_findings:
        for finding in entry.findings:
            if (id(entry.row), finding.column) in context.claimed:
                continue
            index = entry.table.columns.index(finding.column)
            cell = entry.row.cells[index]
            rule = BY_CODE.get(finding.code, generic)
            # Plain substitution, not str.format: the message comes from a (possibly user) schema file.
            message = (
                finding.message.replace("{column}", finding.column)
                .replace("{value!r}", quote(cell.value))
                .replace("{value}", cell.value)
            )
            if rule is generic and finding.code != generic.code:
                message = f"{finding.code}: {message}"  # a code no rule explains: keep it visible
            yield context.cell_violation(rule, entry.row, cell, message)


def check_document(document: Document, settings: Settings) -> FileResult:
    context = Context(document, settings)
    records = _records(context)
    _schema_findings(context)
    enabled: dict[str, bool] = {}

    def is_enabled(code: str) -> bool:
        known = enabled.get(code)
        if known is None:
            known = enabled[code] = settings.enabled(code, document.path)
        return known

    violations: list[Violation] = []
    for rule_class in RULES:
        # A rule that explains schema findings runs even when it is not reported: its claims
        # decide which findings are left for DL109. Any other disabled rule has nothing to say.
        if rule_class.explains or is_enabled(rule_class.code):
            violations.extend(rule_class().check(context))
    violations.extend(_unexplained(context))
    suppressions = Suppressions(document.suppressions, document.line_count)
    kept = [
        violation for violation in violations if is_enabled(violation.code) and not suppressions.suppressed(violation)
    ]
    kept.sort(key=lambda violation: violation.sort_key)
    return FileResult(document.path, _dedupe(kept), records)


def _dedupe(violations: Iterable[Violation]) -> list[Violation]:
    seen: set[tuple[int, int, str, str]] = set()
    unique: list[Violation] = []
    for violation in violations:
        key = (violation.line, violation.column, violation.code, violation.message)
        if key not in seen:
            seen.add(key)
            unique.append(violation)
    return unique


def check_text(text: str, path: str, settings: Settings) -> FileResult:
    return check_document(parse(text, path, settings.layouts), settings)
