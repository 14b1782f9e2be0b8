"""Unknown codes never pass silently: in options and config they are usage errors (exit 2) with a did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS

SEED = str(CLEAN_SEEDS[0])


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None})
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--select", "DL999", "--select: unknown rule code 'DL999'; did you mean DL209?"),
        ("--select", "DL9", "--select: no rule code starts with 'DL9' (families: DL1, DL2, DL3, DL4, DL5)"),
        ("--ignore", "DL2,DL20,DL2O4", "--ignore: unknown rule code 'DL2O4'; did you mean DL204?"),
        ("--extend-select", "DL59", "--extend-select: no rule code starts with 'DL59'"),
        ("--ignore", "link-host", "--ignore: unknown rule code 'LINK-HOST'; did you mean DL204 (link-host)?"),
        ("--select", "E501", "--select: unknown rule code 'E501'"),
    ],
)
def test_an_unknown_code_in_an_option_is_a_usage_error(option: str, value: str, expected: str) -> None:
    code, stderr = _invoke("--isolated", option, value, SEED)
    assert code == 2
    assert expected in stderr
    assert stderr.count("\n") == 1  # one line, no traceback


@pytest.mark.parametrize("value", ["ALL", "DL", "DL2", "DL20", "DL204", "dl204", "DL1,DL5"])
def test_all_and_real_prefixes_stay_valid(value: str) -> None:
    code, stderr = _invoke("--isolated", "--select", value, SEED)
    assert (code, stderr) == (0, "")


@pytest.mark.parametrize(
    ("config", "key", "problem"),
    [
        ('ignore = ["DL999"]', "'ignore'", "unknown rule code 'DL999'; did you mean DL209?"),
        ('select = ["DL9"]', "'select'", "no rule code starts with 'DL9'"),
        ('extend-select = ["DL2", "DL2O6"]', "'extend-select'", "unknown rule code 'DL2O6'; did you mean DL206?"),
        (
            'per-file-ignores = { "legacy/*" = ["DL5", "DL59"] }',
            "'per-file-ignores.legacy/*'",
            "no rule code starts with 'DL59'",
        ),
        (
            'ignore = ["url-not-canonical"]',
            "'ignore'",
            "unknown rule code 'url-not-canonical'; did you mean DL206 (url-not-canonical)?",
        ),
    ],
)
def test_an_unknown_code_in_config_names_the_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, key: str, problem: str
) -> None:
    config_file = tmp_path / "pyproject.toml"
    config_file.write_text(f"[tool.digestlint]\n{config}\n", encoding="utf-8")
    (tmp_path / "day.md").write_text(Path(SEED).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, stderr = _invoke("day.md")
    assert code == 2
    assert f"{config_file}: [tool.digestlint] key {key}: {problem}" in stderr


def test_known_codes_in_config_still_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".digestlint.toml").write_text(
        'select = ["ALL"]\nignore = ["DL5"]\nper-file-ignores = { "*.md" = ["DL20", "DL403"] }\n', encoding="utf-8"
    )
    (tmp_path / "day.md").write_text(Path(SEED).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _invoke("day.md") == (0, "")


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("DL2O4", "did you mean DL204?"), ("unused-supression", "did you mean DL191 (unused-suppression)?")],
)
def test_rule_suggests_the_closest_rule(typed: str, hint: str) -> None:
    code, stderr = _invoke("rule", typed)
    assert code == 2
    assert stderr == f"digestlint: error: unknown rule {typed!r}; {hint} `digestlint rules` lists them\n"
