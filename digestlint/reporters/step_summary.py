"""The Markdown summary a GitHub Actions job shows on its page (`$GITHUB_STEP_SUMMARY`).

Appended, whatever the output format, when the variable is set: files checked,
findings per code, and a table of the first findings linked to their lines.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from digestlint.model import Violation

if TYPE_CHECKING:
    from digestlint.runner import Report

FIRST_FINDINGS = 20


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipe, no line break, no HTML."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return " ".join(escaped.splitlines())


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def line_links(environ: Mapping[str, str]) -> Callable[[Violation], str | None]:
    """A finding's URL on GitHub at the commit being checked, when the job's variables say where that is."""
    server, repository, sha = (environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    workspace = environ.get("GITHUB_WORKSPACE")
    if not (server and repository and sha and workspace):
        return lambda violation: None
    root = Path(workspace).resolve()

    def link(violation: Violation) -> str | None:
        absolute = Path(os.path.normpath(Path.cwd().resolve() / violation.path))
        try:
            relative = absolute.relative_to(root).as_posix()
        except ValueError:
            return None
        return f"{server}/{repository}/blob/{sha}/{quote(relative)}#L{violation.line}"

    return link


def summary_markdown(report: Report, link: Callable[[Violation], str | None]) -> str:
    violations = report.violations
    files = len(report.files)
    lines = ["## digestlint", ""]
    if not violations:
        lines.append(f"Checked {_plural(files, 'file')}: no findings.")
    else:
        affected = len({violation.path for violation in violations})
        fixable = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "safe")
        fixable_text = f" ({fixable} fixable with `digestlint --fix`)" if fixable else ""
        lines.append(
            f"Checked {_plural(files, 'file')}: {_plural(len(violations), 'finding')} "
            f"in {_plural(affected, 'file')}{fixable_text}."
        )
    errors = len(report.errors) + sum(1 for outcome in report.files if outcome.error)
    if errors:
        lines += ["", f"{_plural(errors, 'error')}: see the job log."]
    if violations:
        counts = Counter(violation.code for violation in violations)
        names = {violation.code: violation.name for violation in violations}
        lines += ["", "| Code | Rule | Findings |", "| --- | --- | ---: |"]
        lines += [f"| {code} | {names[code]} | {count} |" for code, count in sorted(counts.items())]
        lines += ["", "| Where | Code | Message |", "| --- | --- | --- |"]
        for violation in violations[:FIRST_FINDINGS]:
            where = _cell(f"{violation.path}:{violation.line}:{violation.column}")
            url = link(violation)
            if url is not None:
                where = "[" + where.replace("[", "\\[").replace("]", "\\]") + f"]({url})"
            lines.append(f"| {where} | {violation.code} | {_cell(violation.message)} |")
        if len(violations) > FIRST_FINDINGS:
            lines += ["", f"The first {FIRST_FINDINGS} of {len(violations)} findings; the job log has them all."]
    return "\n".join(lines) + "\n\n"


def append_step_summary(report: Report, environ: Mapping[str, str]) -> str | None:
    """Append the summary to `$GITHUB_STEP_SUMMARY`; a message saying why not on failure."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(summary_markdown(report, line_links(environ)))
    except OSError as error:
        return f"cannot append the job summary to {target}: {error.strerror or error}"
    return None
