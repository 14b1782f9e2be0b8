"""The options of the text rules (DL110 `allowed-html-tags`, DL111 `boilerplate-phrases`) through the CLI,
and the canonical URL form that DL206 writes (query, fragment and root slash untouched)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.urls import canonical_url

HEAD = (
    "## Papers for 2024-10-23\n\n"
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)


def _digest(summary: str) -> str:
    return HEAD + f"| [T](https://arxiv.org/abs/2410.17215) | A, B | {summary} | ['Multimodal'] | N/A | N/A |\n"


def _codes(folder: Path, config: str | None, summary: str) -> list[str]:
    (folder / "day.md").write_text(_digest(summary), encoding="utf-8")
    if config is not None:
        (folder / ".digestlint.toml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-o", "concise", str(folder / "day.md")], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return [line.split(": ", 1)[1].split()[0] for line in result.output.splitlines() if ": DL" in line]


def test_allowed_html_tags_replaces_the_default(tmp_path: Path) -> None:
    summary = "- Press <kbd>K</kbd>, then x<sup>2</sup>."
    assert _codes(tmp_path, None, summary) == ["DL110", "DL110"]  # <kbd> and </kbd>
    assert _codes(tmp_path, 'allowed-html-tags = ["kbd", "sup"]\n', summary) == []
    assert _codes(tmp_path, "allowed-html-tags = []\n", summary) == ["DL110"] * 4


def test_boilerplate_phrases_replace_the_default_and_an_empty_list_turns_the_rule_off(tmp_path: Path) -> None:
    summary = "- As an AI language model, I summarise: the method wins. Summary ends here."
    assert _codes(tmp_path, None, summary) == ["DL111"]
    assert _codes(tmp_path, "boilerplate-phrases = []\n", summary) == []
    assert _codes(tmp_path, 'boilerplate-phrases = ["SUMMARY ENDS"]\n', summary) == ["DL111"]


def test_text_options_are_inherited_through_extend(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text('allowed-html-tags = ["kbd"]\n', encoding="utf-8")
    assert _codes(tmp_path, 'extend = "base.toml"\n', "- Press <kbd>K</kbd>.") == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('allowed-html-tags = "br"\n', "'allowed-html-tags'"),
        ("boilerplate-phrases = [1]\n", "'boilerplate-phrases"),
    ],
)
def test_a_bad_text_option_is_a_config_error_naming_the_key(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / ".digestlint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "day.md").write_text(_digest("- S."), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "day.md")], catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://huggingface.co/datasets/x/y#/", "https://huggingface.co/datasets/x/y#/"),
        ("https://huggingface.co/", "https://huggingface.co/"),
        ("https://github.com/", "https://github.com/"),
        ("https://HF.co/x/y/?q=A/#/", "https://huggingface.co/x/y?q=A/#/"),
        ("http://Foo.github.io/x/", "https://foo.github.io/x"),
        ("hf.co/org/model", "https://huggingface.co/org/model"),
        ("//huggingface.co/org/model", "https://huggingface.co/org/model"),
        ("https://github.com/a/b.git?x=1", "https://github.com/a/b?x=1"),
        ("http://example.com/a/", "http://example.com/a"),
    ],
)
def test_canonical_url_never_touches_query_or_fragment_and_keeps_a_root_slash(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_export_reads_the_arxiv_id_behind_a_loose_compact_wrapper() -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "DL201" / "compact-loose-wrapper.md"
    result = CliRunner().invoke(main, ["export", "--format", "json", str(fixture)], catch_exceptions=False)
    records = json.loads(result.stdout)
    assert [(record["arxiv_id"], record["title"]) for record in records] == [
        ("2410.17243", "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"),
        ("2410.18533", "LOGO -- Long cOntext aliGnment via efficient preference Optimization"),
    ]
