"""The mdformat plugin in process: `mdformat.text` / `mdformat.file` with digestlint's extension enabled.

The installed-as-a-user-would tests (a fresh venv, the `mdformat` command) are in
`test_mdformat_install.py`.
"""

from __future__ import annotations

import re
from pathlib import Path

import mdformat
import pytest
from markdown_it import MarkdownIt

from digestlint import api
from tests.conftest import SEEDS

WITH_PLUGIN = ("gfm", "tables", "digestlint")
GFM_ALONE = ("gfm", "tables")
ALL_SEEDS = sorted(SEEDS.glob("*.md"))

HEADER = "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
DELIMITER = "|-------|---------|---------|----------------|-------------|-----------------|\n"


def row(number: int, summary: str = "A summary.") -> str:
    return (
        f"| [Paper {number}](https://arxiv.org/abs/2411.0{number:04d}) | A. Author, B. Author | {summary} "
        f"| ['Multimodal'] | [Link](https://github.com/owner/repo-{number}) | N/A |\n"
    )


def digest(*rows: str) -> str:
    return "## Papers for 2024-11-05\n\n" + HEADER + DELIMITER + "".join(rows)


def with_plugin(text: str) -> str:
    return mdformat.text(text, extensions=WITH_PLUGIN)


def gfm_alone(text: str) -> str:
    return mdformat.text(text, extensions=GFM_ALONE)


def html(text: str) -> str:
    """What a text renders to, whitespace folded (as mdformat's own check compares)."""
    return re.sub(r"\s+", " ", MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text))


def formatting_findings(text: str) -> list[str]:
    return [finding.code for finding in api.check_text(text).findings if finding.code.startswith("DL5")]


