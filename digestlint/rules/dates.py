"""DL4xx: date headings, the file's path, and papers seen across files."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from digestlint.model import Edit, Fix, Heading, Violation
from digestlint.rules.base import Context, Paper, Rule, heading_date, quote
from digestlint.urls import is_valid_arxiv_id, strip_version

if TYPE_CHECKING:
    from digestlint.settings import Settings

_LOOSE_DATE_HEADING = re.compile(
    # `\s*(?::\s*)?`, not `\s*:?\s*`: two adjacent `\s*` split a run of spaces every way, which is quadratic.
    r"^(?:papers?\s+(?:for|of|on)\s*(?::\s*)?)?([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$",
    re.IGNORECASE,
)
_PATH_NESTED = re.compile(r"(?:^|/)([0-9]{4})/([0-9]{2})/([0-9]{2})\.[A-Za-z]+$")
_PATH_FLAT = re.compile(r"(?:^|[/_-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[^/0-9][^/]*)?\.[A-Za-z]+$")


def valid_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def path_date(path: str) -> str | None:
    """The date a digest's path names: `…/2024/10/23.md` or `…2024-10-23.md`; None when none."""
    normal = path.replace("\\", "/")
    for pattern in (_PATH_NESTED, _PATH_FLAT):
        match = pattern.search(normal)
        if match:
            return f"{match[1]}-{match[2]}-{match[3]}"
    return None


def date_headings(context: Context) -> list[tuple[Heading, str]]:
    return [(h, d) for h in context.document.headings if (d := heading_date(h.text)) is not None]


def section_date(context: Context, heading: Heading | None) -> str | None:
    if heading is None:
        return None
    date = heading_date(heading.text)
    return date if date and valid_date(date) else None


class DateHeading(Rule):
    """A missing or malformed date heading.

    Each day's table sits under `## Papers for YYYY-MM-DD`. No heading above the
    table, the wrong level (`# Papers for 2024-10-23`), a date without leading
    zeros (`2024-1-5`) or another wording (`## 2024-10-23`) are reported.

    Why it matters: tools that merge, index and de-duplicate archives read the
    day from the heading.

    Example:

        # Papers for 2024-1-5

    Correction:

        ## Papers for 2024-01-05

    Fix safety: safe when the date is unambiguous and valid: the heading is
    rewritten in the generated form with the same date. No fix when there is no
    heading or its date cannot be read.
    """

    code = "DL401"
    name = "date-heading"
    fixable = "sometimes"
    # A heading the records could not read a date from (`## 2024-10-23`) gets one: the same date, now read.
    fix_changes = frozenset({"date"})

    def check(self, context: Context) -> Iterator[Violation]:
        document = context.document
        dated: set[int] = set()  # ids of headings that name a date, in any form
        for heading in document.headings:
            date = heading_date(heading.text)
            if date is not None:
                dated.add(id(heading))
                if heading.level != 2:
                    yield self._rewrite(context, heading, date, f"is a level-{heading.level} heading")
                continue
            loose = _LOOSE_DATE_HEADING.match(heading.text.strip())
            if loose:
                dated.add(id(heading))
                year, month, day = loose.groups()
                date = f"{year}-{int(month):02d}-{int(day):02d}"
                yield self._rewrite(context, heading, date, "is not in the generated form")
        # A table under a malformed date heading has its finding on the heading already.
        if document.tables and not any(table.heading and id(table.heading) in dated for table in document.tables):
            first = document.tables[0]
            yield context.violation(
                self,
                first.header.start,
                first.header.end,
                "table has no date heading above it; add `## Papers for YYYY-MM-DD`",
            )

    def _rewrite(self, context: Context, heading: Heading, date: str, why: str) -> Violation:
        good = f"## Papers for {date}"
        fix = Fix((Edit(heading.start, heading.end, good),), "safe", f"write {good!r}") if valid_date(date) else None
        line = context.document.line_text(heading.line)
        advice = f"write {good!r}" if fix else f"write '## Papers for YYYY-MM-DD' with a real date ({date} is not one)"
        return context.violation(self, heading.start, heading.end, f"heading {quote(line)} {why}; {advice}", fix)


