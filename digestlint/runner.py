"""Running digestlint over files: read, check or fix, cross-file checks, write.

The per-file work (`process_source`) is pure apart from what it is given;
reading and writing happen here, at the edge.
"""

from __future__ import annotations

import datetime
import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from digestlint.checker import check_text
from digestlint.files import (
    ReadError,
    Source,
    discover,
    display_path,
    encode,
    fingerprint,
    is_excluded,
    read_source,
    write_atomic,
)
from digestlint.fixer import FixError, fix_text
from digestlint.model import Severity, Violation
from digestlint.records import PaperRecord
from digestlint.rules import BY_CODE
from digestlint.settings import Settings
from digestlint.urls import strip_version

FORMAT_CODES = ("DL103", "DL105", "DL5")


@dataclass
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # with fix: print a diff instead of writing
    write: bool = True
    excludes: tuple[str, ...] = ()
    archive: tuple[Path, ...] = ()
    force_exclude: bool = False


@dataclass
class FileOutcome:
    path: str
    violations: list[Violation] = field(default_factory=list)
    records: list[PaperRecord] = field(default_factory=list)
    error: str | None = None
    fixed: list[Violation] = field(default_factory=list)
    original: str | None = None
    new_text: str | None = None

    @property
    def changed(self) -> bool:
        return self.new_text is not None and self.new_text != self.original

    def diff(self) -> str:
        if not self.changed or self.original is None or self.new_text is None:
            return ""
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=self.path,
                tofile=self.path,
            )
        )


