"""GitHub Actions workflow commands: one `::error` line per finding, so findings annotate the PR diff.

`::error file=PATH,line=L,col=C,title=CODE::MESSAGE`. Paths are as reported (relative to
the current folder): run digestlint from the repository root for the annotations to land.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from digestlint.model import Severity, Violation

if TYPE_CHECKING:
    from digestlint.runner import Report


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF would end or corrupt the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also `:` and `,`, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(violation: Violation) -> str:
    command = "warning" if violation.severity is Severity.WARNING else "error"
    properties = [("file", violation.path), ("line", str(violation.line)), ("col", str(violation.column))]
    if violation.end_line > violation.line:
        properties.append(("endLine", str(violation.end_line)))
    elif violation.end_line == violation.line and violation.end_column > violation.column + 1:
        # Our end column is exclusive, GitHub's is inclusive.
        properties += [("endLine", str(violation.line)), ("endColumn", str(violation.end_column - 1))]
    properties.append(("title", violation.code))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {joined}::{escape_data(violation.message)}"


class GithubReporter:
    def __init__(self, stream: IO[str], *, color: bool, show_fixes: bool) -> None:
        self.stream = stream

    def report(self, report: Report) -> None:
        for violation in report.violations:
            self.stream.write(workflow_command(violation) + "\n")
