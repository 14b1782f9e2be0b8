"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

Every registered rule is described (id, name, summary, its docstring as help);
each finding is a result pointing at its file and region. Relative paths are
given against `%SRCROOT%`: run digestlint from the repository root.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from digestlint import __version__
from digestlint.model import Severity, Violation

if TYPE_CHECKING:
    from digestlint.runner import Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _level(severity: Severity) -> str:
    return "warning" if severity is Severity.WARNING else "error"


def rule_descriptors() -> list[dict[str, Any]]:
    from digestlint.rules import RULES

    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary()},
            "fullDescription": {"text": rule.doc()},
            "help": {"text": rule.doc(), "markdown": rule.doc()},
            "defaultConfiguration": {"enabled": rule.default_enabled, "level": _level(rule.severity)},
            "properties": {"fixable": rule.fixable},
        }
        for rule in RULES
    ]


def artifact_location(path: str) -> dict[str, str]:
    posix = PurePosixPath(path)
    if posix.is_absolute():
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def region(violation: Violation) -> dict[str, int]:
    found = {"startLine": violation.line, "startColumn": violation.column}
    # An empty span (start == end) would be an insertion point: leave the end out and SARIF means the line.
    if (violation.end_line, violation.end_column) > (violation.line, violation.column):
        found |= {"endLine": violation.end_line, "endColumn": violation.end_column}
    return found


def result(violation: Violation, rule_index: dict[str, int]) -> dict[str, Any]:
    found: dict[str, Any] = {"ruleId": violation.code}
    if violation.code in rule_index:
        found["ruleIndex"] = rule_index[violation.code]
    found |= {
        "level": _level(violation.severity),
        "message": {"text": violation.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(violation.path), "region": region(violation)}}
        ],
    }
    if violation.fix is not None:
        found["properties"] = {"fix": violation.fix.applicability}
    return found


def sarif_log(report: Report) -> dict[str, Any]:
    rules = rule_descriptors()
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    errors = list(report.errors) + [outcome.error for outcome in report.files if outcome.error]
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": text}} for text in errors]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "digestlint", "version": __version__, "rules": rules}},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [result(violation, rule_index) for violation in report.violations],
            }
        ],
    }


class SarifReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream

    def report(self, report: Report) -> None:
        json.dump(sarif_log(report), self.stream, indent=2, ensure_ascii=False)
        self.stream.write("\n")
