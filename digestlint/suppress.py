"""Inline suppressions, as HTML comments that do not render:

    <!-- digestlint-disable-next-line DL204 -->
    <!-- digestlint-disable DL5 --> ... <!-- digestlint-enable -->
    <!-- digestlint-disable-file -->

Codes are prefixes (`DL5` is every formatting rule); no codes means all. A
word that names no rule matches nothing (DL190 reports it).

Comments are filed by the prefix they name, so what silences a finding is
looked up by the prefixes of its code (`""`, `D`, `DL`, `DL2`, `DL20`,
`DL204`), never by scanning every comment: a file of thousands of comments
is judged in time linear in its size.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from digestlint.model import Suppression, Violation

BLANKET = ""  # the prefix a comment with no codes is filed under: every code starts with it


def _prefixes(code: str) -> Iterable[str]:
    return (code[:length] for length in range(len(code) + 1))


def _any_but(indices: Sequence[int], excluded: int) -> bool:
    return len(indices) > 1 or (len(indices) == 1 and indices[0] != excluded)


def _next_line_targets(suppressions: Sequence[Suppression]) -> dict[int, int]:
    """For each comment's line, the line a `disable-next-line` on it silences: the next line that holds no
    comment (a stack of comments all silence the line under the stack)."""
    targets: dict[int, int] = {}
    for line in sorted({suppression.line for suppression in suppressions}, reverse=True):
        targets[line] = targets.get(line + 1, line + 1)
    return targets


@dataclass
class _Ranges:
    """The `disable` ranges that name one prefix, by first line, with the two latest ends seen so far."""

    starts: list[int] = field(default_factory=list)
    entries: list[tuple[int, int, int]] = field(default_factory=list)  # first line, last line, comment
    # For the ranges up to each position: the two (last line, comment) that reach furthest, from two comments.
    furthest: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def seal(self) -> None:
        self.entries.sort()
        self.starts = [start for start, _, _ in self.entries]
        best: tuple[int, int] = (-1, -1)
        second: tuple[int, int] = (-1, -1)
        for _, end, index in self.entries:
            if end > best[0]:
                best, second = (end, index), (best if best[1] != index else second)
            elif end > second[0] and index != best[1]:
                second = (end, index)
            self.furthest.append((best, second))

    def covers(self, line: int, excluded: int) -> bool:
        """Whether a range of a comment other than `excluded` covers `line`."""
        position = bisect.bisect_right(self.starts, line) - 1
        if position < 0:
            return False
        best, second = self.furthest[position]
        reach = best if best[1] != excluded else second
        return reach[0] >= line


class Suppressions:
    """The comments of one file, resolved to the lines they cover and filed by prefix. Each entry keeps
    the index of its comment in `comments`, so what silenced a finding can be told (DL191)."""

    def __init__(
        self, suppressions: Sequence[Suppression], line_count: int, file_level: frozenset[str] = frozenset()
    ) -> None:
        self.comments = tuple(suppressions)  # what it was built from (the result cache stores these)
        self.line_count = line_count
        # Codes of findings about the whole file (the rules' `file_level`): no comment silences them.
        self.file_level = file_level
        self._file: dict[str, list[int]] = {}
        self._next_line: dict[tuple[int, str], list[int]] = {}
        self._ranges: dict[str, _Ranges] = {}
        self._covered: dict[int, tuple[int, int]] = {}
        targets = _next_line_targets(suppressions)
        open_ranges: list[tuple[int, int, tuple[str, ...]]] = []
        for index, suppression in enumerate(suppressions):
            prefixes = dict.fromkeys(suppression.codes or (BLANKET,))
            if suppression.kind == "file":
                self._covered[index] = (1, line_count)
                for prefix in prefixes:
                    self._file.setdefault(prefix, []).append(index)
            elif suppression.kind == "next-line":
                target = targets[suppression.line]
                self._covered[index] = (target, target)
                for prefix in prefixes:
                    self._next_line.setdefault((target, prefix), []).append(index)
            elif suppression.kind == "disable":
                open_ranges.append((suppression.line, index, suppression.codes))
            else:
                # `enable` closes ranges with the same codes, or every open range when it names none.
                still_open = []
                for start, opened_by, codes in open_ranges:
                    if not suppression.codes or set(codes) <= set(suppression.codes):
                        self._add_range(start, suppression.line, opened_by, codes)
                    else:
                        still_open.append((start, opened_by, codes))
                open_ranges = still_open
        for start, opened_by, codes in open_ranges:
            self._add_range(start, line_count + 1, opened_by, codes)
        for ranges in self._ranges.values():
            ranges.seal()

    def _add_range(self, start: int, end: int, index: int, codes: tuple[str, ...]) -> None:
        self._covered[index] = (start, end)
        for prefix in dict.fromkeys(codes or (BLANKET,)):
            self._ranges.setdefault(prefix, _Ranges()).entries.append((start, end, index))

    def silenced_by_another(self, violation: Violation, index: int) -> bool:
        """Whether a comment other than the one at `index` silences a finding (-1: any comment)."""
        if not self.comments or violation.code in self.file_level:
            return False
        line = violation.line
        for prefix in _prefixes(violation.code):
            if _any_but(self._file.get(prefix, ()), index):
                return True
            if _any_but(self._next_line.get((line, prefix), ()), index):
                return True
            ranges = self._ranges.get(prefix)
            if ranges is not None and ranges.covers(line, index):
                return True
        return False

    def suppressed(self, violation: Violation) -> bool:
        return self.silenced_by_another(violation, -1)

    def used(self, violations: Iterable[Violation]) -> set[tuple[int, str]]:
        """The (comment index, prefix) pairs that silence at least one of `violations`; BLANKET for a
        comment with no codes."""
        found: set[tuple[int, str]] = set()
        lines_by_prefix: dict[str, list[int]] = {}
        done: set[object] = set()
        for violation in violations:
            if violation.code in self.file_level:
                continue
            for prefix in _prefixes(violation.code):
                if prefix in self._file and prefix not in done:
                    done.add(prefix)
                    found.update((index, prefix) for index in self._file[prefix])
                key = (violation.line, prefix)
                if key in self._next_line and key not in done:
                    done.add(key)
                    found.update((index, prefix) for index in self._next_line[key])
                if prefix in self._ranges:
                    lines_by_prefix.setdefault(prefix, []).append(violation.line)
        for prefix, lines in lines_by_prefix.items():
            lines.sort()
            for start, end, index in self._ranges[prefix].entries:
                position = bisect.bisect_left(lines, start)
                if position < len(lines) and lines[position] <= end:
                    found.add((index, prefix))
        return found

    def lines_covered(self, index: int) -> tuple[int, int] | None:
        """The first and last line a comment silences; None for `enable`."""
        return self._covered.get(index)