class InvalidDate(Rule):
    """A date heading naming a day that does not exist.

    Why it matters: the date is wrong, and tools that read it fail or file the
    digest under another day.

    Example:

        ## Papers for 2024-02-30

    Correction:

        ## Papers for 2024-02-29

    Fix: none; the right day has to be looked up.
    """

    code = "DL402"
    name = "invalid-date"

    def check(self, context: Context) -> Iterator[Violation]:
        for heading, date in date_headings(context):
            if valid_date(date) is None:
                yield context.violation(
                    self, heading.start, heading.end, f"{date} is not a real date; correct the heading"
                )


class PathDate(Rule):
    """The heading's date disagrees with the date in the file's path.

    A path with no date is fine. The date is read from the end of the file's
    absolute path (`YYYY/MM/DD.md`, or a name with `YYYY-MM-DD`), never from
    the path as typed, so the answer is the same from any folder and whichever
    configuration file governs it (a config inside `archive/2024/` does not
    hide the year).

    Why it matters: an archive laid out as `archive/YYYY/MM/DD.md` or with
    `YYYY-MM-DD.md` names says the day twice; when they disagree, one of them is
    wrong.

    Example (in `archive/2024/10/24.md`):

        ## Papers for 2024-10-23

    Correction:

        ## Papers for 2024-10-24

    Fix safety: unsafe: the fix sets the heading's date to the path's, but which of
    the two is wrong needs a person; the file may be the one misnamed (then rename
    it and do not apply the fix).
    """

    code = "DL403"
    name = "path-date"
    fixable = "always"
    fix_changes = frozenset({"date"})

    def check(self, context: Context) -> Iterator[Violation]:
        expected = path_date(context.settings.absolute_path(context.path))
        if expected is None:
            return
        for heading, date in date_headings(context):
            if date != expected:
                text = context.document.text[heading.start : heading.end]
                at = text.find(date)
                fix = None
                if at != -1:
                    start = heading.start + at
                    fix = Fix((Edit(start, start + len(date), expected),), "unsafe", f"write {expected} in the heading")
                yield context.violation(
                    self,
                    heading.start,
                    heading.end,
                    f"heading says {date} but the file's path says {expected}; correct one of them",
                    fix,
                )


class DateOrder(Rule):
    """A file with several date sections that repeat a date or are out of order.

    Sections run newest first or oldest first, consistently, each date once.

    Why it matters: a reader scanning the file for a day, and tools that merge
    sections by date, rely on the order.

    Example:

        ## Papers for 2024-10-23
        ## Papers for 2024-10-21
        ## Papers for 2024-10-22

    Correction:

        ## Papers for 2024-10-23
        ## Papers for 2024-10-22
        ## Papers for 2024-10-21

    Fix: none; move the sections (each with its table).
    """

    code = "DL404"
    name = "date-order"

    def check(self, context: Context) -> Iterator[Violation]:
        seen: dict[str, int] = {}
        direction = 0
        previous: str | None = None
        for heading, date in date_headings(context):
            if date in seen:
                yield context.violation(
                    self, heading.start, heading.end, f"{date} already has a section on line {seen[date]}; merge them"
                )
                continue
            seen[date] = heading.line
            if previous is not None:
                step = 1 if date > previous else -1
                if direction == 0:
                    direction = step
                elif step != direction:
                    order = "newest first" if direction < 0 else "oldest first"
                    yield context.violation(
                        self, heading.start, heading.end, f"{date} is out of order; this file runs {order}"
                    )
                    continue
            previous = date


