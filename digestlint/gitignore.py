"""Folder walks skip what `.gitignore` and `.ignore` files ignore (as ripgrep and markdownlint-cli2 do).

The patterns of each file apply below its folder, read with git's grammar (the `pathspec` library):
negations, anchored and folder-only patterns. A deeper file overrides a shallower one, and in one
folder `.ignore` overrides `.gitignore`. Files are read from the git work tree's top (the nearest
folder with a `.git`, with `.git/info/exclude` there too) down to each path, or from the walked
folder when it is in no work tree. An ignore file that exists but cannot be read is named on stderr, and the
walk goes on without its patterns. A file named on the command line is always checked: only folder
walks consult this. `--no-respect-gitignore` or `respect-gitignore = false` turns it off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

IGNORE_FILES = (".gitignore", ".ignore")  # in order of precedence, lowest first


class IgnoreRules:
    """Answers "is this path ignored?" for the paths of folder walks; each ignore file is read once."""

    def __init__(self, roots: Sequence[Path] = (), warn: Callable[[str], None] | None = None) -> None:
        """`warn` is told, once each, of the ignore files that exist but cannot be read (by default, on stderr);
        `problems` keeps them."""
        self._warn = warn if warn is not None else warn_on_stderr
        self.problems: list[str] = []
        # Where ignore files start outside a git work tree: the walked folders.
        self._roots = sorted((os.path.abspath(root) for root in roots), key=len, reverse=True)  # noqa: PTH100
        # By absolute folder: the specs that apply to its entries, outermost first, each with the folder
        # (ending in a separator) its patterns are relative to. Built once per folder.
        self._chains: dict[str, tuple[tuple[str, GitIgnoreSpec], ...]] = {}
        self._tops: dict[str, str] = {}  # by absolute folder: where its ignore files start

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether git (or an `.ignore` file) would ignore `path`, found in a folder walk."""
        absolute = os.path.abspath(path)  # noqa: PTH100 - strings: once per entry walked
        chain = self._chain(os.path.dirname(absolute))  # noqa: PTH120
        if not chain:
            return False
        verdict: bool | None = None
        suffix = "/" if is_dir else ""
        for prefix, spec in chain:
            relative = absolute[len(prefix) :]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            result = spec.check_file(relative + suffix)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)

    def _chain(self, folder: str) -> tuple[tuple[str, GitIgnoreSpec], ...]:
        known = self._chains.get(folder)
        if known is not None:
            return known
        top = self._top(folder)
        up = os.path.dirname(folder)  # noqa: PTH120
        outer = self._chain(up) if folder not in (top, up) else ()
        prefix = os.path.join(folder, "")  # noqa: PTH118
        own = tuple((prefix, spec) for spec in self._specs_in(folder, folder == top))
        known = self._chains[folder] = outer + own
        return known

    def _top(self, folder: str) -> str:
        known = self._tops.get(folder)
        if known is None:
            known = next(
                (root for root in self._roots if folder == root or folder.startswith(os.path.join(root, ""))),  # noqa: PTH118
                folder,
            )
            for candidate in (folder, *[str(parent) for parent in Path(folder).parents]):
                if os.path.exists(os.path.join(candidate, ".git")):  # noqa: PTH110, PTH118
                    known = candidate
                    break
            self._tops[folder] = known
        return known

    def _specs_in(self, folder: str, is_top: bool) -> list[GitIgnoreSpec]:
        names = [".git/info/exclude", *IGNORE_FILES] if is_top else list(IGNORE_FILES)
        specs = []
        for name in names:
            path = os.path.join(folder, name)  # noqa: PTH118
            try:
                lines = _lines(path)
            except OSError as error:
                reason = error.strerror or str(error)
                self._report(f"{path}: cannot read this ignore file ({reason}); the files it ignores are checked")
                continue
            if lines:
                from pathspec import GitIgnoreSpec

                specs.append(GitIgnoreSpec.from_lines(lines))
        return specs

    def _report(self, problem: str) -> None:
        self.problems.append(problem)
        self._warn(problem)


def warn_on_stderr(problem: str) -> None:
    """The default for an ignore file that cannot be read: one line on stderr, and the walk goes on."""
    sys.stderr.write(f"digestlint: warning: {problem}\n")


def _lines(path: str) -> list[str]:
    """The lines of an ignore file; none when there is no such file. Raises OSError when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
            return handle.read().splitlines()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return []  # no ignore file here (`.git` may be a file, in a linked work tree)
