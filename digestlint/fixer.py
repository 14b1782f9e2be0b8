"""Applying fixes: edits in one sorted pass, re-check, repeat; then the safety net.

Pure: text in, text out. Writing is the runner's job.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from digestlint.checker import Check, FileResult
from digestlint.fix_declarations import Declared
from digestlint.model import Document, Edit, Fix, Row, Table, Violation, fold_whitespace
from digestlint.parse import parse
from digestlint.records import build_record
from digestlint.rules import BY_CODE
from digestlint.rules.base import heading_date
from digestlint.rules.structure import merge_surplus, pipe_split_column
from digestlint.settings import Settings
from digestlint.urls import canonical_url, find_links

MAX_PASSES = 10


class Keep(Protocol):
    """Which fixes `fix_text` may apply (`rendering.KeepRendering`, for `format`)."""

    def verdict(self, document: Document, fix: Fix) -> bool | None:
        """Whether this fix may be applied to this document, or None when only `same` can tell."""

    def same(self, before: str, after: str) -> bool:
        """Whether a fix may turn the first text into the second."""


class FixError(Exception):
    """Fixing a file failed; nothing may be written for it."""


@dataclass
class FixOutcome:
    text: str
    applied: list[Violation] = field(default_factory=list)
    result: FileResult | None = None  # the check of the fixed text
    passes: int = 0  # passes that applied fixes; each costs a parse and a check of the whole file


def applicable(violation: Violation, unsafe: bool) -> bool:
    fix = violation.fix
    return fix is not None and (fix.applicability == "safe" or unsafe)


def apply_edits(text: str, fixes: Sequence[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes in one pass, in order of position; return the text and the fixes applied.

    Fixes are taken greedily in order of position, each with all its edits or not at all. A fix of
    several small edits (a row join) conflicts only with what its edits touch, not with everything
    between its first and last edit, so a cell fix between two of them applies in the same pass.
    """
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []  # the chosen edits' ranges, sorted; ends never decrease
    for fix in sorted(fixes, key=lambda fix: (fix.start, fix.end)):
        ranges = [(edit.start, edit.end) for edit in fix.edits]
        if any(_conflicts(taken, start, end) for start, end in ranges):
            continue  # overlaps a fix already chosen: it gets its turn in the next pass
        chosen.append(fix)
        for edit_range in ranges:
            bisect.insort(taken, edit_range)  # at the end, nearly always: fixes come in order of position
    edits: list[Edit] = sorted((edit for fix in chosen for edit in fix.edits), key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    for edit in edits:
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), chosen


