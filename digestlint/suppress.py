"""Inline suppressions, as HTML comments that do not render:

    <!-- digestlint-disable-next-line DL204 -->
    <!-- digestlint-disable DL5 --> ... <!-- digestlint-enable -->
    <!-- digestlint-disable-file -->

Codes are prefixes (`DL5` is every formatting rule); no codes means all. A
word that names no rule matches nothing (DL190 reports it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from digestlint.model import Suppression, Violation

BLANKET = ""  # what a comment with no codes silences with: every code


def _matching(code: str, codes: Sequence[str]) -> Iterable[str]:
    """The prefixes in `codes` that `code` starts with; BLANKET when there are no codes."""
    if not codes:
        return (BLANKET,)
    return (prefix for prefix in codes if code.startswith(prefix))


class Suppressions:
    """The comments of one file, resolved to what lines they cover. Entries keep the index of their comment
    in `comments`, so what silenced a finding can be told (DL191 reports comments that silence nothing)."""

    def __init__(self, suppressions: Sequence[Suppression], line_count: int) -> None:
        self.comments = tuple(suppressions)  # what it was built from (the result cache stores these)
        self.line_count = line_count
        self.file_codes: list[tuple[int, tuple[str, ...]]] = []
        self.by_line: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        self.ranges: list[tuple[int, int, int, tuple[str, ...]]] = []  # first line, last line, comment, codes
        comment_lines = {suppression.line for suppression in suppressions}
        open_ranges: list[tuple[int, int, tuple[str, ...]]] = []
        for index, suppression in enumerate(suppressions):
            if suppression.kind == "file":
                self.file_codes.append((index, suppression.codes))
            elif suppression.kind == "next-line":
                target = suppression.line + 1
                while target in comment_lines:
                    target += 1
                self.by_line.setdefault(target, []).append((index, suppression.codes))
            elif suppression.kind == "disable":
                open_ranges.append((suppression.line, index, suppression.codes))
            else:
                # `enable` closes ranges with the same codes, or every open range when it names none.
                still_open = []
                for start, opened_by, codes in open_ranges:
                    if not suppression.codes or set(codes) <= set(suppression.codes):
                        self.ranges.append((start, suppression.line, opened_by, codes))
                    else:
                        still_open.append((start, opened_by, codes))
                open_ranges = still_open
        self.ranges.extend((start, line_count + 1, opened_by, codes) for start, opened_by, codes in open_ranges)

    def silencing(self, violation: Violation) -> list[tuple[int, str]]:
        """Every (comment index, prefix) that silences a finding: the prefix it matched, or BLANKET."""
        code = violation.code
        if code == "DL100":
            return []
        found = [(index, prefix) for index, codes in self.file_codes for prefix in _matching(code, codes)]
        for index, codes in self.by_line.get(violation.line, ()):
            found.extend((index, prefix) for prefix in _matching(code, codes))
        for start, end, index, codes in self.ranges:
            if start <= violation.line <= end:
                found.extend((index, prefix) for prefix in _matching(code, codes))
        return found

    def suppressed(self, violation: Violation) -> bool:
        if not self.comments:
            return False
        return bool(self.silencing(violation))

    def used(self, violations: Iterable[Violation]) -> set[tuple[int, str]]:
        """The (comment index, prefix) pairs that silence at least one of `violations`."""
        found: set[tuple[int, str]] = set()
        for violation in violations:
            found.update(self.silencing(violation))
        return found

    def lines_covered(self, index: int) -> tuple[int, int] | None:
        """The first and last line a comment silences; None for `enable`."""
        kind = self.comments[index].kind
        if kind == "file":
            return 1, self.line_count
        if kind == "next-line":
            return next((line, line) for line, entries in self.by_line.items() if any(i == index for i, _ in entries))
        spans = [(start, end) for start, end, opened_by, _ in self.ranges if opened_by == index]
        return spans[0] if spans else None
