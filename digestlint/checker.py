"""The pure core: Document + Settings -> violations and records. No files, no terminal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from digestlint.digests import is_digest
from digestlint.model import Document, Violation
from digestlint.parse import parse
from digestlint.records import PaperRecord
from digestlint.rules import BY_CODE, FILE_LEVEL_CODES, RULES, UNEXPLAINED_REPORTERS
from digestlint.rules.base import Context, RowFindings, Rule
from digestlint.settings import Settings
from digestlint.suppress import Suppressions


@dataclass
class FileResult:
    path: str
    violations: list[Violation] = field(default_factory=list)
    records: list[PaperRecord] = field(default_factory=list)
    error: str | None = None
    # The file's inline suppressions, kept for findings made after the per-file pass (DL406).
    suppressions: Suppressions | None = None
    is_digest: bool = True  # False: skipped, no findings (`digests.is_digest`)


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
    """The schema findings no rule claimed, from the rules that report them (after every claim is made)."""
    for rule_class in UNEXPLAINED_REPORTERS:
        yield from rule_class().check_unexplained(context, BY_CODE)


class Check:
    """One file's check, in two steps: the findings that carry fixes first, then the rest.

    A fix pass needs only the first step (what is there to fix?); the last pass,
    which finds nothing to fix, finishes the check and is the result. Rules that
    can never fix anything and the paper records (only such rules read them)
    are left to the second step, so a pass that fixes something skips them.
    """

    def __init__(self, document: Document, settings: Settings) -> None:
        self.document = document
        self.settings = settings
        self.context = Context(document, settings)
        _schema_findings(self.context)
        self._enabled: dict[str, bool] = {}
        self._found: dict[int, list[Violation]] = {}  # by the rule's place in RULES
        self._suppressions = Suppressions(document.suppressions, document.line_count, FILE_LEVEL_CODES)
        self.is_digest = is_digest(document, settings.layouts)

    def _is_enabled(self, code: str) -> bool:
        known = self._enabled.get(code)
        if known is None:
            known = self._enabled[code] = self.settings.enabled(code, self.document.path)
        return known

    def _run(self, fixable_only: bool) -> None:
        for index, rule_class in enumerate(RULES):
            if index in self._found or (fixable_only and rule_class.fixable == "never"):
                continue
            if rule_class.reports_unexplained:  # run last, by `_unexplained`
                self._found[index] = []
                continue
            # A rule that explains schema findings runs even when it is not reported: its claims
            # decide which findings are left unexplained. Any other disabled rule has nothing to say.
            if rule_class.explains or self._is_enabled(rule_class.code):
                self._found[index] = list(rule_class().check(self.context))
            else:
                self._found[index] = []

    def _kept(self, violations: Iterable[Violation], judged: Iterable[Violation] = ()) -> list[Violation]:
        """The reported findings, sorted; `judged` (about the comments themselves) are not filtered by them."""
        kept = [
            violation
            for violation in violations
            if self._is_enabled(violation.code) and not self._suppressions.suppressed(violation)
        ]
        kept.extend(judged)
        kept.sort(key=lambda violation: violation.sort_key)
        return _dedupe(kept)

    def _judges(self, fixable_only: bool) -> list[type[Rule]]:
        """The reported rules about the suppression comments, when the file has any."""
        if not self.document.suppressions:
            return []
        return [
            rule_class
            for rule_class in RULES
            if rule_class.judges_suppressions
            and not (fixable_only and rule_class.fixable == "never")
            and self._is_enabled(rule_class.code)
        ]

    def _judged(self, judges: list[type[Rule]], violations: list[Violation]) -> list[Violation]:
        findings = [violation for violation in violations if self._is_enabled(violation.code)]
        return [
            violation
            for judge in judges
            for violation in judge().check_suppressions(self.context, self._suppressions, findings)
        ]

    def fixable(self) -> list[Violation]:
        """The findings of the rules that can fix something (reported ones, sorted, without duplicates)."""
        if not self.is_digest:
            return []
        judges = self._judges(fixable_only=True)
        # Whether a comment silences anything depends on every rule's findings, fixable or not.
        self._run(fixable_only=not judges)
        violations = [violation for found in self._found.values() for violation in found]
        if not judges:
            return self._kept(violations)
        violations.extend(_unexplained(self.context))
        return self._kept(violations, self._judged(judges, violations))

    def result(self) -> FileResult:
        """The whole check: every rule, the schema findings no rule explained, the records."""
        if not self.is_digest:
            return FileResult(self.document.path, suppressions=self._suppressions, is_digest=False)
        self._run(fixable_only=False)
        violations = [violation for index in range(len(RULES)) for violation in self._found[index]]
        violations.extend(_unexplained(self.context))
        judged = self._judged(self._judges(fixable_only=False), violations)
        records = self.context.all_records()
        return FileResult(self.document.path, self._kept(violations, judged), records, suppressions=self._suppressions)


def check_document(document: Document, settings: Settings) -> FileResult:
    return Check(document, settings).result()


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


def read_records(text: str, path: str, settings: Settings) -> list[PaperRecord]:
    """The papers a file lists, without running the rules: for files read only for cross-file checks."""
    return Context(parse(text, path, settings.layouts), settings).all_records()
