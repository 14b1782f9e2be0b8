"""The result cache: a file's findings and records, reused until its bytes, the settings or digestlint change.

Like ruff's: one `.digestlint_cache/` folder per project root (the folder of
the config file governing the files, or the git work tree, or the current
folder; see `project.py`), git-ignored by a `.gitignore` of its own. Entries
are keyed by the path relative to the project root, so a run from another
folder (pre-commit at the top, an editor in a subfolder) reuses them.
At the end of each run, result folders of other digestlint versions, and of
settings not used for 30 days, are removed (`ResultCache.prune`). Results live in a
folder named by the fingerprint of everything that decides them apart from the
file: digestlint's version and source code, the Python version, every setting
(selected rules, extra tags, ...) and every schema file in the layouts'
folders (a layout's `$ref`s and its tag vocabulary are read from there).

In it, one file per checked path holds the content hash it was checked at,
its findings and its paper records. An entry is used only when the content
hash matches, so a result is never stale; an entry that cannot be read or
understood is a miss, and is rewritten. Writes go to a temporary file renamed
into place, so a reader sees the old entry or the new one, never half of one.
JSON only, never pickle: a cache file must not be able to run code.

An entry is three lines: a checksum of the rest (CRC-32, for damage, not
for an attacker), so a damaged entry is never taken for a result; then a
line of JSON with the findings and, for each paper, what DL406 compares
across files (ID, line, date); then a line of JSON with the full records. A
warm run parses that last line only if something asks for the records:
building fifteen thousand records would cost a warm run more than everything
else it does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from types import MemberDescriptorType
from typing import Any, NamedTuple, overload

from digestlint import __version__
from digestlint.files import write_atomic
from digestlint.model import Fix, Severity, Suppression, Violation
from digestlint.records import PaperRecord
from digestlint.rules import FILE_LEVEL_CODES
from digestlint.settings import Settings
from digestlint.suppress import Suppressions

try:  # hashlib would load OpenSSL first; a one-file run feels every millisecond of start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - not CPython
    from hashlib import blake2b

CACHE_FOLDER = ".digestlint_cache"
STALE_DAYS = 30  # results under settings not used for this long are removed (`ResultCache.prune`)
_RESULT_FOLDER = re.compile(r"^([0-9][0-9A-Za-z.+]*)-([0-9a-f]{32})$")  # `<version>-<fingerprint>`
_SCHEMA_SUFFIX = ".schema.json"


def _digest(*parts: bytes) -> str:
    hasher = blake2b(digest_size=16)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


@cache
def _source_digest() -> str:
    """What digestlint's own code is (each file's name, size and time), so an edited install never reuses results."""
    package = Path(__file__).resolve().parent
    parts: list[bytes] = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        parts.append(f"{path.relative_to(package).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return _digest(*parts)


def fingerprint(settings: Settings) -> str:
    """What decides a file's result apart from the file itself."""
    parts: list[bytes] = [__version__.encode(), repr(sys.version_info[:2]).encode(), _source_digest().encode()]
    for field in dataclasses.fields(settings):
        if field.name != "layouts":
            value = getattr(settings, field.name)
            parts.append(field.name.encode())
            parts.append(json.dumps(value, sort_keys=True, default=repr).encode())
    layouts = settings.layouts.layouts if settings.layouts is not None else ()
    folders: dict[Path, None] = {}
    for layout in layouts:
        parts.append(f"{layout.name}\0{layout.path}".encode())
        parts.append(json.dumps(layout.schema, sort_keys=True).encode())
        folders[layout.path.resolve().parent] = None
    for folder in folders:
        for path in sorted(folder.glob(f"*{_SCHEMA_SUFFIX}")):
            parts.append(str(path).encode())
            with contextlib.suppress(OSError):
                parts.append(path.read_bytes())
    return _digest(*parts)


def content_key(text: str, bom: bool) -> str:
    """The file's bytes, as read: its text (UTF-8 is one-to-one) and whether it had a BOM."""
    return _digest(text.encode("utf-8", "surrogatepass"), b"bom" if bom else b"")


class PaperRef(NamedTuple):
    """What DL406 needs of a record, read from the cache without building the record."""

    arxiv_id: str
    path: str
    line: int
    date: str | None