@dataclass
class Report:
    files: list[FileOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # run-level errors: missing paths and the like

    @property
    def violations(self) -> list[Violation]:
        return [violation for outcome in self.files for violation in outcome.violations]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(outcome.error for outcome in self.files)


def unreadable(path: str, message: str) -> Violation:
    rule = BY_CODE["DL100"]
    return Violation(path, 1, 1, 1, 1, rule.code, rule.name, message.split(": ", 1)[-1], Severity.ERROR)


def process_source(source: Source, path: str, settings: Settings, options: RunOptions) -> FileOutcome:
    """Check (and, with options.fix, fix) one file's text. Pure: no reading or writing."""
    if not options.fix:
        result = check_text(source.text, path, settings)
        return FileOutcome(path, result.violations, result.records)
    try:
        outcome = fix_text(source.text, path, settings, unsafe=options.unsafe_fixes)
    except FixError as error:
        result = check_text(source.text, path, settings)
        return FileOutcome(path, result.violations, result.records, error=str(error))
    assert outcome.result is not None
    return FileOutcome(
        path,
        outcome.result.violations,
        outcome.result.records,
        fixed=outcome.applied,
        original=source.text,
        new_text=outcome.text,
    )


def write_roots(paths: Sequence[Path]) -> list[Path]:
    """Where --fix may write: inside each checked folder, and for files named directly, the current folder
    (or the file's folder when it is outside the current one). Real paths, symlinks resolved."""
    cwd = Path.cwd().resolve()
    roots: list[Path] = []
    for path in paths:
        if path.is_dir():
            roots.append(path.resolve())
        else:
            parent = Path(os.path.normpath(path.absolute())).parent  # lexical: symlinks not resolved
            roots.append(cwd if parent.is_relative_to(cwd) else parent.resolve())
    return roots


def refuse_write(path: Path, name: str, source: Source, roots: Sequence[Path]) -> str | None:
    """Why the fixed text must not be written to `path`, or None when it may be."""
    target = path.resolve()
    if not any(target.is_relative_to(root) for root in roots):
        return f"{name}: is a symlink to {target}, outside the checked paths; not written"
    try:
        info = path.stat()
    except OSError as error:
        return f"{name}: cannot write the fixed file: {error.strerror or error}; it is unchanged"
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        return f"{name}: the file is read-only; not written"
    if source.fingerprint is not None and fingerprint(info) != source.fingerprint:
        return f"{name}: the file changed while it was being checked; not written"
    return None


def process_guarded(source: Source, path: str, settings: Settings, options: RunOptions) -> FileOutcome:
    """`process_source`, with any unexpected exception turned into a one-line error for this file only.

    The last line of defence for a CI gate: a bug must not show a traceback or stop the other files.
    RecursionError and MemoryError are caught too; the file is not written.
    """
    try:
        return process_source(source, path, settings, options)
    except Exception as error:
        what = f"{type(error).__name__}: {error}"
        return FileOutcome(path, error=f"{path}: internal error ({what}); nothing was written; please report it")


def run(paths: Sequence[Path], settings: Settings, options: RunOptions) -> Report:
    report = Report()
    roots = write_roots(paths) if options.fix and options.write and not options.diff else []
    for found in discover(paths, options.excludes):
        if isinstance(found, OSError):
            report.errors.append(f"{found.filename}: {found.strerror}")
            continue
        name = display_path(found)
        if options.force_exclude and options.excludes and is_excluded(Path(name), options.excludes):
            continue
        try:
            source = read_source(found, name)
        except ReadError as error:
            report.files.append(FileOutcome(name, [unreadable(name, str(error))], error=str(error)))
            continue
        outcome = process_guarded(source, name, settings, options)
        report.files.append(outcome)
        if outcome.changed and options.write and not options.diff and outcome.new_text is not None:
            refusal = refuse_write(found, name, source, roots)
            if refusal is not None:
                outcome.error = refusal
                continue
            try:
                write_atomic(found, encode(source, outcome.new_text), source.mode)
            except OSError as error:
                outcome.error = f"{name}: cannot write the fixed file: {error.strerror or error}; it is unchanged"
    if settings.enabled("DL406"):
        extra = _archive_records(options.archive, {outcome.path for outcome in report.files}, settings)
        add_cross_file_duplicates(report.files, extra, settings)
    return report


def _archive_records(roots: Sequence[Path], checked: set[str], settings: Settings) -> list[PaperRecord]:
    """Records of the other digests in the archive, read for DL406 but never reported on."""
    records: list[PaperRecord] = []
    for found in discover(list(roots), ()):
        if isinstance(found, OSError):
            continue
        name = display_path(found)
        if name in checked:
            continue
        try:
            source = read_source(found, name)
            records.extend(check_text(source.text, name, settings).records)
        except ReadError:
            continue
        except Exception:  # an archive file is context, not checked: a bug in it must not stop the run
            continue
    return records


def add_cross_file_duplicates(outcomes: list[FileOutcome], extra: Iterable[PaperRecord], settings: Settings) -> None:
    window = settings.cross_file_window
    if window == 0:
        return
    by_id: dict[str, list[PaperRecord]] = {}
    for outcome in outcomes:
        if outcome.error and not outcome.records:
            continue
        for record in outcome.records:
            if record.arxiv_id:
                by_id.setdefault(strip_version(record.arxiv_id), []).append(record)
    for record in extra:
        if record.arxiv_id and strip_version(record.arxiv_id) in by_id:
            by_id[strip_version(record.arxiv_id)].append(record)
    rule = BY_CODE["DL406"]
    by_path = {outcome.path: outcome for outcome in outcomes}
    for paper, records in by_id.items():
        files = {record.path for record in records}
        if len(files) < 2:
            continue
        for record in records:
            target = by_path.get(record.path)
            if target is None:
                continue
            others = [
                other for other in records if other.path != record.path and _within(record.date, other.date, window)
            ]
            if not others:
                continue
            where = ", ".join(f"{other.path}:{other.line}" for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            target.violations.append(
                Violation(
                    record.path,
                    record.line,
                    1,
                    record.line,
                    1,
                    rule.code,
                    rule.name,
                    f"paper {paper} is also listed in {where}{more}; keep it on one day",
                )
            )
            target.violations.sort(key=lambda violation: violation.sort_key)


def _within(first: str | None, second: str | None, window: int | None) -> bool:
    if window is None:
        return True
    if first is None or second is None:
        return True
    try:
        delta = datetime.date.fromisoformat(first) - datetime.date.fromisoformat(second)
    except ValueError:
        return True
    return abs(delta.days) <= window


def fix_summary(report: Report, unsafe: bool) -> str:
    fixed = sum(len(outcome.fixed) for outcome in report.files)
    files = sum(1 for outcome in report.files if outcome.fixed)
    remaining = report.violations
    need_unsafe = 0 if unsafe else sum(1 for v in remaining if v.fix is not None and v.fix.applicability == "unsafe")
    text = f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    text += f"; {len(remaining)} remain"
    if need_unsafe:
        text += f" ({need_unsafe} need --unsafe-fixes)"
    return text + "."
