"""`path:line:col: CODE message`, coloured on a terminal."""

from __future__ import annotations

from collections import Counter
from typing import IO, TYPE_CHECKING

from digestlint.model import Violation

if TYPE_CHECKING:
    from digestlint.runner import Report

BOLD, RED, CYAN, DIM, RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


class TextReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream
        self.color = color
        self.show_fixes = show_fixes

    def _paint(self, text: str, *styles: str) -> str:
        return "".join(styles) + text + RESET if self.color else text

    def line(self, violation: Violation) -> str:
        where = self._paint(violation.path, BOLD) + f":{violation.line}:{violation.column}:"
        code = self._paint(violation.code, RED, BOLD)
        marker = ""
        if violation.fix is not None:
            marker = " [*]" if violation.fix.applicability == "safe" else " [-]"
        return f"{where} {code}{marker} {violation.message}"

    def report(self, report: Report) -> None:
        write = self.stream.write
        for outcome in report.files:
            for violation in outcome.violations:
                write(self.line(violation) + "\n")
                if self.show_fixes and violation.fix is not None:
                    fix = violation.fix
                    write(self._paint(f"    fix ({fix.applicability}): {fix.message}", DIM) + "\n")
        self._summary(report)

    def _summary(self, report: Report) -> None:
        """The count of findings and of those `--fix` (with or without `--unsafe-fixes`) can repair."""
        write = self.stream.write
        violations = report.violations
        if not violations:
            return
        safe = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "safe")
        unsafe = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "unsafe")
        write(f"Found {len(violations)} finding{'s' if len(violations) != 1 else ''}.\n")
        if safe:
            write(f"[*] {safe} fixable with `digestlint --fix`.\n")
        if unsafe:
            write(f"[-] {unsafe} more fixable with `digestlint --fix --unsafe-fixes`.\n")


class ConciseReporter(TextReporter):
    """One line per finding and nothing else, for scripts and editors."""

    def report(self, report: Report) -> None:
        for violation in report.violations:
            self.stream.write(self.line(violation) + "\n")


def statistics(report: Report) -> list[tuple[str, str, int, int]]:
    """(code, name, count, fixable) per code, most frequent first."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    fixable: Counter[str] = Counter()
    for violation in report.violations:
        counts[violation.code] += 1
        names[violation.code] = violation.name
        if violation.fix is not None:
            fixable[violation.code] += 1
    return [(code, names[code], count, fixable[code]) for code, count in counts.most_common()]