def _conflicts(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the edit range [start, end) conflicts with a chosen one.

    Ranges that only touch do not conflict, except that an insertion (start == end) may not sit at
    the end of a chosen range or at another insertion: which text would come first is ambiguous.
    An insertion at the start of a replacement goes before it.
    """
    index = bisect.bisect_right(taken, (end, end))
    while index > 0:
        index -= 1
        taken_start, taken_end = taken[index]
        if taken_end < start:
            return False  # ends never decrease: nothing earlier reaches this range
        if start == end and taken_start == taken_end:
            if start == taken_start:
                return True
        elif start == end:
            if taken_start < start <= taken_end:
                return True
        elif taken_start == taken_end:
            if start < taken_start <= end:
                return True
        elif taken_start < end and start < taken_end:
            return True
    return False


def fix_text(text: str, path: str, settings: Settings, *, unsafe: bool = False, keep: Keep | None = None) -> FixOutcome:
    """Fix until nothing changes (at most MAX_PASSES passes), then check records are preserved.

    With `keep`, a fix is applied only when `keep` allows it (`_kept`); one it refuses stays among
    the findings that remain.
    """
    original = parse(text, path, settings.layouts)
    current = text
    applied: list[Violation] = []
    document = original
    passes = 0
    declared = Declared()  # what the applied fixes may change, row by row
    row_count = sum(len(table.rows) for table in original.tables)
    refused: set[object] = set()  # the fixes `keep` refused, by `_fix_key`
    for _ in range(MAX_PASSES):
        check = Check(document, settings)
        todo = [
            violation
            for violation in check.fixable()
            if applicable(violation, unsafe) and settings.fix_allowed(violation.code)
        ]
        if keep is not None:
            todo = _kept(keep, document, todo, refused)
        if not todo:
            result = check.result()
            break
        fixes_by_id = {id(violation.fix): violation for violation in todo}
        current, chosen = apply_edits(current, _unique_fixes(todo))
        applied.extend(fixes_by_id[id(fix)] for fix in chosen)
        declared.note(document, ((_fix_changes(fixes_by_id[id(fix)].code), fix) for fix in chosen), row_count)
        passes += 1
        document = parse(current, path, settings.layouts)
    else:
        raise FixError(f"{path}: fixes did not converge after {MAX_PASSES} passes; nothing was written")
    if current != text:
        verify_records(original, document, declared)
    return FixOutcome(current, applied, result, passes)


def _kept(keep: Keep, document: Document, todo: list[Violation], refused: set[object]) -> list[Violation]:
    """The findings whose fix `keep` allows on its own. Its verdict from the document first; the fixes
    it cannot judge so are tried all at once on the text (what usually holds), then each alone. A
    refused fix is remembered in `refused` so that later passes, where it comes back at other
    offsets, do not try it again."""
    text = document.text
    kept: list[Violation] = []
    unsure: list[Violation] = []
    for violation in todo:
        assert violation.fix is not None
        key = _fix_key(text, violation)
        if key in refused:
            continue
        verdict = keep.verdict(document, violation.fix)
        if verdict is None:
            unsure.append(violation)
        elif verdict:
            kept.append(violation)
        else:
            refused.add(key)
    if not unsure or keep.same(text, _applied(text, unsure)):
        return kept + unsure
    alone: list[Violation] = []
    for violation in unsure:
        if keep.same(text, _applied(text, [violation])):
            alone.append(violation)
        else:
            refused.add(_fix_key(text, violation))
    if len(alone) > 1 and not keep.same(text, _applied(text, alone)):
        alone = alone[:1]  # each harmless alone, not together: one a pass, each judged again on the next
    return kept + alone


def _applied(text: str, violations: list[Violation]) -> str:
    """The text with these findings' fixes applied."""
    return apply_edits(text, _unique_fixes(violations))[0]


def _unique_fixes(violations: Sequence[Violation]) -> list[Fix]:
    """The findings' fixes, each once: one fix may serve several findings (every duplicate in a cell)."""
    return list({id(violation.fix): violation.fix for violation in violations if violation.fix}.values())


def _fix_key(text: str, violation: Violation) -> object:
    """A fix by what it does and on which line, not at which offset (offsets move between passes): its
    code, its first line's number and the lines it touches, and its edits within them. The line's
    number keeps apart two identical rows, one refused and one not."""
    fix = violation.fix
    assert fix is not None
    start = text.rfind("\n", 0, fix.start) + 1
    end = text.find("\n", fix.end)
    end = len(text) if end < 0 else end
    edits = tuple((edit.start - start, edit.end - start, edit.replacement) for edit in fix.edits)
    return (violation.code, text.count("\n", 0, start), text[start:end], edits)


def _rows(document: Document) -> list[tuple[Table, Row, str | None]]:
    """Every table row with its table and its section's date, in document order."""
    rows: list[tuple[Table, Row, str | None]] = []
    for table in document.tables:
        date = heading_date(table.heading.text) if table.heading else None
        rows.extend((table, row, date) for row in table.rows)
    return rows


def _row_key(path: str, table: Table, row: Row, date: str | None, changes: frozenset[str]) -> object:
    """What a fix must keep of a row: its record, compared; or its text, folded, when it has no paper ID."""
    record = None
    if table.layout is not None:
        record = build_record(path, date, table.layout, _as_layout_reads_it(table, row))
    if record is not None and record.arxiv_id:
        return record.comparable(changes)
    return _content_key(row.logical)


def _as_layout_reads_it(table: Table, row: Row) -> Row:
    """A row with stray pipes (DL104) read as its layout does: surplus cells merged into one column."""
    column = pipe_split_column(table, row)
    if column is None or table.layout is None:
        return row
    extra = len(row.cells) - len(table.layout.columns)
    merged = merge_surplus(row, column, extra)
    return replace(row, cells=[*row.cells[:column], merged, *row.cells[column + extra + 1 :]])


def _pipes_escaped(
    path: str, old: tuple[Table, Row, str | None], new: tuple[Table, Row, str | None], changes: frozenset[str]
) -> bool | None:
    """For a row that had surplus cells (stray pipes, DL104) and now fits its layout: whether the repair
    only escaped pipes, judged from the cells themselves and not from the column the fixer chose.

    True when, for some run of adjacent old cells joined by escaped pipes into one, the row's record
    equals the repaired row's (so every other cell kept its content; other fixes of the same run are
    allowed what the record comparison allows them). None when the rows are not such a pair.
    """
    (old_table, old_row, old_date), (new_table, new_row, new_date) = old, new
    layout = new_table.layout
    if layout is None or layout is not old_table.layout:
        return None
    width = len(layout.columns)
    extra = len(old_row.cells) - width
    if extra <= 0 or len(new_row.cells) != width:
        return None
    repaired = build_record(path, new_date, layout, new_row)
    if repaired is None:
        return None
    target = repaired.comparable(changes)
    for column in range(width):
        merged = merge_surplus(old_row, column, extra)
        cells = [*old_row.cells[:column], merged, *old_row.cells[column + extra + 1 :]]
        record = build_record(path, old_date, layout, replace(old_row, cells=cells))
        if record is not None and record.comparable(changes) == target:
            return True
    return False


def _same_cells(old: tuple[Table, Row, str | None], new: tuple[Table, Row, str | None]) -> bool:
    """Whether two rows have the same values in a layout's exact columns, under the same layout and date."""
    (old_table, old_row, old_date), (new_table, new_row, new_date) = old, new
    layout = old_table.layout
    return (
        layout is not None
        and layout is new_table.layout
        and old_date == new_date
        and len(old_row.cells) == len(new_row.cells) == len(layout.columns)
        and all(a.value == b.value for a, b in zip(old_row.cells, new_row.cells))
    )


def _content_key(text: str) -> str:
    """A row's text with pipes, escapes and whitespace folded away and URLs canonical."""
    folded = fold_whitespace(text.replace("\\|", " ").replace("|", " "))
    pieces: list[str] = []
    position = 0
    for link in find_links(folded):  # built in one pass: splicing each URL in would be quadratic
        pieces.append(folded[position : link.start])
        pieces.append(canonical_url(link.url))
        position = link.end
    pieces.append(folded[position:])
    return fold_whitespace("".join(pieces))


def verify_records(before: Document, after: Document, declared: Declared) -> None:
    """The safety net: every paper's record must survive fixing, except for the changes fixes mean to make
    (`declared`: the fields each row's own fixes may change)."""
    old = _rows(before)
    new = _rows(after)
    if len(old) != len(new):
        raise FixError(
            f"{before.path}: fixing would change the number of rows from {len(old)} to {len(new)}; nothing was written"
        )
    for index, (old_row, new_row) in enumerate(zip(old, new)):
        if (
            old_row[1].logical == new_row[1].logical
            and old_row[0].layout is new_row[0].layout
            and old_row[2] == new_row[2]
        ):
            continue  # the same text read by the same layout: the same record (most rows are untouched)
        if _same_cells(old_row, new_row):
            continue  # joined or re-padded only: a record is made of the cell values, the layout and the date
        changes = declared.for_row(index)
        escaped = _pipes_escaped(before.path, old_row, new_row, changes)
        if escaped is False:
            raise FixError(
                f"{before.path}: fixing would move text between the cells of row {index + 1}; nothing was written"
            )
        if escaped:
            continue  # every cell checked above, the merged one included: the record cannot have changed
        old_key = _row_key(before.path, *old_row, changes)
        new_key = _row_key(after.path, *new_row, changes)
        if old_key != new_key and not (isinstance(old_key, str) or isinstance(new_key, str)):
            raise FixError(f"{before.path}: fixing would change the data of row {index + 1}; nothing was written")
        text_compared = isinstance(old_key, str) != isinstance(new_key, str) or (
            isinstance(old_key, str) and old_key != new_key
        )
        if text_compared and _content_key(old_row[1].logical) != _content_key(new_row[1].logical):
            raise FixError(f"{before.path}: fixing would change the text of row {index + 1}; nothing was written")


def _fix_changes(code: str) -> frozenset[str]:
    """The record fields a rule's fix may change, as the rule declares them."""
    rule = BY_CODE.get(code)
    return rule.fix_changes if rule is not None else frozenset()
