"""Running digestlint over files: read, check or fix, cross-file checks, write.

The per-file work (`process_source`) is pure apart from what it is given;
reading and writing happen here, at the edge. With a cache folder, results
are looked up first (`cache.py`); the files left to check go through a
process pool when there are enough of them (`parallel.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.cache import PaperRef, ResultCache, StoredRecords
from digestlint.digests import NOT_A_DIGEST
from digestlint.files import (
    ReadError,
    Source,
    discover,
    display_path,
    encode,
    fingerprint,
    is_excluded,
    read_source,
    sync_folders,
    write_atomic,
)
from digestlint.model import Violation
from digestlint.records import PaperRecord
from digestlint.rules import CROSS_FILE_RULES
from digestlint.rules.structure import UnreadableFile
from digestlint.settings import Settings
from digestlint.suppress import Suppressions

if TYPE_CHECKING:
    from digestlint.project import Project, Resolver


@dataclass
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    keep_rendering: bool = False  # `format`: apply a fix only when the file renders as it did with it
    diff: bool = False  # with fix: print a diff instead of writing
    write: bool = True
    excludes: tuple[str, ...] = ()
    archive: tuple[Path, ...] = ()
    force_exclude: bool = False
    follow_symlinks: bool = False  # walk into symlinked folders
    cache_root: Path | None = None  # the folder `.digestlint_cache/` goes in (with projects: each root); None: no cache
    respect_gitignore: bool = True  # folder walks skip what .gitignore/.ignore ignore (`gitignore.py`)
    jobs: int | None = None  # processes; None: decided by the amount of work, 1: this process only
    # The checked paths, resolved: --fix writes through a symlink only to a file under one of them.
    write_roots: tuple[Path, ...] = ()  # checked folders
    # Files named directly, by the path as given: the folder each may be written in.
    file_write_roots: dict[str, Path] = field(default_factory=dict)


@dataclass
class FileOutcome:
    path: str
    violations: list[Violation] = field(default_factory=list)
    records: Sequence[PaperRecord] = field(default_factory=list)  # from the cache: built when first read
    error: str | None = None
    fixed: list[Violation] = field(default_factory=list)
    original: str | None = None
    new_text: str | None = None
    suppressions: Suppressions | None = None
    written_folder: Path | None = None  # where --fix wrote the file; synced once per folder at the end
    is_digest: bool = True  # False: not a digest, skipped with no findings (`digests.is_digest`)

    @property
    def changed(self) -> bool:
        return self.new_text is not None and self.new_text != self.original

    def diff(self) -> str:
        if not self.changed or self.original is None or self.new_text is None:
            return ""
        import difflib

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
    # (path, why): excluded by a config, or not a digest (checked, and found to be none: no findings)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        return [violation for outcome in self.files for violation in outcome.violations]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(outcome.error for outcome in self.files)


def unreadable(path: str, message: str) -> Violation:
    return UnreadableFile.for_read_error(path, message)


def process_source(source: Source, path: str, settings: Settings, options: RunOptions) -> FileOutcome:
    """Check (and, with options.fix, fix) one file's text. Pure: no reading or writing."""
    from digestlint.checker import check_text  # a run served from the cache never loads the checker

    if not options.fix:
        result = check_text(source.text, path, settings)
        # The text a fix's edits refer to, kept only when there are edits: `-o json` gives their positions.
        edited = any(violation.fix is not None and violation.fix.edits for violation in result.violations)
        return FileOutcome(
            path,
            result.violations,
            result.records,
            original=source.text if edited else None,
            suppressions=result.suppressions,
            is_digest=result.is_digest,
        )
    from digestlint.fixer import FixError, fix_text  # only a fix needs the fixer: start-up stays small
    from digestlint.rendering import KeepRendering

    try:
        outcome = fix_text(
            source.text,
            path,
            settings,
            unsafe=options.unsafe_fixes,
            keep=KeepRendering() if options.keep_rendering else None,
        )
    except FixError as error:
        return unfixed(source, path, settings, str(error))
    assert outcome.result is not None
    return FileOutcome(
        path,
        outcome.result.violations,
        outcome.result.records,
        fixed=outcome.applied,
        original=source.text,
        new_text=outcome.text,
        suppressions=outcome.result.suppressions,
        is_digest=outcome.result.is_digest,
    )


def unfixed(source: Source, path: str, settings: Settings, error: str) -> FileOutcome:
    """The outcome of a file left as it was (its fix refused, or not written): the findings of its
    own text, nothing reported as fixed."""
    from digestlint.checker import check_text

    result = check_text(source.text, path, settings)
    return FileOutcome(
        path,
        result.violations,
        result.records,
        error=error,
        suppressions=result.suppressions,
        is_digest=result.is_digest,
    )


