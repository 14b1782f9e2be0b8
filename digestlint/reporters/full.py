"""`-o full`: each finding with its source line and a caret under the offending text, as ruff's full format.

Digest rows run past 1,500 characters, so the line is windowed to the finding's column: at most
`WIDTH` characters around it, with `…` where text was cut.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from digestlint.model import Violation, source_lines
from digestlint.reporters.text import BOLD, CYAN, DIM, TextReporter

if TYPE_CHECKING:
    from digestlint.runner import FileOutcome, Report

WIDTH = 100  # characters of a source line shown
LEAD = 30  # characters shown before the finding's column, when the line is cut
ELLIPSIS = "…"


def window(line: str, column: int, end_column: int | None) -> tuple[str, int, int]:
    """(the part of `line` shown, the caret's offset in it, the caret's width) for 1-based columns."""
    start = column - 1
    stop = max(end_column - 1 if end_column is not None else 0, start + 1)
    if len(line) <= WIDTH:
        return line, start, max(1, min(stop, max(len(line), start + 1)) - start)
    first = max(0, min(start - LEAD, len(line) - WIDTH))
    last = first + WIDTH
    prefix = ELLIPSIS if first else ""
    shown = prefix + line[first:last] + (ELLIPSIS if last < len(line) else "")
    return shown, start - first + len(prefix), max(1, min(stop, last) - start)


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters (CJK, most emoji) two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def _text(outcome: FileOutcome) -> list[str]:
    text = outcome.new_text if outcome.new_text is not None and not outcome.error else outcome.original
    if text is None:
        try:
            with open(outcome.path, "rb") as handle:  # noqa: PTH123
                data = handle.read()
            text = data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return []  # an unreadable file (DL100) has no source line to show
        if "\x00" in text:
            return []
    return source_lines(text)


class FullReporter(TextReporter):
    def snippet(self, violation: Violation, lines: list[str]) -> list[str]:
        if not 0 < violation.line <= len(lines):
            return []
        end = violation.end_column if violation.end_line == violation.line else None
        shown, offset, width = window(lines[violation.line - 1].expandtabs(1), violation.column, end)
        number = str(violation.line)
        gutter = " " * len(number)
        bar = self._paint("|", CYAN)
        # The caret goes under the text in terminal columns, which wide characters before it would shift.
        width = max(1, display_width(shown[offset : offset + width]))
        offset = display_width(shown[:offset])
        caret = self._paint("^" * width + " " + violation.code, BOLD)
        return [
            f"{gutter} {bar}",
            f"{self._paint(number, CYAN)} {bar} {shown}",
            f"{gutter} {bar} {' ' * offset}{caret}",
            f"{gutter} {bar}",
        ]

    def report(self, report: Report) -> None:
        write = self.stream.write
        for outcome in report.files:
            if not outcome.violations:
                continue
            lines = _text(outcome)
            for violation in outcome.violations:
                write(self.line(violation) + "\n")
                for line in self.snippet(violation, lines):
                    write(line + "\n")
                if violation.fix is not None:
                    fix = violation.fix
                    write(self._paint(f"  = fix ({fix.applicability}): {fix.message}", DIM) + "\n")
                write("\n")
        self._summary(report)
