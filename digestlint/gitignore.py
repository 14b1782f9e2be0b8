"""Folder walks skip what `.gitignore` and `.ignore` files ignore (as ripgrep and markdownlint-cli2 do).

The patterns of each file apply below its folder, read with git's grammar (the `pathspec` library):
negations, anchored and folder-only patterns. A deeper file overrides a shallower one, and in one
folder `.ignore` overrides `.gitignore`. Files are read from the git work tree's top (the nearest
folder with a `.git`, with `.git/info/exclude` there too) down to each path, or from the walked
folder when it is in no work tree. A file named on the command line is always checked: only folder
walks consult this. `--no-respect-gitignore` or `respect-gitignore = false` turns it off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

IGNORE_FILES = (".gitignore", ".ignore")  # in order of precedence, lowest first


class IgnoreRules:
    """Answers "is this path ignored?" for the paths of folder walks; each ignore file is read once."""

    def __init__(self) -> None:
        self._specs: dict[str, list[GitIgnoreSpec]] = {}  # by absolute folder: its files' specs, in precedence order
        self._tops: dict[str, str] = {}  # by absolute folder: where its ignore files start

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Whether git (or an `.ignore` file) would ignore `path`, found in a folder walk."""
        absolute = os.path.normpath(os.path.abspath(path))  # noqa: PTH100 - strings: once per entry walked
        parent = os.path.dirname(absolute)  # noqa: PTH120
        top = self._top(parent)
        verdict: bool | None = None
        folder = parent
        chain: list[str] = []
        while True:
            chain.append(folder)
            if folder == top:
                break
            up = os.path.dirname(folder)  # noqa: PTH120
            if up == folder:
                break
            folder = up
        for folder in reversed(chain):
            relative = os.path.relpath(absolute, folder).replace(os.sep, "/") + ("/" if is_dir else "")
            for spec in self._specs_in(folder, folder == top):
                result = spec.check_file(relative)
                if result.include is not None:
                    verdict = result.include
        return bool(verdict)

    def _top(self, folder: str) -> str:
        known = self._tops.get(folder)
        if known is None:
            known = folder
            for candidate in (folder, *[str(parent) for parent in Path(folder).parents]):
                if os.path.exists(os.path.join(candidate, ".git")):  # noqa: PTH110, PTH118
                    known = candidate
                    break
            self._tops[folder] = known
        return known

    def _specs_in(self, folder: str, is_top: bool) -> list[GitIgnoreSpec]:
        specs = self._specs.get(folder)
        if specs is None:
            names = [".git/info/exclude", *IGNORE_FILES] if is_top else list(IGNORE_FILES)
            specs = []
            for name in names:
                lines = _lines(os.path.join(folder, name))  # noqa: PTH118
                if lines:
                    from pathspec import GitIgnoreSpec

                    specs.append(GitIgnoreSpec.from_lines(lines))
            self._specs[folder] = specs
        return specs


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:  # noqa: PTH123
            return handle.read().splitlines()
    except OSError:
        return []
