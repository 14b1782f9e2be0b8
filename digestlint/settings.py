"""Resolved settings: what the pure core needs to know, as a plain dataclass.

`config.py` builds this from `pyproject.toml` / `.digestlint.toml` and the
command line; the core never reads files itself.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import cached_property, lru_cache

from digestlint.layouts import LayoutSet, load_layouts


def most_specific(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix in `prefixes` that `code` starts with (`ALL`: 0); -1 if none."""
    best = -1
    for prefix in prefixes:
        if prefix == "ALL" or code.startswith(prefix):
            best = max(best, 0 if prefix == "ALL" else len(prefix))
    return best


@dataclass
class Settings:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra_tags: tuple[str, ...] = ()
    cross_file_window: int | None = None  # None: every checked file; 0: off
    # Inline HTML tags left alone in titles and summaries (DL110), and the phrases DL111 looks for.
    allowed_html_tags: tuple[str, ...] = ("br", "sub", "sup")
    boilerplate_phrases: tuple[str, ...] = (
        "Here is a summary of",
        "Here's a summary of",
        "following your strict guidelines",
        "As an AI language model",
        "I hope this summary",
        "Sure, here is",
    )
    layouts: LayoutSet | None = None
    # When set, only codes matching one of these prefixes are reported (`format`: formatting codes only),
    # on top of the normal selection.
    restrict: tuple[str, ...] = ()
    # The project root (absolute, forward slashes): rules read paths relative to it (`project_path`).
    # None: paths are read as given.
    root: str | None = None
    # The folder (absolute, forward slashes) each per-file-ignores pattern is relative to: that of the
    # config file declaring it. A pattern not listed here is relative to `root`.
    pattern_base: dict[str, str] = field(default_factory=dict)
    # Which codes --fix may apply (`fix_selection.fix_allowed`): prefixes, most specific wins; empty `fixable`: all.
    fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    extend_fixable: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.layouts is None:
            self.layouts = load_layouts()

    @cached_property
    def _rule_defaults(self) -> dict[str, bool]:
        from digestlint.rules import RULES

        return {rule.code: rule.default_enabled for rule in RULES}

    def enabled(self, code: str, path: str | None = None) -> bool:
        """Whether a code is reported: the most specific matching prefix wins (flake8, ruff)."""
        if self.restrict and most_specific(code, self.restrict) < 0:
            return False
        selected = most_specific(code, self.select) if self.select else -1
        extended = most_specific(code, self.extend_select)
        ignored = most_specific(code, self.ignore)
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if self._matches(path, pattern):
                    ignored = max(ignored, most_specific(code, codes))
        chosen = max(selected, extended)
        if chosen < 0 and not self.select:
            # Nothing selected it explicitly: its default decides, unless ignored.
            return self._rule_defaults.get(code, True) and ignored < 0
        return chosen > ignored

    def fix_allowed(self, code: str) -> bool:
        """Whether --fix may apply this code's fixes (`fixable`, `unfixable`, `extend-fixable`).

        A restricted run (`format`, `api.format_text`, the mdformat plugin, editor formatting) always
        formats: fix selection is for `--fix`.
        """
        if self.restrict:
            return True
        from digestlint.fix_selection import fix_allowed

        return fix_allowed(code, self.fixable, self.unfixable, self.extend_fixable)

    def project_path(self, path: str) -> str:
        """`path` (as displayed: relative to the current folder, or absolute) relative to the project root.

        What rules read (the date in a path, per-file-ignores), so a file gives the same findings from
        any folder. A path outside the root stays absolute; without a root, the path is read as given.
        """
        if self.root is None or path in ("-", "<stdin>"):
            return path
        return _relative(_absolute(path), self.root)

    @staticmethod
    def absolute_path(path: str) -> str:
        """`path` (as displayed) made absolute, with forward slashes; `-` (stdin without a name) as is."""
        return path if path in ("-", "<stdin>") else _absolute(path)

    def _matches(self, path: str, pattern: str) -> bool:
        base = self.pattern_base.get(pattern, self.root)
        target = path if base is None else _relative(_absolute(path), base)
        return fnmatch(target, pattern) or fnmatch(path.rsplit("/", 1)[-1], pattern)


@lru_cache(maxsize=4096)
def _absolute_in(cwd: str, path: str) -> str:
    absolute = os.path.normpath(os.path.join(cwd, path))  # noqa: PTH118 - strings: called per file and code
    return absolute.replace(os.sep, "/") if os.sep != "/" else absolute


def _absolute(path: str) -> str:
    return _absolute_in(os.getcwd(), path)  # noqa: PTH109


def _relative(absolute: str, folder: str) -> str:
    """`absolute` relative to `folder` when inside it, else `absolute` itself (both absolute, forward slashes)."""
    prefix = folder if folder.endswith("/") else folder + "/"
    return absolute[len(prefix) :] if absolute.startswith(prefix) else absolute
