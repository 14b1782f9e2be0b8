"""`--diff-base REF`: keep only the findings on lines a change touched, as git sees it.

The change is everything since the merge base of REF and HEAD, working tree
included: what a pull request against REF adds, plus anything not committed
yet. Untracked files count as wholly new, and so do renamed and copied files:
a digest's path is part of what it says (its date, which per-file config
applies), so a file at a new path is checked as a new file, every finding
reported. A `git mv` to the wrong date cannot pass the gate. An archive with years of legacy
defects can so gate new work without fixing its history first.

git runs as a subprocess with a list of arguments, never through a shell.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.rules import FILE_LEVEL_CODES

if TYPE_CHECKING:
    from digestlint.model import Violation
    from digestlint.runner import Report

# `@@ -12,3 +12,4 @@`: the new side's first line and count (count 1 when omitted, 0 for a pure deletion).
_HUNK = re.compile(r"^@@ -[0-9]+(?:,[0-9]+)? \+([0-9]+)(?:,([0-9]+))? @@")
# Fixed settings, whatever the user's git config says: the output is parsed, not read by a person.
_DIFF_CONFIG = (
    "-c",
    "core.quotePath=false",
    "-c",
    "diff.noprefix=false",
    "-c",
    "diff.mnemonicPrefix=false",
    "-c",
    "diff.relative=false",
    "-c",
    "color.ui=false",
)


class GitDiffError(Exception):
    """A one-line reason why the changed lines cannot be known (bad ref, not a repository, no git)."""


def _git(arguments: list[str], cwd: Path) -> str:
    try:
        completed = subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"}
        )
    except FileNotFoundError as error:
        raise GitDiffError("--diff-base needs git, and git is not installed or not on PATH") from error
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitDiffError(detail[-1] if detail else f"git {arguments[0]} failed")
    return completed.stdout.decode("utf-8", "surrogateescape")


def unquote_path(text: str) -> str:
    """A path as git prints it: C-quoted (`"a\\tb\\303\\251.md"`) when it has unusual characters."""
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    escapes = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
    body = text[1:-1]
    data = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if following in escapes:
                data.append(escapes[following])
                index += 2
                continue
            if body[index + 1 : index + 4].isdigit():
                data.append(int(body[index + 1 : index + 4], 8) & 0xFF)
                index += 4
                continue
        data.extend(char.encode("utf-8", "surrogateescape"))
        index += 1
    return data.decode("utf-8", "surrogateescape")


def parse_unified_diff(diff: str) -> dict[str, set[int]]:
    """New-side line numbers added or changed per file, from `git diff --unified=0` output."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    in_header = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            in_header, current = True, None
        elif in_header and line.startswith("+++ "):
            name = unquote_path(line[4:].rstrip("\t"))
            current = None if name == "/dev/null" else changed.setdefault(name.removeprefix("b/"), set())
        elif line.startswith("@@ "):
            in_header = False
            match = _HUNK.match(line)
            if match and current is not None:
                start, count = int(match[1]), int(match[2] if match[2] is not None else 1)
                current.update(range(start, start + count))
    return changed


@dataclass
class ChangedLines:
    """Lines changed per file, by path relative to the repository root; None means the whole file is new."""

    root: Path
    files: dict[str, set[int] | None] = field(default_factory=dict)

    def _relative(self, path: str) -> str | None:
        # Resolve the folder, not the file: git tracks a symlink as itself.
        absolute = Path(os.path.normpath(Path.cwd().resolve() / path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def keeps(self, violation: Violation) -> bool:
        relative = self._relative(violation.path)
        if relative is None or relative not in self.files:
            return False
        lines = self.files[relative]
        if lines is None or violation.code in FILE_LEVEL_CODES:  # about the whole file: kept when it changed
            return True
        return any(line in lines for line in range(violation.line, max(violation.end_line, violation.line) + 1))

    def filter(self, report: Report) -> None:
        """Drop the findings (and per-file errors) outside the change; run-level errors stay."""
        for outcome in report.files:
            outcome.violations = [violation for violation in outcome.violations if self.keeps(violation)]
            relative = self._relative(outcome.path)
            if outcome.error and (relative is None or relative not in self.files):
                outcome.error = None


def changed_lines(ref: str, cwd: Path | None = None) -> ChangedLines:
    """The lines changed since the merge base of `ref` and HEAD, working tree and untracked files included."""
    folder = cwd or Path.cwd()
    if not ref or ref.startswith("-"):
        raise GitDiffError(f"--diff-base: {ref!r} is not a git ref")
    try:
        root = Path(_git(["rev-parse", "--show-toplevel"], folder).strip()).resolve()
    except GitDiffError as error:
        raise GitDiffError(f"--diff-base needs a git repository: {error}") from error
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], folder).strip()
    except GitDiffError as error:
        raise GitDiffError(
            f"--diff-base: {ref!r} is not a commit in this repository (fetch it first, e.g. `git fetch origin main`)"
        ) from error
    try:
        base = _git(["merge-base", commit, "HEAD"], folder).strip()
    except GitDiffError as error:
        raise GitDiffError(
            f"--diff-base: {ref!r} and HEAD have no common ancestor here (in a shallow clone, fetch full history)"
        ) from error
    diff = _git(
        [
            *_DIFF_CONFIG,
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--unified=0",
            base,
            "--",
        ],
        root,
    )
    files: dict[str, set[int] | None] = dict(parse_unified_diff(diff))
    # Files added since the base, renamed and copied ones included, are wholly new: listed by name too,
    # since an empty file has no hunk to find it by.
    added = _git([*_DIFF_CONFIG, "diff", "--no-renames", "--name-only", "--diff-filter=A", "-z", base, "--"], root)
    files.update(dict.fromkeys(_split_nul(added)))
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    files.update(dict.fromkeys(_split_nul(untracked)))
    return ChangedLines(root, files)


def _split_nul(text: str) -> Iterable[str]:
    return (name for name in text.split("\0") if name)
