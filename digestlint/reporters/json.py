"""A JSON list of findings, one object each with a fixed set of keys."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from digestlint.model import Violation

if TYPE_CHECKING:
    from digestlint.runner import Report


def violation_dict(violation: Violation) -> dict[str, Any]:
    fix = violation.fix
    return {
        "path": violation.path,
        "line": violation.line,
        "column": violation.column,
        "end_line": violation.end_line,
        "end_column": violation.end_column,
        "code": violation.code,
        "name": violation.name,
        "severity": violation.severity.value,
        "message": violation.message,
        "fix": None if fix is None else {"applicability": fix.applicability, "message": fix.message},
    }


class JsonReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream

    def report(self, report: Report) -> None:
        json.dump([violation_dict(v) for v in report.violations], self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