@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda path: path.name[:3])
def test_a_seed_digestlint_format_leaves_alone_mdformat_leaves_alone(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    assert api.format_text(text).text == text
    assert with_plugin(text) == text  # byte for byte, leading blank lines included
    assert gfm_alone(text) != text  # what the plugin is for


def test_a_digest_mdformat_alone_would_pad_gets_digestlint_formats_form() -> None:
    text = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    padded = gfm_alone(text)
    assert max(len(line) for line in padded.splitlines()) > 1500
    assert formatting_findings(padded)
    formatted = with_plugin(padded)
    assert formatting_findings(formatted) == []
    assert formatted == api.format_text(padded).text
    assert with_plugin(formatted) == formatted
    assert html(formatted) == html(padded)


def test_a_non_canonical_digest_comes_out_as_digestlint_format_writes_it() -> None:
    text = digest(row(1), row(2)).replace(" | ", "|").replace("|-------|", "|---|")
    assert formatting_findings(text)
    formatted = with_plugin(text)
    assert formatted == api.format_text(text).text == digest(row(1), row(2))
    assert with_plugin(formatted) == formatted


def test_an_aligned_column_keeps_its_alignment_and_the_rest_is_formatted() -> None:
    # `digestlint --fix` writes the generator's delimiter row; here that would drop the alignment the
    # HTML shows, so formatting keeps the delimiter row as it was and formats only the rows.
    aligned = DELIMITER.replace("|-------|", "|:------|")
    text = digest(row(1)).replace(" | ", "|").replace(DELIMITER, aligned)
    assert api.fix_text(text).text == digest(row(1))
    formatted = with_plugin(text)
    assert formatted == api.format_text(text).text == digest(row(1)).replace(DELIMITER, aligned)
    assert html(formatted) == html(text)
    assert formatting_findings(formatted) == ["DL502"]
    assert with_plugin(formatted) == formatted


def test_a_table_of_no_layout_is_left_to_mdformat_gfm() -> None:
    text = "# Maintainers\n\n| Name | Role |\n|---|---|\n| Ada | lead |\n\n" + digest(row(1))
    formatted = with_plugin(text)
    assert formatted == gfm_alone(text).split("## Papers")[0] + digest(row(1))
    assert "| Name | Role |\n| ---- | ---- |\n| Ada  | lead |\n" in formatted


def test_a_digest_table_inside_a_quote_is_left_to_mdformat_gfm() -> None:
    quoted = "".join(f"> {line}\n" for line in (HEADER + DELIMITER + row(1)).splitlines())
    assert with_plugin(quoted) == gfm_alone(quoted)


def test_a_split_row_is_written_as_it_was_and_the_rest_of_its_table_formatted() -> None:
    first, rest = row(2, "The first half of a summary and").rstrip("\n"), "the second half. | ['Audio'] | N/A | N/A |\n"
    split = first.split(" | ['Multimodal']")[0] + "\n" + rest
    text = digest(row(1), split, row(3)).replace(" | ", "|", 2)  # and a non-canonical header in the same table
    formatted = with_plugin(text)
    # Joining the row would change the HTML (two rows become one): it stays for `digestlint --fix`.
    assert formatted == digest(row(1), split, row(3))
    assert html(formatted) == html(text)
    assert gfm_alone(text) != formatted
    # `digestlint format` agrees: it leaves the join to --fix too, and says so.
    assert api.format_text(formatted).text == formatted
    assert [finding.code for finding in api.format_text(formatted).findings] == ["DL103"]
    assert [finding.code for finding in api.fix_text(formatted).fixed] == ["DL103"]
    assert api.fix_text(formatted).text == api.fix_text(text).text
    assert with_plugin(formatted) == formatted


def test_rows_markdown_reads_as_text_after_a_split_row_are_not_padded() -> None:
    # After `7085) |` opens an ordered list, the rows that follow are that list item's text: padding
    # them would change what it says. The rows above the split are still table rows and are formatted.
    broken = row(7085).replace("2411.07085", "2411.0\n7085")
    unpadded = [line.replace(" | ", "|") for line in (row(1), row(3))]
    text = digest(unpadded[0], broken, unpadded[1])
    formatted = with_plugin(text)
    assert formatted == digest(row(1), broken, unpadded[1])
    assert html(formatted) == html(text)
    assert api.fix_text(formatted).text == digest(row(1), row(7085), row(3))


def test_a_split_row_markdown_reads_as_a_list_stays_with_its_table() -> None:
    # A row split inside its arXiv URL: `7085) |` opens an ordered list, which ends the table.
    broken = row(7085).replace("2411.07085", "2411.0\n7085")
    text = digest(row(1), broken, row(3))
    assert "<ol" in html(text)
    alone = gfm_alone(text)
    assert "7085. |" in alone  # mdformat-gfm rewrites the rest of the row as a list item
    assert api.fix_text(alone).text != api.fix_text(text).text
    formatted = with_plugin(text)
    assert formatted == text
    assert html(formatted) == html(text)
    assert api.fix_text(formatted).text == api.fix_text(text).text == digest(row(1), row(7085), row(3))


def test_a_stray_pipe_loses_nothing() -> None:
    text = digest(row(1), row(2, "It models P(a | b) well."))
    assert api.records(gfm_alone(text)) != api.records(text)  # HTML drops the cells past the header's count
    formatted = with_plugin(text)
    assert formatted == text
    assert api.records(formatted) == api.records(text)


def test_leading_blank_lines_are_kept_for_a_digest_only() -> None:
    assert with_plugin("\n\n" + digest(row(1))) == "\n\n" + digest(row(1))
    assert with_plugin("\n\n# Notes\n\n| Name | Role |\n|---|---|\n| Ada | lead |\n").startswith("# Notes")


def test_the_configuration_governing_the_file_is_used(tmp_path: Path) -> None:
    text = digest(row(1), row(2)).replace(" | ", "|")
    governed = tmp_path / "legacy" / "2024-11-05.md"
    governed.parent.mkdir()
    (governed.parent / ".digestlint.toml").write_text('ignore = ["DL5"]\n', encoding="utf-8")
    governed.write_text(text, encoding="utf-8")
    free = tmp_path / "2024-11-05.md"
    free.write_text(text, encoding="utf-8")
    for path in (governed, free):
        mdformat.file(path, extensions=WITH_PLUGIN)
    assert governed.read_text(encoding="utf-8") == text  # DL5 ignored there: `digestlint format` leaves it too
    assert free.read_text(encoding="utf-8") == digest(row(1), row(2))


def test_a_broken_configuration_stops_mdformat_with_one_line_naming_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / ".digestlint.toml").write_text("bogus-key = 1\n", encoding="utf-8")
    path = tmp_path / "notes.md"
    path.write_text("| a | b |\n| --- | --- |\n| 1 | 2 |\n", encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-m", "mdformat", "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert ran.returncode != 0
    assert "Traceback" not in ran.stderr
    assert ran.stderr.strip().splitlines() == [ran.stderr.strip()]
    assert ".digestlint.toml" in ran.stderr and "bogus-key" in ran.stderr


def test_the_plugin_is_registered_for_mdformat() -> None:
    import mdformat.plugins

    from digestlint import mdformat_plugin

    registered: object = mdformat.plugins.PARSER_EXTENSIONS["digestlint"]
    assert registered is mdformat_plugin
    assert not mdformat_plugin.RENDERERS  # gfm keeps the table renderer: no "Plugin conflict"


@pytest.mark.slow
def test_on_the_benchmark_archive_defective_or_clean_both_orders_agree_and_no_record_changes() -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    agreement = subprocess.run(
        [sys.executable, "-m", "benchmarks.mdformat_agreement", "--days", "6"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert agreement.returncode == 0, agreement.stdout + agreement.stderr
    lines = agreement.stdout.splitlines()
    assert "defective archive: both orders report nothing" in lines
    assert lines[-1] == "clean archive: both orders report nothing"
    changed = [line.strip() for line in lines if "changed:" in line and "plugin" in line]
    assert len(changed) == 2
    assert all(
        line.startswith("paper records mdformat + plugin changed: 0 (and 0 gained a problem,") for line in changed
    )
    assert [line.strip() for line in lines if line.startswith("  mdformat + plugin: exit")] == [
        "mdformat + plugin: exit 0, 0 files it refused (its HTML check) or failed on"
    ] * 2
    # mdformat first: `digestlint format` then finds nothing to do, defects or not (it leaves repairs too).
    assert [line.strip() for line in lines if line.startswith("  mdformat + plugin, then")] == [
        "mdformat + plugin, then `digestlint format --check`: 0 files would change, "
        "0 cannot be formatted without changing a record"
    ] * 2
    # `digestlint format` first: mdformat with the plugin then finds nothing to do, defects or not.
    assert [line.strip() for line in lines if line.startswith("  `digestlint format`, then")] == [
        "`digestlint format`, then `mdformat --check` (plugin): 0 files would change"
    ] * 2


@pytest.mark.parametrize("blank", ["", "\n"], ids=["glued", "apart"])
def test_suppression_comments_around_a_table_are_formatted_as_digestlint_format_does(blank: str) -> None:
    table = (HEADER + DELIMITER + row(1) + row(2)).replace(" | ", "|")
    heading = "## Papers for 2024-11-05\n\n"
    text = f"{heading}<!-- digestlint-disable DL106 -->\n{blank}{table}{blank}<!-- digestlint-enable -->\n"
    formatted = with_plugin(text)
    assert formatted == api.format_text(text).text
    assert HEADER + DELIMITER + row(1) + row(2) in formatted
    assert with_plugin(formatted) == formatted


def test_a_comment_between_two_glued_tables_is_written_once() -> None:
    tables = HEADER + DELIMITER + row(1) + "<!-- digestlint-enable -->\n" + HEADER + DELIMITER + row(2)
    text = "## Papers for 2024-11-05\n\n" + tables
    formatted = with_plugin(text)
    assert formatted.count("digestlint-enable") == 1
    assert html(formatted) == html(text)
    assert with_plugin(formatted) == formatted


def test_a_table_markdown_cannot_read_is_written_as_it_was() -> None:
    # A malformed delimiter row: Markdown reads the rows as a paragraph, where mdformat escapes `[`.
    # One row is split inside its arXiv URL, the next one before a summary's `- item` (a list).
    rows = (row(1).replace("2411.0", "2411.0\n"), row(2, "First. \n  - Second."), row(3))
    text = "\n\n" + digest(*rows).replace(DELIMITER, DELIMITER.replace("-", "="))
    assert "<table>" not in html(text) and "<ul>" in html(text)
    assert api.records(gfm_alone(text)) != api.records(text)
    formatted = with_plugin(text)
    assert formatted == text
    assert with_plugin(formatted) == formatted


@pytest.mark.parametrize("order", [WITH_PLUGIN, ("digestlint", *GFM_ALONE)], ids=["gfm-first", "digestlint-first"])
def test_the_order_of_the_extensions_does_not_matter(order: tuple[str, ...]) -> None:
    # The header has 6 cells, this delimiter row 5: not a table, and a `|---|` line mdformat-gfm escapes.
    broken = digest(row(1), row(2)).replace(DELIMITER, "|---|---|---|---|---|\n")
    assert mdformat.text(broken, extensions=order) == broken
    seed = (SEEDS / "002_edb11d6fa255bcef.md").read_text(encoding="utf-8")
    assert mdformat.text(seed, extensions=order) == seed


def test_rows_after_a_blank_line_inside_a_table_are_written_as_digestlint_format_writes_them() -> None:
    # Markdown ends the table at the blank line and reads the rows after it as a paragraph, which
    # mdformat alone would re-indent; digestlint reads one table, and both leave the blank line.
    unpadded = row(3).replace(" | ", "|")
    text = digest(row(1), row(2)) + "\n" + unpadded + "  " + row(4)
    formatted = with_plugin(text)
    assert formatted == api.format_text(text).text
    assert html(formatted) == html(text)
    assert api.format_text(formatted).text == formatted
    assert "DL504" in {finding.code for finding in api.fix_text(formatted).fixed}


def test_a_digestlint_comment_glued_above_a_heading_stays_glued() -> None:
    text = (
        "<!-- digestlint-disable-next-line DL402 -->\n## Papers for 2024-11-31\n\n" + digest(row(1)).split("\n\n", 1)[1]
    )
    assert api.check_text(text).findings == []
    formatted = with_plugin(text)
    assert formatted == text  # mdformat alone puts a blank line under the comment: DL402 would be back
    assert "\n\n## Papers" in gfm_alone(text)
    assert "DL402" in {finding.code for finding in api.check_text(gfm_alone(text)).findings}


@pytest.mark.parametrize("defect_rate", [0.04, 0.3])
def test_on_a_defective_archive_mdformat_and_digestlint_format_agree_in_either_order(
    defect_rate: float, tmp_path: Path
) -> None:
    from benchmarks.archive import generate_archive

    archive = generate_archive(tmp_path, days=12, seed=3, defect_rate=defect_rate)
    for path in sorted(archive.root.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        by_mdformat = with_plugin(text)
        assert html(by_mdformat) == html(text), path
        assert api.format_text(by_mdformat).text == by_mdformat, path
        by_digestlint = api.format_text(text).text
        assert by_digestlint is not None
        assert with_plugin(by_digestlint) == by_digestlint, path
        assert by_mdformat == by_digestlint, path


LINK_HEADER = "| Title | Authors | Summary | Link |\n|-------|---------|---------|------|\n"
UNPADDED = "|T1|A1|Sum.|[Read more](https://arxiv.org/abs/2410.18971)|\n"


@pytest.mark.parametrize(
    "text",
    [
        "## Papers for 2024-10-23\n\n" + LINK_HEADER + UNPADDED + "===\n",
        "## Papers for 2024-10-23\n\n" + LINK_HEADER + UNPADDED + "---\n",
    ],
    ids=["setext-equals", "setext-dashes"],
)
def test_a_table_digestlint_reads_as_a_heading_is_left_as_it_is(text: str) -> None:
    # CommonMark without tables reads `===` under the table as a setext heading: digestlint format
    # leaves such a table, and so does the plugin, run after run (mdformat-gfm would pad it).
    assert api.format_text(text).text == text
    formatted = with_plugin(text)
    assert formatted == text
    assert with_plugin(formatted) == formatted
    assert gfm_alone(text) != text


def test_a_table_glued_below_a_pipe_line_is_set_apart_and_formatted_once() -> None:
    # digestlint reads the `| x |` line as the header (no layout); Markdown reads a paragraph and a
    # table, which mdformat sets apart: the plugin formats the table as digestlint will read it then.
    text = "## Papers for 2024-10-23\n\n| x |\n" + LINK_HEADER + UNPADDED
    formatted = with_plugin(text)
    padded = "| T1 | A1 | Sum. | [Read more](https://arxiv.org/abs/2410.18971) |\n"
    assert formatted == "## Papers for 2024-10-23\n\n| x |\n\n" + LINK_HEADER + padded
    assert with_plugin(formatted) == formatted
    assert api.format_text(formatted).text == formatted


def test_a_digestlint_comment_between_a_table_and_a_heading_stays_with_the_heading() -> None:
    text = (
        "## Papers for 2024-10-23\n\n"
        + LINK_HEADER
        + UNPADDED.replace("|T1|A1|Sum.|", "| T1 | A1 | Sum. |")
        + "<!-- digestlint-disable-next-line DL402 -->\n## Papers for 2024-10-32\n"
    )
    formatted = with_plugin(text)
    assert "<!-- digestlint-disable-next-line DL402 -->\n## Papers for 2024-10-32" in formatted
    assert "DL402" not in {finding.code for finding in api.check_text(formatted).findings}
    assert with_plugin(formatted) == formatted


def test_an_unclosed_code_fence_glued_below_a_table_keeps_its_blank_lines() -> None:
    text = "## Papers for 2024-10-23\n\n" + LINK_HEADER + UNPADDED + "```\n\n"
    formatted = with_plugin(text)
    assert html(formatted) == html(text)
