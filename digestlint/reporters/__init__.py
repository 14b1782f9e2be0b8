"""Reporters, one small class each, chosen by name from one table.

Reporters depend on `Violation` and the run's `Report` only. Each module is
imported when its format is asked for, so start-up pays for one.
"""

from __future__ import annotations

import importlib
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from digestlint.runner import Report


class Reporter(Protocol):
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None: ...

    def report(self, report: Report) -> None: ...


REPORTERS: dict[str, str] = {
    "text": "digestlint.reporters.text:TextReporter",
    "concise": "digestlint.reporters.text:ConciseReporter",
    "full": "digestlint.reporters.full:FullReporter",
    "json": "digestlint.reporters.json:JsonReporter",
    "github": "digestlint.reporters.github:GithubReporter",
    "sarif": "digestlint.reporters.sarif:SarifReporter",
    "junit": "digestlint.reporters.junit:JunitReporter",
}


def reporter_for(name: str) -> type[Reporter]:
    module_name, _, class_name = REPORTERS[name].partition(":")
    reporter: type[Reporter] = getattr(importlib.import_module(module_name), class_name)
    return reporter