class StoredRecords(Sequence[PaperRecord]):
    """A cached file's records, built into `PaperRecord`s the first time something reads them."""

    def __init__(self, papers: list[PaperRef], count: int, raw: bytes, path: str | None = None) -> None:
        self._papers = papers
        self._count = count
        self._raw = raw
        self._path = path  # the path to give the records (as displayed now), or None: as stored
        self._records: list[PaperRecord] | None = None

    @classmethod
    def of(cls, records: Sequence[PaperRecord]) -> StoredRecords:
        """Records packed to travel cheaply (from a pool worker): unpacked only if something reads them."""
        papers = [
            PaperRef(record.arxiv_id, record.path, record.line, record.date) for record in records if record.arxiv_id
        ]
        return cls(papers, len(records), _dumps([_record_json(record) for record in records]))

    def papers(self) -> list[PaperRef]:
        """The records that have an arXiv ID, as DL406 compares them."""
        return self._papers

    def _built(self) -> list[PaperRecord]:
        if self._records is None:
            self._records = [_record(values, self._path) for values in json.loads(self._raw)]
            self._raw = b""
        return self._records

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> PaperRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[PaperRecord]: ...

    def __getitem__(self, index: int | slice) -> PaperRecord | list[PaperRecord]:
        return self._built()[index]

    def __iter__(self) -> Iterator[PaperRecord]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return self._built() == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"StoredRecords({self._built()!r})"


class CachedResult(NamedTuple):
    violations: list[Violation]
    records: StoredRecords
    suppressions: Suppressions | None  # the file's inline comments, for DL406
    is_digest: bool = True  # False: a Markdown file that is not a digest (skipped, no findings)


class ResultCache:
    """Per-file results under `root/.digestlint_cache/<version>-<fingerprint>/`."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root / CACHE_FOLDER
        self.folder = self.root / f"{__version__}-{fingerprint(settings)}"
        self._folder_text = os.path.join(os.fspath(self.folder), "")  # noqa: PTH118 - see _entry_path
        self._key = settings.project_path  # what an entry is keyed by: the path relative to the project root
        self._ready = False

    def _entry_path(self, key: str) -> str:
        return f"{self._folder_text}{_digest(key.encode())}.json"  # a string: no pathlib cost per file

    def get(self, name: str, text: str, bom: bool) -> CachedResult | None:
        """The cached result of `name` with this content, or None (missing, other content, unreadable).

        Entries are keyed by the path relative to the project root: a run from another folder finds them,
        and the findings and records come back with `name`, the path as displayed now.
        """
        key = self._key(name)
        try:
            with open(self._entry_path(key), "rb") as handle:  # noqa: PTH123 - a string path, see _entry_path
                checksum, _, rest = handle.read().partition(b"\n")
            if int(checksum) != zlib.crc32(rest):
                return None  # damaged: cut short, or changed by something else
            head, _, raw_records = rest.partition(b"\n")
            header = json.loads(head)
            if header["path"] != key or header["key"] != content_key(text, bom):
                return None
            violations = [_violation(values, name) for values in header["violations"]]
            papers = [PaperRef(arxiv_id, name, line, date) for arxiv_id, line, date in header["papers"]]
            comments = header["suppressions"]
            suppressions = None
            if comments is not None:
                found = [Suppression(kind, tuple(codes), line) for kind, codes, line in comments]
                suppressions = Suppressions(found, int(header["line_count"]), FILE_LEVEL_CODES)
            stored = StoredRecords(papers, int(header["count"]), raw_records, name)
            return CachedResult(violations, stored, suppressions, bool(header.get("digest", True)))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # no entry, or a corrupt one: check the file again

    def put(
        self,
        name: str,
        text: str,
        bom: bool,
        violations: Sequence[Violation],
        records: Iterable[PaperRecord],
        suppressions: Suppressions | None = None,
        is_digest: bool = True,
    ) -> None:
        """Store a result; a cache that cannot be written is silently not used."""
        records = list(records)
        comments = None
        if suppressions is not None and suppressions.comments:
            comments = [[comment.kind, list(comment.codes), comment.line] for comment in suppressions.comments]
        raw_records = _dumps([_record_json(record) for record in records])
        key = self._key(name)
        header = {
            "path": key,
            "key": content_key(text, bom),
            "violations": [_violation_json(violation) for violation in violations],
            "papers": [[record.arxiv_id, record.line, record.date] for record in records if record.arxiv_id],
            "count": len(records),
            "suppressions": comments,
            "line_count": suppressions.line_count if suppressions is not None else 0,
            "digest": is_digest,
        }
        rest = _dumps(header) + b"\n" + raw_records
        with contextlib.suppress(OSError):
            self._prepare()
            entry = str(zlib.crc32(rest)).encode("ascii") + b"\n" + rest
            write_atomic(Path(self._entry_path(key)), entry, None, fsync=False)  # only a cache: no fsync

    def prune(self, now: float | None = None) -> list[Path]:
        """Mark this folder used, and remove the stale ones: results of another digestlint version, and
        results under settings (or digestlint code) not used for STALE_DAYS days. Returns what was removed.

        Run once per cache at the end of a run; a folder that cannot be removed is left for next time.
        """
        import shutil
        import time

        now = time.time() if now is None else now
        with contextlib.suppress(OSError):
            if self.folder.is_dir():
                os.utime(self.folder, (now, now))
        removed: list[Path] = []
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return removed
        for entry in entries:
            match = _RESULT_FOLDER.match(entry.name)
            if match is None or entry.path == os.fspath(self.folder) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                stale = match[1] != __version__ or now - entry.stat().st_mtime > STALE_DAYS * 86400
            except OSError:
                continue
            if stale:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        return removed

    def _prepare(self) -> None:
        if self._ready:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, b"# Created by digestlint: a cache, never committed.\n*\n", None, fsync=False)
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            write_atomic(
                tag, b"Signature: 8a477f597d28d172789f06886806bc55\n# digestlint's result cache.\n", None, fsync=False
            )
        self._ready = True


def _dumps(value: Any) -> bytes:
    """Compact JSON on one line (JSON escapes every newline inside strings)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