def write_roots(paths: Sequence[Path]) -> tuple[tuple[Path, ...], dict[str, Path]]:
    """Where --fix may write, as real paths (symlinks resolved).

    A file found in a checked folder must lie inside that folder. A file named directly (as pre-commit
    and CI scripts name them) must lie inside the current folder, or in its own folder when that is
    outside the current one: so a symlink committed to a repository cannot aim --fix at a file
    elsewhere. Each allowance is for that file alone, so naming one file does not let a symlink in a
    checked folder reach the file's neighbours.
    """
    cwd = Path.cwd().resolve()
    folders: list[Path] = []
    files: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            folders.append(path.resolve())
        else:
            parent = Path(os.path.normpath(path.absolute())).parent  # lexical: symlinks not resolved
            files[os.fspath(path)] = cwd if parent.is_relative_to(cwd) else parent.resolve()
    return tuple(folders), files


def refuse_write(path: Path, name: str, source: Source, options: RunOptions) -> str | None:
    """Why the fixed text must not be written to `path`, or None when it may be."""
    target = path.resolve()
    named = options.file_write_roots.get(os.fspath(path))
    roots = (named,) if named is not None else options.write_roots
    if not any(target.is_relative_to(root) for root in roots):
        how = "is a symlink to" if path.is_symlink() else "leads through a symlinked folder to"
        return f"{name}: {how} {target}, outside the checked paths; not written"
    try:
        info = path.stat()
    except OSError as error:
        return f"{name}: cannot write the fixed file: {error.strerror or error}; it is unchanged"
    # What the system would allow an in-place write (root may write a file without write bits, as
    # `ruff --fix` or `black` would): the atomic rename must not let anyone else past the file's mode.
    if not os.access(path, os.W_OK):
        return f"{name}: the file is read-only for this user; not written"
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


def run(
    paths: Sequence[Path],
    settings: Settings,
    options: RunOptions,
    projects: Resolver | None = None,
) -> Report:
    """Check (or fix) the Markdown files under `paths`.

    With `projects` (a `project.Resolver`), each file is governed by its own project: its
    settings, the excludes of its config and of the configs around it (for files found in
    folders, or any with force_exclude), a cache in its root (when options.cache_root is set)
    and DL406 within its root. Without, `settings` governs every file and the cache is in
    options.cache_root. Files that are not digests are listed in `Report.skipped`, not reported.
    """
    report = Report()
    options.write_roots, options.file_write_roots = write_roots(paths)
    named = {path for path in paths if not path.is_dir()}
    groups: dict[int, _Group] = {}
    jobs: list[tuple[Path, str]] = []
    ignored = None
    if options.respect_gitignore:
        from digestlint.gitignore import IgnoreRules

        ignored = IgnoreRules(paths).ignored
    for found in discover(paths, options.excludes, follow_symlinks=options.follow_symlinks, ignored=ignored):
        if isinstance(found, OSError):
            report.errors.append(f"{found.filename}: {found.strerror}")
            continue
        name = display_path(found)
        if options.force_exclude and options.excludes and is_excluded(Path(name), options.excludes):
            continue
        project = projects.for_file(found) if projects is not None else None
        if projects is not None and (found not in named or options.force_exclude):
            why = projects.excluded_by(found)
            if why is not None:
                report.skipped.append((name, f"excluded by {why}"))
                continue
        group = groups.get(id(project))
        if group is None:
            group = groups[id(project)] = _Group(project, settings if project is None else project.settings)
        group.indexes.append(len(jobs))
        jobs.append((found, name))
    outcomes: list[FileOutcome | None] = [None] * len(jobs)
    archive: list[tuple[Path, Project | None]] | None = None  # walked once, when DL406 first needs it
    for group in groups.values():
        cache_root = options.cache_root
        if cache_root is not None and group.project is not None:
            cache_root = group.project.root
        cache = None if cache_root is None else ResultCache(cache_root, group.settings)
        checked = _check_all([jobs[index] for index in group.indexes], group.settings, options, cache)
        for index, outcome in zip(group.indexes, checked):
            outcomes[index] = outcome
        if any(rule.runs_across_files(group.settings) for rule in CROSS_FILE_RULES):
            if archive is None:
                archive = _archive_files(options, projects, {found for found, _ in jobs})
            extra = _archive_records([path for path, owner in archive if owner is group.project], group.settings, cache)
            add_cross_file_duplicates(checked, extra, group.settings)
        if cache is not None:
            cache.prune()
    for done in outcomes:
        if done is not None and not done.is_digest:
            report.skipped.append((done.path, NOT_A_DIGEST))
        elif done is not None:
            report.files.append(done)
    sync_folders(sorted({outcome.written_folder for outcome in report.files if outcome.written_folder is not None}))
    return report


