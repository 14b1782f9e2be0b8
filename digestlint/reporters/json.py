"""A JSON list of findings, one object each with a fixed set of keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from digestlint.model import Edit, Violation, every_line_start, line_index
from digestlint.results import rule_url

if TYPE_CHECKING:
    from digestlint.runner import Report


def violation_dict(violation: Violation, line_starts: list[int] | None = None) -> dict[str, Any]:
    """A finding as JSON, ruff-style: its rule's documentation `url`, and its fix's `edits` when the text
    they apply to is known (`line_starts`: where its lines start). Each edit is a `content` replacing the
    text from `location` up to `end_location` (1-based row and column, as findings count them); applying
    the edits of one pass as `--fix` chooses them gives what `--fix` writes in that pass."""
    fix = violation.fix
    fix_dict: dict[str, Any] | None = None
    if fix is not None:
        fix_dict = {"applicability": fix.applicability, "message": fix.message}
        fix_dict["edits"] = [] if line_starts is None else [edit_dict(edit, line_starts) for edit in fix.edits]
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
        "url": rule_url(violation.code),
        "fix": fix_dict,
    }


def _location(starts: list[int], offset: int) -> dict[str, int]:
    index = line_index(starts, offset)
    return {"row": index + 1, "column": offset - starts[index] + 1}


def edit_dict(edit: Edit, starts: list[int]) -> dict[str, Any]:
    """An edit with 1-based positions in the text whose lines start at `starts`."""
    return {
        "content": edit.replacement,
        "location": _location(starts, edit.start),
        "end_location": _location(starts, edit.end),
    }


class JsonReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream

    def report(self, report: Report) -> None:
        entries: list[dict[str, Any]] = []
        for outcome in report.files:
            # After --fix, the findings that remain are those of the fixed text.
            text = outcome.new_text if outcome.new_text is not None else outcome.original
            starts = None if text is None else every_line_start(text)
            entries.extend(violation_dict(violation, starts) for violation in outcome.violations)
        json.dump(entries, self.stream, indent=2, ensure_ascii=False)
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
