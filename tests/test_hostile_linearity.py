"""Hostile cells, rows and documents cost time linear in their size (1 MB inputs)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from digestlint.checker import check_text
from digestlint.fixer import _content_key, fix_text
from digestlint.linklists import recover_links
from digestlint.parse import split_cells
from digestlint.rendering import _folded, rendering
from digestlint.rules.dates import path_date
from digestlint.settings import Settings
from digestlint.tags import parse_tags
from digestlint.urls import canonical_url, find_links
from tests.linearity import assert_linear, repeat_to

HEAD = (
    "## Papers for 2024-11-05\n\n"
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)
ROW = "| [T](https://arxiv.org/abs/2410.17243) | A | S | ['Multimodal'] | {links} | N/A |\n"
SETTINGS = Settings()

FUNCTIONS: list[tuple[str, Callable[[str], object], str, str, str]] = [
    ("find_links bare URLs before a far bracket", find_links, "", "https://a ", "[x](y)"),
    ("find_links brackets", find_links, "", "[", ""),
    ("find_links unclosed links", find_links, "", "[x](", ""),
    ("find_links parens", find_links, "", "(", ""),
    ("recover_links many links", recover_links, "", "[Link](https://github.com/a/b), ", ""),
    ("recover_links bare URLs", recover_links, "", "https://a ", ""),
    ("content key of many URLs", _content_key, "", "https://a ", ""),
    ("split_cells escaped pipes", split_cells, "", "\\|", ""),
    ("split_cells backslash runs", split_cells, "", "\\\\\\|", ""),
    ("parse_tags nested lists", parse_tags, "", "[", ""),
    ("parse_tags many tags", parse_tags, "[", "'a', ", "'a']"),
    ("canonical_url long path", canonical_url, "https://github.com", "/a", ""),
    ("path_date long path", path_date, "", "_2024-01-01x.a", ".md"),
    ("folded text of long space runs", _folded, "a", "        ", "b\nc"),
    ("folded text of many line breaks", _folded, "a", "   \n ", "b"),
    ("rendering of many spaced line breaks", rendering.__wrapped__, "a", "   \n ", "b"),
]


@pytest.mark.parametrize(
    ("label", "function", "prefix", "fragment", "suffix"), FUNCTIONS, ids=[item[0] for item in FUNCTIONS]
)
def test_function_is_linear(
    label: str, function: Callable[[str], object], prefix: str, fragment: str, suffix: str
) -> None:
    assert_linear(label, lambda size: repeat_to(fragment, size, prefix, suffix), lambda text: function(str(text)))


def _row_with_links(links: str) -> str:
    return HEAD + ROW.format(links=links)


DOCUMENTS: list[tuple[str, Callable[[int], str]]] = [
    ("many bare URLs in a link cell", lambda size: _row_with_links(repeat_to("https://a ", size))),
    (
        "many duplicate links in a cell",
        lambda size: _row_with_links(repeat_to("[Link](https://github.com/a/b), ", size)),
    ),
    (
        "many misplaced Hugging Face links",
        lambda size: _row_with_links(repeat_to("[Link](https://huggingface.co/a/b), ", size)),
    ),
    ("a row continued over many lines", lambda size: HEAD + repeat_to("x\n", size, "| [T](u) | A | S\n")),
    ("unclosed suppression comments", lambda size: repeat_to("<!--digestlint-disable", size) + "\n"),
    ("a loose date heading of spaces", lambda size: repeat_to(" ", size, "## papers for", "x\n")),
    ("rows with project pages", lambda size: HEAD + repeat_to(ROW.format(links="[Link](https://p.github.io)"), size)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("label", "make"), DOCUMENTS, ids=[item[0] for item in DOCUMENTS])
def test_check_and_fix_are_linear(label: str, make: Callable[[int], str]) -> None:
    assert_linear(f"check: {label}", make, lambda text: check_text(str(text), "x.md", SETTINGS), large_size=1 << 16)
    assert_linear(f"fix: {label}", make, lambda text: fix_text(str(text), "x.md", SETTINGS), large_size=1 << 16)
