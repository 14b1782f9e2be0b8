"""A JSON list of findings, one object each with a fixed set of keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def write_statistics(rows: Sequence[tuple[str, str, int, int]], stream: IO[str]) -> None:
    """`--statistics -o json`: a list of {code, name, count, fixable}, most frequent first.

    `fixable` is true when `--fix` (or `--fix --unsafe-fixes`) can repair some of them, as `[*]` in the text table.
    """
    entries = [
        {"code": code, "name": name, "count": count, "fixable": fixable > 0} for code, name, count, fixable in rows
    ]
    json.dump(entries, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