@dataclass
class _Group:
    """The files one project governs (or all of them, without projects)."""

    project: Project | None
    settings: Settings
    indexes: list[int] = field(default_factory=list)


def _check_all(
    jobs: list[tuple[Path, str]], settings: Settings, options: RunOptions, cache: ResultCache | None
) -> list[FileOutcome]:
    """The outcome of each job, in order: from the cache, else checked (in a pool when it pays)."""
    outcomes: list[FileOutcome | None] = [None] * len(jobs)
    todo: list[tuple[Path, str, Source | None]] = []  # with the text the cache lookup read: read once per run
    indexes: list[int] = []
    sizes: list[int] = []
    for index, (found, name) in enumerate(jobs):
        if cache is None:
            todo.append((found, name, None))
            indexes.append(index)
            sizes.append(_size(found))
            continue
        outcome, source = _from_cache(found, name, options, cache, settings)
        if outcome is None:
            todo.append((found, name, source))
            indexes.append(index)
            sizes.append(len(source.text) if source is not None else 0)
        outcomes[index] = outcome
    from digestlint.parallel import map_in_order, worker_count

    workers = worker_count(options.jobs, sizes)
    handle = partial(_handle_in_worker if workers > 1 else handle_file, settings=settings, options=options, cache=cache)
    checked = map_in_order(handle, todo, workers)
    for index, outcome in zip(indexes, checked):
        outcomes[index] = outcome
    return [outcome for outcome in outcomes if outcome is not None]


def handle_file(
    job: tuple[Path, str, Source | None], settings: Settings, options: RunOptions, cache: ResultCache | None
) -> FileOutcome:
    """Read one file (unless its text comes with the job), check or fix it, remember the result, write the fix."""
    found, name, source = job
    if source is None:
        try:
            source = read_source(found, name)
        except ReadError as error:
            return FileOutcome(name, [unreadable(name, str(error))], error=str(error))
    outcome = process_guarded(source, name, settings, options)
    if cache is not None:
        # The result is that of the text it was checked on: the fixed text, unless fixing was refused.
        text = source.text if outcome.error or outcome.new_text is None else outcome.new_text
        cache.put(name, text, source.bom, outcome.violations, outcome.records, outcome.suppressions, outcome.is_digest)
    if outcome.changed and options.write and not options.diff and outcome.new_text is not None:
        refusal = refuse_write(found, name, source, options)
        if refusal is not None:
            return unfixed(source, name, settings, refusal)
        try:
            outcome.written_folder = write_atomic(
                found, encode(source, outcome.new_text), source.mode, sync_folder=False
            )
        except OSError as error:
            reason = f"{name}: cannot write the fixed file: {error.strerror or error}; it is unchanged"
            return unfixed(source, name, settings, reason)
    return outcome


def _handle_in_worker(
    job: tuple[Path, str, Source | None], settings: Settings, options: RunOptions, cache: ResultCache | None
) -> FileOutcome:
    """`handle_file` in a pool worker: the records travel back packed (building them twice, in the
    worker and again when unpickled, cost the parent more than the pool saved)."""
    outcome = handle_file(job, settings, options, cache)
    if outcome.records and not isinstance(outcome.records, StoredRecords):
        outcome.records = StoredRecords.of(outcome.records)
    return outcome


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _from_cache(
    found: Path, name: str, options: RunOptions, cache: ResultCache, settings: Settings
) -> tuple[FileOutcome | None, Source | None]:
    """(the outcome from the cache or of a file that cannot be read, or None; the text read, to be checked)."""
    try:
        source = read_source(found, name)
    except ReadError as error:
        return FileOutcome(name, [unreadable(name, str(error))], error=str(error)), None
    cached = cache.get(name, source.text, source.bom)
    if cached is None:
        return None, source
    if not options.fix:
        outcome = FileOutcome(name, cached.violations, cached.records, suppressions=cached.suppressions)
        outcome.is_digest = cached.is_digest
        return outcome, None
    from digestlint.fixer import applicable

    if any(
        applicable(violation, options.unsafe_fixes) and settings.fix_allowed(violation.code)
        for violation in cached.violations
    ):
        return None, source  # there is something to fix
    return (
        FileOutcome(
            name,
            cached.violations,
            cached.records,
            original=source.text,
            new_text=source.text,
            suppressions=cached.suppressions,
            is_digest=cached.is_digest,
        ),
        None,
    )


