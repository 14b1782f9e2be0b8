"""A fix's declaration (the record fields it may change) holds for the rows it edited, not the whole file.

DL302's unsafe fix may change a row's classification. A buggy fix elsewhere in the same file that
changes another row's classification must still be refused by the safety net: the declaration
of the DL302 fix on one row is no licence for the other.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from digestlint.api import fix_text
from digestlint.fix_declarations import Declared
from digestlint.fixer import FixError, verify_records
from digestlint.model import Edit, Fix, Violation
from digestlint.parse import parse
from digestlint.rules.base import Context
from digestlint.rules.classification import DuplicateTag
from digestlint.settings import Settings

HEAD = (
    "## Papers for 2024-10-23\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)


def _row(arxiv_id: str, tags: str) -> str:
    return f"| [T {arxiv_id}](https://arxiv.org/abs/{arxiv_id}) | A. Author | - The summary. | {tags} | N/A | N/A |\n"


# Row 1's tag is a misspelling with one close known tag: DL302's unsafe fix (declares classification).
MISSPELLED = _row("2410.17215", "['Natural Language Procesing']")
# Row 2's duplicate tag is DL304's: its fix declares nothing.
DUPLICATED = _row("2410.17247", "['Multimodal', 'Multimodal']")
REPLACED = "['Robotics']"


def _buggy_duplicate_tag_check(self: DuplicateTag, context: Context) -> Iterator[Violation]:
    """DL304 gone wrong: it "fixes" a duplicate tag by writing another tag (a classification change)."""
    for table, row in context.rows_as_read():
        assert table.layout is not None
        for spec, cell in zip(table.layout.columns, row.cells):
            if spec.kind == "tag-list" and cell.value == "['Multimodal', 'Multimodal']":
                fix = context.cell_fix(row, cell, REPLACED, "safe", "write another tag")
                yield context.cell_violation(self, row, cell, "tag 'Multimodal' is listed twice", fix)


def test_a_classification_change_on_a_row_no_declaring_fix_edited_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(DuplicateTag, "check", _buggy_duplicate_tag_check)
    report = fix_text(HEAD + MISSPELLED + DUPLICATED, "day.md", Settings(), unsafe=True)
    assert report.error is not None and "row 2" in report.error
    assert report.text == HEAD + MISSPELLED + DUPLICATED


def test_the_declaring_fix_still_applies_on_its_own_row() -> None:
    report = fix_text(HEAD + MISSPELLED + _row("2410.17247", "['Multimodal']"), "day.md", Settings(), unsafe=True)
    assert report.error is None
    assert report.text is not None and "['Natural Language Processing']" in report.text


def test_a_declaration_covers_only_its_row_in_the_net() -> None:
    """The net itself: a classification change on row 2 passes with a declaration for row 2, or for every
    row, and is refused with one for row 1 only."""
    settings = Settings()
    before = parse(HEAD + MISSPELLED + DUPLICATED, "day.md", settings.layouts)
    after = parse(HEAD + MISSPELLED + _row("2410.17247", REPLACED), "day.md", settings.layouts)
    classification = frozenset({"classification"})
    verify_records(before, after, Declared(by_row={1: classification}))
    verify_records(before, after, Declared(everywhere=classification))
    with pytest.raises(FixError, match="row 2"):
        verify_records(before, after, Declared(by_row={0: classification}))


def test_a_heading_fix_declares_for_the_rows_under_that_heading() -> None:
    """DL403's fix edits a heading, not a row: its `date` holds for the rows of the tables under it."""
    text = HEAD + MISSPELLED + "\n## Papers for 2024-10-22\n\n" + HEAD.split("\n\n", 1)[1] + DUPLICATED
    document = parse(text, "day.md", Settings().layouts)
    heading = document.tables[1].heading
    assert heading is not None
    declared = Declared()
    fix = Fix((Edit(heading.end - 2, heading.end, "23"),), "unsafe", "write 2024-10-23")
    declared.note(document, [(frozenset({"date"}), fix)], row_count=2)
    assert declared.for_row(0) == frozenset()
    assert declared.for_row(1) == frozenset({"date"})


def test_a_heading_date_change_no_fix_declared_is_refused_for_an_unchanged_row() -> None:
    """The net's shortcut for rows whose text is unchanged still compares their section's date."""
    settings = Settings()
    row = _row("2410.17247", "['Multimodal']")
    before = parse(HEAD + row, "day.md", settings.layouts)
    after = parse(HEAD.replace("2024-10-23", "2024-10-24") + row, "day.md", settings.layouts)
    with pytest.raises(FixError, match="row 1"):
        verify_records(before, after, Declared())
    verify_records(before, after, Declared(by_row={0: frozenset({"date"})}))
