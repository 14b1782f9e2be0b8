"""Inline suppressions, as HTML comments that do not render:

    <!-- digestlint-disable-next-line DL204 -->
    <!-- digestlint-disable DL5 --> ... <!-- digestlint-enable -->
    <!-- digestlint-disable-file -->

Codes are prefixes (`DL5` is every formatting rule); no codes means all.
"""

from __future__ import annotations

from collections.abc import Sequence

from digestlint.model import Suppression, Violation


def _matches(code: str, codes: Sequence[str]) -> bool:
    return not codes or any(code.startswith(prefix) for prefix in codes)


class Suppressions:
    def __init__(self, suppressions: Sequence[Suppression], line_count: int) -> None:
        self.comments = tuple(suppressions)  # what it was built from (the result cache stores these)
        self.line_count = line_count
        self.file_codes: list[tuple[str, ...]] = []
        self.by_line: dict[int, list[tuple[str, ...]]] = {}
        self.ranges: list[tuple[int, int, tuple[str, ...]]] = []
        comment_lines = {suppression.line for suppression in suppressions}
        open_ranges: list[tuple[int, tuple[str, ...]]] = []
        for suppression in suppressions:
            if suppression.kind == "file":
                self.file_codes.append(suppression.codes)
            elif suppression.kind == "next-line":
                target = suppression.line + 1
                while target in comment_lines:
                    target += 1
                self.by_line.setdefault(target, []).append(suppression.codes)
            elif suppression.kind == "disable":
                open_ranges.append((suppression.line, suppression.codes))
            else:
                # `enable` closes ranges with the same codes, or every open range when it names none.
                still_open = []
                for start, codes in open_ranges:
                    if not suppression.codes or set(codes) <= set(suppression.codes):
                        self.ranges.append((start, suppression.line, codes))
                    else:
                        still_open.append((start, codes))
                open_ranges = still_open
        self.ranges.extend((start, line_count + 1, codes) for start, codes in open_ranges)

    def suppressed(self, violation: Violation) -> bool:
        code = violation.code
        if code == "DL100":
            return False
        if any(_matches(code, codes) for codes in self.file_codes):
            return True
        if any(_matches(code, codes) for codes in self.by_line.get(violation.line, ())):
            return True
        return any(start <= violation.line <= end and _matches(code, codes) for start, end, codes in self.ranges)