def _archive_files(
    options: RunOptions, projects: Resolver | None, checked: set[Path]
) -> list[tuple[Path, Project | None]]:
    """The digests under --archive, each with its project (DL406 reads those of the checked files' root).

    Checked files are recognised by their real path: the archive root may be spelt differently
    from the checked paths (`--archive ..` from a subfolder), and a checked file must never be
    read a second time as its own duplicate. Files a config excludes are left out.
    """
    if not options.archive:
        return []
    checked_real = {path.resolve() for path in checked}
    files: list[tuple[Path, Project | None]] = []
    ignored = None
    if options.respect_gitignore:
        from digestlint.gitignore import IgnoreRules

        ignored = IgnoreRules(options.archive).ignored
    for found in discover(list(options.archive), options.excludes, ignored=ignored):
        if isinstance(found, OSError) or found.resolve() in checked_real:
            continue
        if projects is None:
            files.append((found, None))
        elif projects.excluded_by(found) is None:
            files.append((found, projects.for_file(found)))
    return files


def _archive_records(
    files: Sequence[Path], settings: Settings, cache: ResultCache | None
) -> list[PaperRecord | PaperRef]:
    """Records of the other digests in the archive, read for DL406 but never reported on.

    A file the cache knows is not parsed at all.
    """
    records: list[PaperRecord | PaperRef] = []
    for found in files:
        name = display_path(found)
        try:
            source = read_source(found, name)
        except ReadError:
            continue
        cached = cache.get(name, source.text, source.bom) if cache is not None else None
        if cached is not None:
            records.extend(cached.records.papers())
        else:
            from digestlint.checker import read_records

            try:
                records.extend(read_records(source.text, name, settings))
            except Exception:  # an archive file is context, not checked: a bug in it must not stop the run
                continue
    return records


def add_archive_duplicates(
    outcome: FileOutcome, project: Project, options: RunOptions, projects: Resolver, on_disk: Path
) -> None:
    """The cross-file findings for one text checked outside `run` (stdin, named `on_disk`), against
    the digests under --archive in its project root, as if it were the file `on_disk`: that file
    itself is not read."""
    if not options.archive or project.settings.cross_file_window == 0:
        return
    archive = _archive_files(options, projects, {on_disk})
    extra = _archive_records([path for path, owner in archive if owner is project], project.settings, None)
    add_cross_file_duplicates([outcome], extra, project.settings)


def _papers(records: Sequence[PaperRecord]) -> Sequence[PaperRecord | PaperRef]:
    """The records DL406 compares; a cached file's without building its records."""
    return records.papers() if isinstance(records, StoredRecords) else records


def add_cross_file_duplicates(
    outcomes: list[FileOutcome], extra: Iterable[PaperRecord | PaperRef], settings: Settings
) -> None:
    """Add the findings of the cross-file rules (`Rule.cross_file`) to the checked files' outcomes.

    `extra` holds the papers of files read only for context (`--archive`): compared with, never
    reported on. Made after the per-file pass, so per-file-ignores and inline comments are applied here.
    """
    rules = [rule for rule in CROSS_FILE_RULES if rule.runs_across_files(settings)]
    if not rules:
        return
    papers_by_file: dict[str, list[PaperRecord | PaperRef]] = {}
    for outcome in outcomes:
        if not (outcome.error and not outcome.records):
            papers_by_file.setdefault(outcome.path, []).extend(_papers(outcome.records))
    context = list(extra)
    by_path = {outcome.path: outcome for outcome in outcomes}
    touched: dict[str, FileOutcome] = {}
    for rule in rules:
        for violation in rule().check_files(papers_by_file, context, settings):
            target = by_path.get(violation.path)
            if target is None or not settings.enabled(violation.code, violation.path):
                continue
            if target.suppressions is not None and target.suppressions.suppressed(violation):
                continue
            target.violations.append(violation)
            touched[target.path] = target
    for target in touched.values():
        target.violations.sort(key=lambda violation: violation.sort_key)


def fix_summary(report: Report, unsafe: bool) -> str:
    fixed = sum(len(outcome.fixed) for outcome in report.files)
    files = sum(1 for outcome in report.files if outcome.fixed)
    remaining = report.violations
    need_unsafe = (
        0
        if unsafe
        else sum(1 for violation in remaining if violation.fix is not None and violation.fix.applicability == "unsafe")
    )
    text = f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    text += f"; {len(remaining)} remain"
    if need_unsafe:
        text += f" ({need_unsafe} need --unsafe-fixes)"
    return text + "."
