"""The parser's shortcuts give exactly what the plain algorithms give, in linear time.

- `plain_blocks` reads the block structure of a text of paragraphs, lists of text
  and `#` headings without markdown-it: it must be what markdown-it finds.
- `block_source` cuts table rows down before markdown-it reads the block structure:
  the structure must be the same as markdown-it finds in the full text.
- `_RowText` joins a split row line by line without re-splitting it: the text,
  pipes and cell count must be what joining and splitting the whole text gives.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestlint.block_source import BlockSource, block_source, plain_blocks
from digestlint.parse import _block_parser, _RowText, parse, split_cells, unescaped_pipes
from digestlint.settings import Settings

BLOCK_PIECES = [
    "|", " | ", "| a | b |", "|---|", "\n| ", "\\", "](", ")", "]", "[", "[foo]:", "[foo]: /url", "a", "A", "é", "²",
    " ", "\t", "\n", "\n\n", "\r", "\r\n", "```\n", "~~~", "<!--", "-->", "<div>", "</div>", "<script>", "</script>",
    "<?", "?>", "<![CDATA[", "]]>", ">", "# H\n", "---\n", "===\n", "-", "=", "    ", "  ", "> ", "- ", "1. ", "* ",
    "0) ", "12. ", "1)x", "2.5", ".", "!", "&", "_", "+", "\"t\"", "'t'", "(t)",
]  # fmt: skip
ROW_PIECES = ["|", "\\", "\\|", "](", ")", "]", "(", "[", "a", " ", "  ", "\t", "x y"]


def _structure(text: str, source: BlockSource | None = None) -> list[tuple[Any, ...]]:
    """What the parser takes from markdown-it, on the original lines (mapped back from `source`)."""
    tokens = _block_parser().parse(text if source is None else source.text)
    found: list[tuple[Any, ...]] = []
    for index, token in enumerate(tokens):
        if token.type in ("fence", "code_block", "html_block", "heading_open"):
            assert token.map is not None
            lines = token.map if source is None else source.original(*token.map)
            content = tokens[index + 1].content if token.type == "heading_open" else None
            found.append((token.type, tuple(lines), token.markup, content))
    return found


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(BLOCK_PIECES), max_size=50))
def test_block_source_keeps_the_block_structure(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _structure(text, block_source(text)) == _structure(text)


PLAIN_LINES = [
    "", " ", "\t", " \t", "# a", "##", "## a ##", "## a#", "## #", "###### x", "####### x", "#x", "  ## y #",
    "   # z", "    # code", "# a #b", "#\tt", "# t\t#\t", "#  ", "# h \\#", "#\u00a0x", "## Papers for 2024-01-01",
    "| a | b |", "abc", "  split", "   three", "    four", "é", "²x", "\u00a0x", "\x0c", "\t|", "  \t# x",
    "1. x", "1x", "12) y", "10. x", "123456789. x", "1234567890. x", "0) | y", "2. y", "- x", "- The", "-  x",
    "-    x", "-     code", "- ", "-", "-\tx", "- - x", "- # h", "- 1. x", "- 1 x", "  - n", "   - n", "* x", "*x*",
    "+ y", "- ```", "- <div>", "  # in item", "  ```", "> q", "<a>", "[x]: /u", "---", "===", "```", "~~~", "_",
    "*", "+", "| r\r",
]  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLAIN_LINES), max_size=12), st.booleans())
def test_plain_blocks_are_what_markdown_it_finds(lines: list[str], crlf: bool) -> None:
    text = ("\r\n" if crlf else "\n").join(lines)
    plain = plain_blocks(text)
    if plain is not None:
        structure = _structure(text)
        assert all(kind == "heading_open" for kind, *_ in structure)  # no code, no HTML
        assert plain == [(span[0], len(markup), str(content).strip()) for _, span, markup, content in structure]


def test_plain_blocks_read_a_digest_without_a_parser() -> None:
    text = (
        "\n\n## Papers for 2024-10-23 ##\n\n| Title | Authors | Summary |\n|---|---|---|\n| T (Read more) | A | a\n"
        "- The summary, split before a dash |\n| U | B | c\n12) d |\n"
    )
    assert plain_blocks(text) == [(2, 2, "Papers for 2024-10-23")]
    assert plain_blocks(text + "\n```\ncode\n```\n") is None


def test_block_source_cuts_and_merges_rows_but_not_headings_code_or_html() -> None:
    text = (
        "## Papers for 2024-10-23\n\n| Title | Authors |\n|---|---|\n| [T](https://arxiv.org/abs/2410.17243) | A\n"
        "  split | B |\n| [U](https://arxiv.org/abs/2410.17244) | C |\n"
        "\n```\n| in code |\n```\n\n<!--\n| in a comment -->\n"
    )
    source = block_source(text)
    assert source.text.split("\n") == [
        "## Papers for 2024-10-23", "", "|", "  s", "|", "", "```", "|", "```", "", "<!--", "| in a comment -->", ""
    ]  # fmt: skip
    assert source.original(2, 3) == (2, 5)  # the first three rows, read as one line
    assert source.original(6, 9) == (8, 11)  # the fence
    assert _structure(text, source) == _structure(text)


def test_a_lone_carriage_return_is_a_line_break_to_markdown_it() -> None:
    text = "|```\n|\r---\n"
    assert block_source(text).text == text


def test_setext_heading_text_is_kept() -> None:
    text = "| a | b |\n---\n"
    assert block_source(text).text == text
    assert parse(text).headings[0].text == "| a | b |"


def _inside_link_target(text: str) -> bool:
    opening = text.rfind("](")
    return opening != -1 and text.find(")", opening + 2) == -1


def _naive_join(lines: list[str]) -> str:
    """The definition: rstrip, then no space inside a link target (or between `]` and `(`), else one space."""
    logical = lines[0]
    for line in lines[1:]:
        head, stripped = logical.rstrip(), line.lstrip()
        glued = _inside_link_target(head) or (head.endswith("]") and stripped.startswith("("))
        logical = head + ("" if glued else " ") + stripped
    return logical


NON_BLANK_LINE = st.lists(st.sampled_from(ROW_PIECES), min_size=1, max_size=8).map(
    lambda pieces: "".join(pieces) if "".join(pieces).strip() else "".join(pieces) + "a"
)


@settings(max_examples=500, deadline=None)
@given(st.lists(NON_BLANK_LINE, min_size=1, max_size=6))
def test_row_text_matches_joining_and_splitting_the_whole_text(lines: list[str]) -> None:
    row = _RowText(lines[0])
    for line in lines[1:]:
        expected_count, expected_trailing = _counts(_naive_join([row.text(), line]))
        assert row.cell_count_with(line) == (expected_count, expected_trailing)
        row.append(line)
    joined = _naive_join(lines)
    assert row.text() == joined
    assert row.bounds == unescaped_pipes(joined)
    assert row.cell_count() == _counts(joined)


def _counts(text: str) -> tuple[int, bool]:
    cells, _, trailing = split_cells(text)
    return len(cells), trailing


def test_a_row_split_over_many_lines_is_read_as_one_row() -> None:
    words = [f"word{index}" for index in range(20_000)]
    summary = "\n".join(words)
    text = (
        "## Papers for 2024-10-23\n\n| Title | Authors | Summary | Link |\n|---|---|---|---|\n"
        f"| T | A | {summary} | [Read more](https://arxiv.org/abs/2410.17243) |\n"
    )
    document = parse(text, "x.md", Settings().layouts)
    (row,) = document.tables[0].rows
    assert row.last_line - row.first_line == len(words) - 1
    assert row.values() == ["T", "A", " ".join(words), "[Read more](https://arxiv.org/abs/2410.17243)"]


def test_pipes_on_a_long_line() -> None:
    line = "|" + " a \\| b |" * 100_000 + " \\\\|"
    cells, leading, trailing = split_cells(line)
    assert leading and trailing
    assert len(cells) == 100_001
    assert cells[-1].raw == " \\\\"
