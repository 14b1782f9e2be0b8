"""The safety net checks a stray-pipe repair (DL104) from the cells themselves, not from the fixer's reading."""

from __future__ import annotations

import pytest

from digestlint.fix_declarations import Declared
from digestlint.fixer import FixError, verify_records
from digestlint.parse import parse
from digestlint.settings import Settings

HEAD = "## Papers for 2024-10-23\n\n| Title | Authors | Summary |\n|-------|---------|---------|\n"
TITLE = (
    "Memory Barrier (Read more on [arXiv](https://arxiv.org/abs/2410.17243) or "
    "[HuggingFace](https://huggingface.co/papers/2410.17243))"
)
BROKEN = HEAD + f"| {TITLE}| Kehan Li, Hang Zhang | a) It models P(y | x) directly. |\n"


def _verify(after_row: str) -> None:
    settings = Settings()
    before = parse(BROKEN, "day.md", settings.layouts)
    after = parse(HEAD + after_row, "day.md", settings.layouts)
    verify_records(before, after, Declared())


def test_escaping_the_pipe_in_either_plausible_cell_keeps_every_other_cell() -> None:
    _verify(f"| {TITLE} | Kehan Li, Hang Zhang | a) It models P(y \\| x) directly. |\n")
    _verify(f"| {TITLE} | Kehan Li, Hang Zhang \\| a) It models P(y | x) directly. |\n")


@pytest.mark.parametrize(
    "after_row",
    [
        # the pipe escaped, but an author moved into the summary
        f"| {TITLE} | Kehan Li | Hang Zhang a) It models P(y \\| x) directly. |\n",
        # the pipe escaped, and the summary's end dropped
        f"| {TITLE} | Kehan Li, Hang Zhang | a) It models P(y \\| x). |\n",
    ],
)
def test_a_repair_that_moves_or_drops_text_is_refused(after_row: str) -> None:
    with pytest.raises(FixError, match="move text between the cells"):
        _verify(after_row)