class PaperFromFuture(Rule):
    """A paper whose arXiv ID is newer than the day it is listed under.

    A new-style ID starts with the year and month it was submitted
    (`2410.17243` is October 2024).

    Why it matters: a paper cannot be listed before it exists, so the ID or the
    date is wrong.

    Example:

        ## Papers for 2024-10-23
        ...
        | [T](https://arxiv.org/abs/2411.00001) | A. Author | The summary. |

    Correction:

        ## Papers for 2024-10-23
        ...
        | [T](https://arxiv.org/abs/2410.00001) | A. Author | The summary. |

    Fix: none; the ID or the date is wrong.
    """

    code = "DL405"
    name = "paper-from-future"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            record = context.record_as_read(table, row)  # a stray pipe hides no wrong ID
            date = section_date(context, table.heading)
            if record is None or not record.arxiv_id or date is None or "." not in record.arxiv_id:
                continue
            if not is_valid_arxiv_id(record.arxiv_id):
                continue  # a month like 13 is no date to compare: DL201 reports the ID
            yymm = record.arxiv_id[:4]
            if yymm > date[2:4] + date[5:7]:
                yield context.row_violation(
                    self,
                    row,
                    f"paper {record.arxiv_id} is from 20{yymm[:2]}-{yymm[2:]}, after this section's date {date}; "
                    "check the ID and the date",
                )


class CrossFileDuplicate(Rule):
    """The same arXiv paper listed in another checked file.

    Both places are reported. Every checked file counts (under pre-commit,
    the rest of the archive on disk too). `cross-file-window = N` in config
    limits it to papers listed within N days of each other; `0` turns it off.
    Two files of the same day listing one paper are told to remove one copy;
    files of different days, to keep the paper on one day.

    Why it matters: a paper announced again on a later day is noise for the
    reader, and a second file for one day usually is a copy.

    Example (`2024/10/24.md`, with the same paper in `2024/10/23.md`):

        | [T](https://arxiv.org/abs/2410.17243v2) | A. Author | The summary. |

    Correction: delete that row from one of the two files.

    Fix: none; delete the row you do not want.
    """

    code = "DL406"
    name = "cross-file-duplicate"
    cross_file = True

    def check(self, context: Context) -> Iterator[Violation]:
        return iter(())  # needs every file's papers: see `check_files`

    @classmethod
    def runs_across_files(cls, settings: Settings) -> bool:
        return super().runs_across_files(settings) and settings.cross_file_window != 0

    def check_files(
        self, papers_by_file: Mapping[str, Sequence[Paper]], context_papers: Iterable[Paper], settings: Settings
    ) -> Iterator[Violation]:
        window = settings.cross_file_window
        by_id: dict[str, list[Paper]] = {}
        for papers in papers_by_file.values():
            for paper in papers:
                if paper.arxiv_id:
                    by_id.setdefault(strip_version(paper.arxiv_id), []).append(paper)
        for paper in context_papers:
            if paper.arxiv_id and strip_version(paper.arxiv_id) in by_id:
                by_id[strip_version(paper.arxiv_id)].append(paper)
        for arxiv_id, papers in by_id.items():
            if len({paper.path for paper in papers}) < 2:
                continue
            for paper in papers:
                if paper.path not in papers_by_file:
                    continue  # read for context only
                others = [
                    other for other in papers if other.path != paper.path and _within(paper.date, other.date, window)
                ]
                if others:
                    yield Violation(
                        paper.path,
                        paper.line,
                        1,
                        paper.line,
                        1,
                        self.code,
                        self.name,
                        _duplicate_message(arxiv_id, paper, others),
                        self.severity,
                    )


def _duplicate_message(arxiv_id: str, paper: Paper, others: Sequence[Paper]) -> str:
    where = ", ".join(f"{other.path}:{other.line}" for other in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    if paper.date is not None and all(other.date == paper.date for other in others):
        copies = "a digest" if len(others) == 1 else "digests"
        return f"paper {arxiv_id} is listed again in {where}{more}, {copies} of the same day; remove one copy"
    return f"paper {arxiv_id} is also listed in {where}{more}; keep it on one day"


def _within(first: str | None, second: str | None, window: int | None) -> bool:
    if window is None:
        return True
    if first is None or second is None:
        return True
    try:
        delta = datetime.date.fromisoformat(first) - datetime.date.fromisoformat(second)
    except ValueError:
        return True
    return abs(delta.days) <= window


def is_date_heading(text: str) -> bool:
    """A heading that names a day like `Papers for YYYY-MM-DD` does, well-formed or not (`2024/1/5`, `Paper of ...`)."""
    return heading_date(text) is not None or _LOOSE_DATE_HEADING.match(text.strip()) is not None
