"""A baseline: today's findings, recorded so that only new ones are reported (SwiftLint's, ruff's `--add-noqa` idea).

`--write-baseline FILE` records every finding of a run; `--baseline FILE` (or `baseline = "FILE"` in config)
reports only findings the file does not hold, and counts the entries that no longer occur, so the
baseline can be tightened. A finding is keyed by
- its file's path relative to its project root (the same from any folder),
- its code,
- the paper its row lists: the arXiv ID (without version) of the row's record, or found in the row's
  line; for a line with no ID (a heading, half of a split row), a hash of the line's text with
  whitespace folded.

Line numbers are not part of the key: rows inserted above old ones leave the baseline valid. The same
key may occur several times (two non-canonical URLs in one row); the baseline holds a count for each.
Entries count as stale only for files checked in the run, so a pre-commit run on a few staged files
does not call the rest of the baseline stale.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.model import fold_whitespace, source_lines
from digestlint.urls import NEW_ARXIV_ID, OLD_ARXIV_ID, strip_version

if TYPE_CHECKING:
    from digestlint.runner import FileOutcome, Report

FORMAT_VERSION = 1
_ARXIV_IN_LINE = re.compile(rf"arxiv\.org/(?:abs|pdf)/({NEW_ARXIV_ID}|{OLD_ARXIV_ID})")

Key = tuple[str, str, str]  # (path relative to the project root, code, "arxiv:ID" or "row:HASH")


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message names the file."""


@dataclass
class Applied:
    """What applying a baseline did: findings hidden, and entries (for the checked files) that no longer occur."""

    hidden: int
    stale: list[tuple[Key, int]]


def _row_key(line_text: str) -> str:
    found = _ARXIV_IN_LINE.search(line_text)
    if found is not None:
        return "arxiv:" + strip_version(found.group(1))
    digest = hashlib.sha256(fold_whitespace(line_text).encode("utf-8")).hexdigest()[:16]
    return "row:" + digest


def _text_of(outcome: FileOutcome) -> str:
    """The text the findings' lines refer to; read again when the run did not keep it."""
    if outcome.new_text is not None and not outcome.error:
        return outcome.new_text
    if outcome.original is not None:
        return outcome.original
    try:
        data = Path(outcome.path).read_bytes()
    except OSError as error:
        if outcome.error:
            return ""  # the run could not read the file either, and its finding (DL100) says so
        raise BaselineError(
            f"{outcome.path}: cannot read the file again to key its findings in the baseline: {error.strerror or error}"
        ) from error
    return data.decode("utf-8-sig", errors="replace")


def outcome_keys(outcome: FileOutcome, project_path: Callable[[str], str]) -> list[tuple[Key, int]]:
    """(key, index into outcome.violations) for each finding of one file."""
    if not outcome.violations:
        return []
    by_line: dict[int, str] = {}
    from digestlint.cache import StoredRecords

    records = outcome.records
    # A cached file's records as the cache keeps them: building each record costs more than the whole baseline.
    for record in records.papers() if isinstance(records, StoredRecords) else records:
        if record.arxiv_id:
            by_line[record.line] = "arxiv:" + strip_version(record.arxiv_id)
    lines: list[str] | None = None
    path = project_path(outcome.path)
    keys: list[tuple[Key, int]] = []
    for index, violation in enumerate(outcome.violations):
        row = by_line.get(violation.line)
        if row is None:
            if lines is None:
                lines = source_lines(_text_of(outcome))
            text = lines[violation.line - 1] if 0 < violation.line <= len(lines) else ""
            row = _row_key(text)
        keys.append(((path, violation.code, row), index))
    return keys


def report_keys(report: Report, project_path: Callable[[str], str]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for outcome in report.files:
        counts.update(key for key, _ in outcome_keys(outcome, project_path))
    return counts


def write(path: Path, counts: Counter[Key]) -> None:
    from digestlint.files import write_atomic

    entries = [{"path": key[0], "code": key[1], "row": key[2], "count": count} for key, count in sorted(counts.items())]
    data = {"digestlint-baseline": FORMAT_VERSION, "entries": entries}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"), None)
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from error


def read(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from error
    except (UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path}: the baseline is not JSON: {error}") from error
    if not isinstance(data, dict) or data.get("digestlint-baseline") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not a digestlint baseline (write one with --write-baseline)")
    counts: Counter[Key] = Counter()
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: 'entries' must be a list")
    for entry in entries:
        try:
            key = (str(entry["path"]), str(entry["code"]), str(entry["row"]))
            counts[key] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise BaselineError(f"{path}: malformed entry {entry!r}") from error
    return counts


def apply(report: Report, baseline: Counter[Key], project_path: Callable[[str], str]) -> Applied:
    """Remove the findings the baseline holds from `report`; count the stale entries of the checked files."""
    left = Counter(baseline)
    hidden = 0
    checked: set[str] = set()
    for outcome in report.files:
        checked.add(project_path(outcome.path))
        keyed = outcome_keys(outcome, project_path)
        drop: set[int] = set()
        for key, index in keyed:
            if left[key] > 0:
                left[key] -= 1
                drop.add(index)
        if drop:
            hidden += len(drop)
            outcome.violations = [v for i, v in enumerate(outcome.violations) if i not in drop]
    stale = sorted((key, count) for key, count in left.items() if count > 0 and key[0] in checked)
    return Applied(hidden, stale)


def stale_lines(applied: Applied, baseline_path: Path, limit: int = 5) -> Sequence[str]:
    """What to tell the user about stale entries (nothing when there are none)."""
    total = sum(count for _, count in applied.stale)
    if not total:
        return []
    what = "1 entry no longer occurs" if total == 1 else f"{total} entries no longer occur"
    lines = [f"baseline {baseline_path}: {what}; tighten it with `--write-baseline {baseline_path}`"]
    lines.extend(f"  stale: {path} {code} {row}" for (path, code, row), _ in _first(applied.stale, limit))
    if len(applied.stale) > limit:
        lines.append(f"  ... and {len(applied.stale) - limit} more")
    return lines


def _first(items: Iterable[tuple[Key, int]], limit: int) -> list[tuple[Key, int]]:
    return list(items)[:limit]
