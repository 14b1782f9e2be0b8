"""What the language server knows and does, without the protocol: documents, settings, checks, actions.

The pygls layer (`digestlint.server.app`) turns notifications into calls here and the results
into protocol messages; everything here is plain Python over digestlint's own types, so it is
tested without a client.

- Settings: each file is governed by the configuration the command line would use for it
  (`project.Resolver`, as `api.load_settings`). Resolutions are cached per folder and dropped
  when a configuration file is created, changed or deleted (`config_changed`), or when one of
  the files a resolution read has a new modification time.
- DL406: the digests under each project root are read once, when a file of that root is first
  checked, and kept as records by paper; a changed file on disk (`file_changed`) or an open
  document replaces its own records.
- A file on disk that is not UTF-8 gets one DL100 finding and nothing else; an exception inside
  a check is caught, logged and returned once as a message, and the document gets no findings.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint import api
from digestlint.model import Edit, Violation, line_index
from digestlint.server.convert import LineIndex, TextEdit, minimal_edits

if TYPE_CHECKING:
    from digestlint.project import Project
    from digestlint.records import PaperRecord
    from digestlint.settings import Settings

LOG = logging.getLogger("digestlint.server")
CONFIG_NAMES = (".digestlint.toml", "pyproject.toml")
FIX_ALL_KIND = "source.fixAll.digestlint"


@dataclass
class Document:
    """An open document: its text as the editor has it, and what its last check found."""

    uri: str
    path: str  # absolute file-system path, or the URI for a document that is not a file
    text: str
    version: int | None = None
    unreadable: str | None = None  # why the file on disk is not UTF-8 text (DL100), else None
    findings: list[Violation] = field(default_factory=list)
    checked_text: str | None = None  # the text `findings` were made on


@dataclass(frozen=True)
class Action:
    """A code action: a title, a kind, the edits to this document, and the findings it resolves."""

    title: str
    kind: str  # "quickfix" or FIX_ALL_KIND
    edits: list[TextEdit]
    findings: list[Violation] = field(default_factory=list)
    preferred: bool = False


def _stamp(paths: Iterable[Path]) -> tuple[int, ...]:
    stamps: list[int] = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


@dataclass
class _Resolution:
    project: Project
    stamp: tuple[int, ...]


class Archive:
    """The records of every digest under one project root, by paper ID, for DL406."""

    def __init__(self, root: Path, generation: int = 0) -> None:
        self.root = root
        self.generation = generation  # the session's config generation it was read under
        self.by_path: dict[str, Sequence[PaperRecord]] = {}
        self.by_paper: dict[str, list[PaperRecord]] = {}

    def load(self, session: Session) -> None:
        from digestlint.files import discover

        ignored = None
        if session.project(str(self.root / "_")).respect_gitignore is not False:  # resolved by folder: any name
            from digestlint.gitignore import IgnoreRules  # what `check --archive` skips, DL406 skips here

            ignored = IgnoreRules([self.root]).ignored
        for found in discover([self.root], (), ignored=ignored):
            if isinstance(found, OSError) or session.project(str(found)).excluded_by(found) is not None:
                continue
            self.update(str(found), session.read_records(found))

    def update(self, path: str, records: Sequence[PaperRecord]) -> None:
        from digestlint.urls import strip_version

        old = self.by_path.pop(path, ())
        for record in old:
            if record.arxiv_id:
                listed = self.by_paper.get(strip_version(record.arxiv_id), [])
                if record in listed:
                    listed.remove(record)
        if records:
            self.by_path[path] = records
        for record in records:
            if record.arxiv_id:
                self.by_paper.setdefault(strip_version(record.arxiv_id), []).append(record)

    def others(self, path: str, records: Sequence[PaperRecord]) -> list[PaperRecord]:
        """The records of other files that list a paper `records` lists."""
        from digestlint.urls import strip_version

        found: list[PaperRecord] = []
        seen: set[str] = set()
        for record in records:
            if not record.arxiv_id:
                continue
            paper = strip_version(record.arxiv_id)
            if paper in seen:
                continue
            seen.add(paper)
            found.extend(other for other in self.by_paper.get(paper, ()) if other.path != path)
        return found


class Session:
    """The open documents of one server and what governs them."""

    def __init__(self, *, background_archives: bool = False) -> None:
        # With background_archives, a root's digests are not read during a check: the check goes
        # without DL406, the root is listed in `archives_wanted`, and the caller reads them
        # (`read_archive`, in a thread) and installs them (`install_archive`) before checking again.
        self.background_archives = background_archives
        self.archives_wanted: set[str] = set()
        self.documents: dict[str, Document] = {}
        self._resolutions: dict[str, _Resolution] = {}
        self._archives: dict[str, Archive] = {}
        self.reported_errors: set[str] = set()
        self.generation = 0  # counts config changes: an archive read before one is not used
        self.workspace_folders: list[str] = []  # file-system paths, from the client's initialize request

    # Documents

    def open(self, uri: str, text: str, version: int | None = None) -> Document:
        document = Document(uri, uri_to_path(uri), text, version)
        document.unreadable = _unreadable(document.path)
        self.documents[uri] = document
        return document

    def change(self, uri: str, text: str, version: int | None = None) -> Document:
        document = self.documents.get(uri)
        if document is None:
            return self.open(uri, text, version)
        document.text = text
        document.version = version
        return document

    def save(self, uri: str, text: str | None = None) -> Document | None:
        document = self.documents.get(uri)
        if document is None:
            return None
        if text is not None:
            document.text = text
        document.unreadable = _unreadable(document.path)  # the editor may have written it in another encoding
        if _is_config(document.path):
            self.config_changed()
        return document

    def close(self, uri: str) -> None:
        document = self.documents.pop(uri, None)
        if document is None:
            return
        archive = self._archive_of(document.path, create=False)
        if archive is not None:  # back to what is on disk
            archive.update(document.path, self.read_records(Path(document.path)) if _exists(document.path) else ())

    # Settings

    def project(self, path: str) -> Project:
        """The project (root and settings) governing `path`; cached per folder until a config changes."""
        from digestlint.project import Resolver

        where = Path(path) if _is_file_path(path) else Path.cwd()
        folder = str(where.parent)
        cached = self._resolutions.get(folder)
        if cached is not None and _stamp(cached.project.chain) == cached.stamp:
            return cached.project
        project = Resolver().for_path(where)
        self._resolutions[folder] = _Resolution(project, _stamp(project.chain))
        return project

    def settings(self, path: str) -> Settings:
        return self.project(path).settings

    def config_changed(self) -> None:
        """A configuration file was created, changed or deleted: resolve every file again."""
        self._resolutions.clear()
        self._archives.clear()
        self.generation += 1

    def file_changed(self, path: str) -> None:
        """A file changed on disk (a watched-files notification)."""
        if _is_config(path):
            self.config_changed()
            return
        if any(document.path == path for document in self.documents.values()):
            return  # the editor's text is what counts while it is open
        archive = self._archive_of(path, create=False)
        if archive is not None:
            archive.update(path, self.read_records(Path(path)) if _exists(path) else ())

    def read_records(self, path: Path) -> Sequence[PaperRecord]:
        from digestlint.files import ReadError, read_source

        try:
            source = read_source(path, str(path))
            return api.records(source.text, str(path), self.settings(str(path)))
        except (ReadError, OSError):
            return ()
        except Exception:  # a config error or a bug: DL406 just misses this file
            LOG.exception("digestlint: reading %s for cross-file duplicates failed", path)
            return ()

    def archive_root(self, path: str) -> Path:
        """The folder whose digests DL406 compares a file with: its project root, as on the command line.

        A file with no config above it and outside any git work tree has the server's current folder
        as its root, which may be anything (the home folder): then its workspace folder, else its own folder.
        """
        project = self.project(path)
        file = Path(path)
        if project.why_root.startswith("the current folder") or not file.is_relative_to(project.root):
            folders = [Path(folder) for folder in self.workspace_folders if file.is_relative_to(folder)]
            return max(folders, key=lambda folder: len(folder.parts)) if folders else file.parent
        return project.root

    def _archive_of(self, path: str, *, create: bool) -> Archive | None:
        if not _is_file_path(path):
            return None
        root = str(self.archive_root(path))
        archive = self._archives.get(root)
        if archive is None and create:
            if self.background_archives:
                self.archives_wanted.add(root)
                return None
            archive = self._archives[root] = self.read_archive(root)
        return archive

    def read_archive(self, root: str) -> Archive:
        """The records of every digest under `root`, read from disk (open documents count from their next check)."""
        archive = Archive(Path(root), self.generation)
        archive.load(self)
        return archive

    def install_archive(self, archive: Archive) -> None:
        """Use an archive read by `read_archive`, unless a config changed since it was read."""
        root = str(archive.root)
        self.archives_wanted.discard(root)
        if archive.generation == self.generation:
            self._archives[root] = archive

    # Checking

    def check(self, uri: str) -> tuple[list[Violation], str | None]:
        """The findings of an open document, and an error message to show (once per distinct error)."""
        document = self.documents.get(uri)
        if document is None:
            return [], None
        from digestlint.config import ConfigError
        from digestlint.layouts import LayoutError

        try:
            findings = self._check(document)
        except (ConfigError, LayoutError) as error:  # the user's to correct: shown as the CLI says it
            document.findings, document.checked_text = [], None
            if str(error) in self.reported_errors:
                return [], None
            self.reported_errors.add(str(error))
            return [], f"digestlint: {error}"
        except Exception as error:
            LOG.error("digestlint: checking %s failed:\n%s", document.path, traceback.format_exc())
            document.findings, document.checked_text = [], None
            message = f"digestlint: internal error while checking {document.path}: {type(error).__name__}: {error}"
            key = f"{type(error).__name__}: {error}"
            if key in self.reported_errors:
                return [], None
            self.reported_errors.add(key)
            return [], message + " (see the server log; please report it)"
        document.findings, document.checked_text = findings, document.text
        return findings, None

    def _check(self, document: Document) -> list[Violation]:
        from digestlint.checker import check_text

        if document.unreadable is not None:
            from digestlint.runner import unreadable

            return [unreadable(document.path, document.unreadable)]
        settings = self.settings(document.path)
        result = check_text(document.text, document.path, settings)
        if not result.is_digest:
            return []
        if _runs_across_files(settings):
            archive = self._archive_of(document.path, create=True)
            if archive is not None:
                archive.update(document.path, result.records)
                from digestlint.runner import FileOutcome, add_cross_file_duplicates

                outcome = FileOutcome(
                    document.path, list(result.violations), result.records, suppressions=result.suppressions
                )
                add_cross_file_duplicates([outcome], archive.others(document.path, result.records), settings)
                return outcome.violations
        return list(result.violations)

    def findings(self, uri: str) -> list[Violation]:
        """The findings of the document's current text (checked again when it changed since)."""
        document = self.documents.get(uri)
        if document is None:
            return []
        if document.checked_text != document.text:
            self.check(uri)
        return document.findings

    # Actions and formatting

    def code_actions(
        self, uri: str, first_line: int, last_line: int, only: Sequence[str] | None = None
    ) -> list[Action]:
        """Actions for the findings on lines `first_line`..`last_line` (0-based, as the protocol counts)."""
        document = self.documents.get(uri)
        if document is None or document.unreadable is not None:
            return []
        wanted = _kinds(only)
        findings = self.findings(uri)
        index = LineIndex(document.text)
        actions: list[Action] = []
        in_range = [
            finding for finding in findings if finding.line - 1 <= last_line and finding.end_line - 1 >= first_line
        ]
        if "quickfix" in wanted:
            for finding in in_range:
                fix = finding.fix
                if fix is None or not fix.edits:
                    continue
                unsafe = " (unsafe)" if fix.applicability == "unsafe" else ""
                actions.append(
                    Action(
                        f"{finding.code}: {fix.message}{unsafe}",
                        "quickfix",
                        index.text_edits(fix.edits),
                        [finding],
                        preferred=fix.applicability == "safe",
                    )
                )
            actions.extend(self._disable_actions(document, in_range, index))
        if FIX_ALL_KIND in wanted and any(finding.fix is not None for finding in findings):
            edits = self.fix_all(uri)
            if edits:
                fixable = [f for f in findings if f.fix is not None and f.fix.applicability == "safe"]
                actions.append(Action("Fix all digestlint findings", FIX_ALL_KIND, edits, fixable))
        return actions

    def _disable_actions(self, document: Document, findings: Sequence[Violation], index: LineIndex) -> list[Action]:
        """ "Disable DLxxx for this table": a disable comment above the table and an enable comment below.

        Never a comment between rows: a line that is not a row ends the table.
        """
        from digestlint.parse import parse

        tables = parse(document.text, document.path, self.settings(document.path).layouts).tables
        line_starts = index.line_starts
        actions: list[Action] = []
        offered: set[tuple[str, int]] = set()
        newline = "\r\n" if "\r\n" in document.text else "\n"
        for finding in findings:
            offset = line_starts[min(finding.line - 1, len(line_starts) - 1)]
            table = next((table for table in tables if table.start <= offset < max(table.end, table.start + 1)), None)
            if table is None or (finding.code, table.start) in offered:
                continue
            offered.add((finding.code, table.start))
            first = line_starts[line_index(line_starts, table.start)]
            last_line = line_index(line_starts, max(table.end - 1, table.start))
            end = line_starts[last_line + 1] if last_line + 1 < len(line_starts) else len(document.text)
            body = document.text[first:end]
            stripped = body.rstrip("\r\n")
            end_of_last = first + len(stripped)
            edits = [
                Edit(first, first, f"<!-- digestlint-disable {finding.code} -->{newline}{newline}"),
                Edit(end_of_last, end_of_last, f"{newline}{newline}<!-- digestlint-enable {finding.code} -->"),
            ]
            actions.append(
                Action(f"Disable {finding.code} for this table", "quickfix", index.text_edits(edits), [finding])
            )
        return actions

    def fix_all(self, uri: str, *, unsafe: bool = False) -> list[TextEdit]:
        """Edits applying every safe fix (what `digestlint --fix` writes), none when nothing changes."""
        document = self.documents.get(uri)
        if document is None or document.unreadable is not None:
            return []
        report = api.fix_text(document.text, document.path, self.settings(document.path), unsafe=unsafe)
        if report.error is not None or report.text is None:
            return []
        return LineIndex(document.text).text_edits(minimal_edits(document.text, report.text))

    def format(self, uri: str) -> list[TextEdit]:
        """What `digestlint format` writes, as edits of the changed lines; none for a canonical text."""
        document = self.documents.get(uri)
        if document is None or document.unreadable is not None:
            return []
        report = api.format_text(document.text, document.path, self.settings(document.path))
        if report.error is not None or report.text is None:
            return []
        return LineIndex(document.text).text_edits(minimal_edits(document.text, report.text))


