"""DL501/DL503 restyle a row with small edits: the same text as rebuilding it, in fewer fix passes."""

from __future__ import annotations

import pytest

from digestlint.fixer import apply_edits, fix_text
from digestlint.parse import parse
from digestlint.render import render_row, restyle_row
from digestlint.settings import Settings
from tests.conftest import SEEDS

HEAD = (
    "## Papers for 2024-11-05\n\n"
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)
ROWS = [
    "| [T](https://arxiv.org/abs/2410.17243) | A |S| ['Multimodal'] | N/A | N/A |",
    "[T](https://arxiv.org/abs/2410.17243) | A | S | ['Multimodal'] | N/A | N/A",
    "|[T](https://arxiv.org/abs/2410.17243)|A|S|['Multimodal']||N/A|",
    "| [T](https://arxiv.org/abs/2410.17243)   | A |   S | ['Multimodal'] | N/A |  |",
    "| [T](https://arxiv.org/abs/2410.17243) | A | S with a\nline break |['Multimodal'] | N/A | N/A",
    "| only | three | cells",
]


@pytest.mark.parametrize("row_text", ROWS)
def test_restyling_gives_the_rebuilt_row(row_text: str) -> None:
    text = HEAD + row_text + "\n"
    (table,) = parse(text, "x.md", Settings().layouts).tables
    (row,) = table.rows
    rebuilt = text[: row.start] + render_row(row.values(), table.layout) + text[row.end :]
    fix = restyle_row(row, table.layout, "safe", "rebuild the row")
    assert apply_edits(text, [fix])[0] == rebuilt


def test_a_restyled_row_gets_its_cell_fixes_in_the_same_pass() -> None:
    # No trailing pipe (DL501) and a trailing slash on a GitHub URL (DL206): both in one pass.
    row = "| [T](https://arxiv.org/abs/2410.17243) | A | S | ['Multimodal'] | [Link](https://github.com/a/b/) | N/A"
    text = HEAD + row + "\n"
    outcome = fix_text(text, "2024-11-05.md", Settings())
    assert outcome.passes == 1
    assert outcome.text.endswith("| [Link](https://github.com/a/b) | N/A |\n")
    assert sorted(violation.code for violation in outcome.applied) == ["DL206", "DL501"]


def test_every_seed_row_restyles_as_it_rebuilds() -> None:
    for seed in sorted(SEEDS.glob("*.md")):
        text = seed.read_text(encoding="utf-8")
        for table in parse(text, seed.name, Settings().layouts).tables:
            for row in table.rows:
                fix = restyle_row(row, table.layout, "safe", "x")
                rebuilt = text[: row.start] + render_row(row.values(), table.layout) + text[row.end :]
                assert (apply_edits(text, [fix])[0] if fix.edits else text) == rebuilt


@pytest.mark.parametrize(
    ("links", "fixed"),
    [
        # Two URLs made canonical in one cell: each fix edits its own URL.
        (
            "[Link](https://github.com/a/b/), [Link](https://github.com/c/d.git)",
            "[Link](https://github.com/a/b), [Link](https://github.com/c/d)",
        ),
        # A duplicate removed (DL207) while the first copy is made canonical (DL206).
        ("[Link](https://github.com/a/b/), [Link](https://github.com/a/b)", "[Link](https://github.com/a/b)"),
        # The duplicate is itself not canonical: its removal wins, the other URL is still fixed.
        (
            "[Link](https://github.com/a/b/), [Link](https://github.com/a/b/), [Link](https://github.com/a/b/tree/main)",
            "[Link](https://github.com/a/b), [Link](https://github.com/a/b/tree/main)",
        ),
    ],
)
def test_link_fixes_in_one_cell_apply_in_one_pass(links: str, fixed: str) -> None:
    row = f"| [T](https://arxiv.org/abs/2410.17243) | A | S | ['Multimodal'] | {links} | N/A |"
    outcome = fix_text(HEAD + row + "\n", "2024-11-05.md", Settings())
    assert outcome.text == HEAD + row.replace(links, fixed) + "\n"
    assert outcome.passes == 1
