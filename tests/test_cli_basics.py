"""The CLI on the real seeds: clean digests stay clean, known defects are found where they are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

JSON_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "url", "fix"}


def test_clean_seeds_give_no_findings(runner: CliRunner) -> None:
    result = runner.invoke(main, [str(path) for path in CLEAN_SEEDS])
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_check_subcommand_is_the_default(runner: CliRunner) -> None:
    default = runner.invoke(main, [str(SEEDS)])
    explicit = runner.invoke(main, ["check", str(SEEDS)])
    assert default.exit_code == explicit.exit_code == 1
    assert default.output == explicit.output


def test_seed_003_git_url_and_seed_004_project_page(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(SEEDS), "--output-format", "json"])
    findings = json.loads(result.output)
    assert all(set(finding) == JSON_KEYS for finding in findings)
    by_code = {(Path(f["path"]).name[:3], f["code"]): f for f in findings}
    git = by_code[("003", "DL206")]
    line = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8").splitlines()[git["line"] - 1]
    assert git["line"] == 12
    assert line[git["column"] - 1 :].startswith("https://github.com/xing0047/cca-llava.git")
    page = by_code[("004", "DL210")]
    line = (SEEDS / "004_374a45687a9b3cbe.md").read_text(encoding="utf-8").splitlines()[page["line"] - 1]
    assert line[page["column"] - 1 :].startswith("https://da-code-bench.github.io")
    assert len(findings) == 2


def test_fix_leaves_clean_seeds_byte_identical(tmp_path: Path, runner: CliRunner) -> None:
    for seed in SEEDS.glob("*.md"):
        shutil.copyfile(seed, tmp_path / seed.name)
    result = runner.invoke(main, ["--fix", str(tmp_path)])
    assert result.exit_code == 1  # seed 004's project page has no safe fix
    for seed in CLEAN_SEEDS:
        assert (tmp_path / seed.name).read_bytes() == seed.read_bytes()
    fixed = (tmp_path / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")
    assert "cca-llava.git" not in fixed and "https://github.com/xing0047/cca-llava)" in fixed


@pytest.mark.parametrize("name", ["rules", "rule DL103", "schema full"])
def test_informational_commands(runner: CliRunner, name: str) -> None:
    result = runner.invoke(main, name.split())
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_rule_doc_is_the_docstring(runner: CliRunner) -> None:
    from digestlint.rules import BY_CODE

    result = runner.invoke(main, ["rule", "DL103"])
    assert BY_CODE["DL103"].doc() in result.output


def test_docs_rules_md_is_current() -> None:
    from digestlint.docs import rules_markdown

    current = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown() + "\n", "docs/rules.md is stale: run `digestlint docs`"