def _kinds(only: Sequence[str] | None) -> set[str]:
    """Which of our kinds a client asked for (`only` lists kinds or their prefixes: `source` covers fixAll)."""
    ours = ("quickfix", FIX_ALL_KIND)
    if not only:
        return set(ours)
    return {kind for kind in ours for asked in only if kind == asked or kind.startswith(asked + ".")}


def _runs_across_files(settings: Settings) -> bool:
    """Whether a cross-file rule (DL406) has anything to do under these settings."""
    from digestlint.rules import CROSS_FILE_RULES

    return any(rule.runs_across_files(settings) for rule in CROSS_FILE_RULES)


def _is_config(path: str) -> bool:
    return Path(path).name in CONFIG_NAMES


def _exists(path: str) -> bool:
    return Path(path).is_file()


def _is_file_path(path: str) -> bool:
    """An absolute file-system path (a document that is not a file keeps its URI as its path)."""
    return "://" not in path and Path(path).is_absolute()


def _unreadable(path: str) -> str | None:
    """Why the file on disk is not UTF-8 text (DL100), or None when it is, or is not a file on disk."""
    from digestlint.files import ReadError, decode

    if not _is_file_path(path):
        return None
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - bytes, as the command line reads them
            data = handle.read()
    except OSError:
        return None
    try:
        decode(data, path)
    except ReadError as error:
        return str(error)
    return None


def uri_to_path(uri: str) -> str:
    """The file-system path of a `file:` URI; any other URI stays as it is (an unsaved buffer)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":
        path = path[1:]
    return os.path.normpath(path)
