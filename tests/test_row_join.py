"""DL103's fix joins a split row with one small edit per line break, so other fixes in the row apply with it.

Joining used to be one edit over the whole row: every cell fix in the row overlapped it and waited
for the next pass, a parse and a check of the whole file each. The joined text must be exactly what
that whole-row edit wrote: the row's values in the canonical rendering (or, with the wrong cell
count, its logical text stripped).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digestlint.checker import Check
from digestlint.fixer import apply_edits, fix_text
from digestlint.parse import parse
from digestlint.render import render_row
from digestlint.settings import Settings

SETTINGS = Settings()
FIXTURES = Path(__file__).parent / "fixtures" / "DL103"
HEAD = (
    "## Papers for 2024-10-23\n\n"
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)
TITLE = "[MiniPLM: Knowledge Distillation for Pre-Training Language Models](https://arxiv.org/abs/2410.17215)"
SUMMARY = "- MiniPLM distils a teacher into a student. - The teacher is queried only once."


def test_a_split_row_and_a_cell_fix_in_it_take_one_pass() -> None:
    """The summary is split, the GitHub URL on the second line has a trailing slash (DL206)."""
    text = (
        HEAD + f"| {TITLE} | Minlie Huang, Jie Zhou |  - MiniPLM distils a teacher into a student.\n"
        "  - The teacher is queried only once. | ['Natural Language Processing'] |"
        " [Link](https://github.com/thu-coai/MiniPLM/) | N/A |\n"
    )
    outcome = fix_text(text, "day.md", SETTINGS)
    assert [violation.code for violation in outcome.applied] == ["DL103", "DL206"]
    assert outcome.passes == 1  # two before: DL206 waited for the join
    assert outcome.text == (
        HEAD + f"| {TITLE} | Minlie Huang, Jie Zhou | {SUMMARY} | ['Natural Language Processing'] |"
        " [Link](https://github.com/thu-coai/MiniPLM) | N/A |\n"
    )


def test_a_cell_fix_across_the_line_break_waits_for_the_join() -> None:
    """A cell whose value spans the break has no fix of its own until the row is joined."""
    text = (
        HEAD + f"| {TITLE} | Minlie Huang | {SUMMARY} | ['Natural Language Processing'] | [Link](http://github.com/\n"
        "thu-coai/MiniPLM/) | N/A |\n"
    )
    outcome = fix_text(text, "day.md", SETTINGS)
    assert [violation.code for violation in outcome.applied] == ["DL103", "DL206"]
    assert outcome.passes == 2
    assert "| [Link](https://github.com/thu-coai/MiniPLM) | N/A |\n" in outcome.text


def _variants() -> list[tuple[str, str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.md")):
        if path.name.endswith(".fixed.md"):
            continue
        text = path.read_text(encoding="utf-8")
        cases.append((path.name, text))
        cases.append((path.name + " crlf", text.replace("\n", "\r\n")))
        cases.append((path.name + " spaces", text.replace("\n", " \t\n   ").replace(" | ", "  |   ")))
    return cases


@pytest.mark.parametrize(("name", "text"), _variants(), ids=[name for name, _ in _variants()])
def test_the_join_writes_what_the_whole_row_edit_wrote(name: str, text: str) -> None:
    document = parse(text, name, SETTINGS.layouts)
    joins = {
        violation.line: violation for violation in Check(document, SETTINGS).fixable() if violation.code == "DL103"
    }
    split = [(table, row) for table in document.tables for row in table.rows if row.is_split]
    assert len(joins) == len(split)
    for table, row in split:
        fix = joins[row.first_line].fix
        assert fix is not None
        whole = render_row(row.values(), table.layout) if len(row.cells) == len(table.columns) else row.logical.strip()
        assert apply_edits(text, [fix]) == (text[: row.start] + whole + text[row.end :], [fix])
        for cell in row.cells:
            if cell.value and row.is_contiguous(cell.value_start, cell.value_end):
                # A value on one line is left alone: a fix of that cell can apply in the same pass.
                start = row.to_source(cell.value_start)
                end = start + len(cell.value)
                assert all(edit.end <= start or edit.start >= end for edit in fix.edits)


def test_line_breaks_map_back_to_the_source() -> None:
    head = "| Title | Authors | Summary |\n|---|---|---|\n"
    text = head + "| [T](https://arxiv.org/abs/\n  2410.17215) | A  \r\n   B | S |\n"
    row = parse(text).tables[0].rows[0]
    assert row.logical == "| [T](https://arxiv.org/abs/2410.17215) | A B | S |"
    breaks = row.line_breaks()
    assert [(text[start:end], separator) for _, start, end, separator in breaks] == [("\n  ", ""), ("  \r\n   ", " ")]
    assert [row.logical[offset - len(separator) : offset + 1] for offset, _, _, separator in breaks] == ["2", " B"]
