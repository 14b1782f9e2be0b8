"""The edge where files are found, read and written. Nothing else touches the disk."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import translate
from functools import lru_cache
from pathlib import Path

MAX_BYTES = 64 * 1024 * 1024
DEFAULT_EXCLUDES = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".digestlint_cache")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Source:
    """A file's text as read: BOM and line endings are recorded so a write can restore them."""

    text: str
    bom: bool
    mode: int | None = None
    fingerprint: tuple[int, ...] | None = None  # of the file as read: a write checks nothing changed since


def fingerprint(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class ReadError(Exception):
    """A file that is not readable UTF-8 text (reported as DL100)."""


def display_path(path: Path) -> str:
    """The path relative to the current folder when it is under it, with forward slashes.

    String operations, as `Path.absolute().relative_to()` did: pathlib's parsing cost a warm run of
    a few hundred files more than reading their cached results.
    """
    text = os.fspath(path)  # a Path's text is already normalised: no `.` parts, no doubled separators
    cwd = os.getcwd()  # noqa: PTH109 - strings, for speed (see above)
    absolute = text if os.path.isabs(text) else os.path.join(cwd, text)  # noqa: PTH117, PTH118
    prefix = os.path.join(cwd, "")  # noqa: PTH118
    if absolute.startswith(prefix):
        relative = absolute[len(prefix) :]
        return relative.replace(os.sep, "/") if os.sep != "/" else relative
    if absolute == cwd:
        return "."
    return path.as_posix()


def is_excluded(path: Path | str, patterns: Sequence[str]) -> bool:
    """Whether a pattern matches the path, its name or any of its parts (`fnmatch`, all patterns at once).

    A string is a relative path with forward slashes.
    """
    match = _matcher(tuple(patterns))
    if match is None:
        return False
    normcase = os.path.normcase
    if isinstance(path, str):
        posix, parts = path, path.split("/")
        name = parts[-1]
    else:
        posix, parts, name = path.as_posix(), list(path.parts), path.name
    return bool(match(normcase(posix)) or match(normcase(name)) or any(match(normcase(part)) for part in parts))


@lru_cache(maxsize=32)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None] | None:
    """One regular expression for all the patterns: `fnmatch` per pattern, part and file cost a warm run 0.1 s."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{translate(os.path.normcase(pattern))})" for pattern in patterns)).match


def discover(
    paths: Sequence[Path],
    excludes: Sequence[str],
    *,
    follow_symlinks: bool = False,
    ignored: Callable[[Path, bool], bool] | None = None,
) -> Iterator[Path | OSError]:
    """Markdown files under the given paths (files named explicitly are always taken), in sorted order.

    Yields an OSError for a path that does not exist. Directory symlinks are not followed unless asked,
    so a symlink loop cannot trap the walk. `ignored(path, is_dir)` (`gitignore.IgnoreRules.ignored`)
    skips entries of folder walks.
    """
    patterns = (*DEFAULT_EXCLUDES, *excludes)
    seen: set[Path] = set()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            yield FileNotFoundError(2, "no such file or directory", str(path))
            continue
        if path.is_dir():
            yield from _walk(path, patterns, follow_symlinks, seen, ignored)
        elif path not in seen:
            seen.add(path)
            yield path


def _walk(
    root: Path,
    patterns: Sequence[str],
    follow_symlinks: bool,
    seen: set[Path],
    ignored: Callable[[Path, bool], bool] | None = None,
) -> Iterator[Path]:
    visited: set[tuple[int, int]] = set()
    root_text = os.path.join(os.fspath(root), "")  # noqa: PTH118 - a prefix with its trailing separator
    stack = [root]
    found: list[Path] = []
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue
            visited.add(key)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            relative = entry.path[len(root_text) :] if entry.path.startswith(root_text) else entry.path
            if is_excluded(relative.replace(os.sep, "/"), patterns):
                continue
            try:
                if entry.is_dir(follow_symlinks=follow_symlinks):
                    if ignored is None or not ignored(path, True):
                        stack.append(path)
                elif (
                    entry.name.endswith(MARKDOWN_SUFFIXES)
                    and entry.is_file(follow_symlinks=True)
                    and (ignored is None or not ignored(path, False))
                ):
                    found.append(path)
            except OSError:
                continue
    for path in sorted(found):
        if path not in seen:
            seen.add(path)
            yield path


def decode(data: bytes, name: str) -> Source:
    """UTF-8 text (a BOM is allowed and remembered); anything else raises ReadError naming why."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise ReadError(f"{name}: UTF-16/32 text, not UTF-8; convert it to UTF-8")
    if b"\x00" in data:
        raise ReadError(f"{name}: binary file (contains NUL bytes), not a Markdown digest")
    if b"\r" in data:
        lone_crs = data.count(b"\r") - data.count(b"\r\n")
        if lone_crs and lone_crs >= data.count(b"\n"):
            # Lines end at LF; read with lone-CR line breaks, the file is a few long lines that give
            # baffling findings, or none. A stray CR in an LF file is read as a space.
            raise ReadError(f"{name}: line breaks are lone CRs (classic Mac OS), not LF or CRLF; convert them to LF")
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(
            f"{name}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); convert it to UTF-8"
        ) from error
    return Source(text, bom)


def read_source(path: Path, name: str) -> Source:
    try:
        info = path.stat()
        if info.st_size > MAX_BYTES:
            raise ReadError(f"{name}: {info.st_size} bytes is over the {MAX_BYTES}-byte limit for a digest")
        data = path.read_bytes()
    except ReadError:
        raise
    except OSError as error:
        raise ReadError(f"{name}: cannot read: {error.strerror or error}") from error
    source = decode(data, name)
    return Source(source.text, source.bom, stat.S_IMODE(info.st_mode), fingerprint(info))


def encode(source: Source, text: str) -> bytes:
    return (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")


def write_atomic(path: Path, data: bytes, mode: int | None, *, sync_folder: bool = True, fsync: bool = True) -> Path:
    """Write via a temporary file in the same folder, fsync, then rename over the original.

    `mode` None: the file keeps its mode, and a new file gets the usual `0o666 & ~umask` (not the
    temporary file's private 0o600). A crash at any moment leaves either the whole old file or the
    whole new one. The rename is made durable by syncing the folder: here, or (`sync_folder=False`)
    by the caller with `sync_folders`, once per folder after writing many files. `fsync=False` (the
    result cache, which may be lost) syncs nothing. Returns the folder.
    """
    import tempfile

    target = path.resolve()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".digestlint-tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is None:
            try:
                mode = stat.S_IMODE(target.stat().st_mode)
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if sync_folder and fsync:
        sync_folders([target.parent])
    return target.parent


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process's umask (read once: setting it is the only way to read it)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def sync_folders(folders: Iterable[Path]) -> None:
    """fsync each folder, so the renames in it survive a power cut (best effort: not every system can)."""
    for folder in folders:
        try:
            directory = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(directory)
        except OSError:
            pass
        finally:
            os.close(directory)