_VIOLATION_FIELDS = tuple(field.name for field in dataclasses.fields(Violation))


def _violation_json(violation: Violation) -> list[Any]:
    values: list[Any] = []
    for name in _VIOLATION_FIELDS:
        value = getattr(violation, name)
        if isinstance(value, Severity):
            value = value.value
        elif isinstance(value, Fix):
            # What a report needs of a fix, not its edits: those are often whole rows (most of an entry's
            # bytes), and a file with a fix to apply is always checked again (`runner._from_cache`).
            value = [value.applicability, value.message]
        values.append(value)
    return values


_SEVERITY_AT = _VIOLATION_FIELDS.index("severity")
_PATH_AT = _VIOLATION_FIELDS.index("path")
_FIX_AT = _VIOLATION_FIELDS.index("fix")
_SEVERITIES = {severity.value: severity for severity in Severity}


def _slot_setters(cls: type) -> list[Callable[[Any, Any], None]] | None:
    """The slots' own setters of a frozen, slotted dataclass without `__post_init__`, else None."""
    setters = [getattr(cls, name, None) for name in (field.name for field in dataclasses.fields(cls))]
    if hasattr(cls, "__post_init__") or not all(isinstance(setter, MemberDescriptorType) for setter in setters):
        return None
    return [setter.__set__ for setter in setters]  # type: ignore[union-attr]


# A warm run builds every finding from the cache. Setting the slots directly is three times faster than
# the frozen dataclass's __init__ (an object.__setattr__ call per field), and the object is the same.
_VIOLATION_SETTERS = _slot_setters(Violation)


def _violation(values: list[Any], path: str) -> Violation:
    if len(values) != len(_VIOLATION_FIELDS):
        raise ValueError("a finding of another shape")
    values[_PATH_AT] = path
    values[_SEVERITY_AT] = _SEVERITIES[values[_SEVERITY_AT]]
    fix = values[_FIX_AT]
    if fix is not None:
        applicability, message = fix
        values[_FIX_AT] = Fix((), applicability, message)
    if _VIOLATION_SETTERS is None:
        return Violation(*values)
    violation = object.__new__(Violation)
    for setter, value in zip(_VIOLATION_SETTERS, values):
        setter(violation, value)
    return violation


_RECORD_FIELDS = tuple(field.name for field in dataclasses.fields(PaperRecord))
_RECORD_PATH_AT = _RECORD_FIELDS.index("path")


def _record_json(record: PaperRecord) -> list[Any]:
    return [getattr(record, name) for name in _RECORD_FIELDS]


def _tuples(value: list[Any]) -> tuple[Any, ...]:
    """A JSON array back to the tuple a record holds (records nest tuples two deep at most)."""
    return tuple(tuple(item) if item.__class__ is list else item for item in value)


def _record(values: list[Any], path: str | None = None) -> PaperRecord:
    if len(values) != len(_RECORD_FIELDS):
        raise ValueError("a record of another shape")
    if path is not None:
        values[_RECORD_PATH_AT] = path
    converted: list[Any] = [_tuples(value) if value.__class__ is list else value for value in values]
    return PaperRecord(*converted)
