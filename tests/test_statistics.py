"""`--statistics`: a count per code, as a text table or (with `-o json`) a JSON list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

NO_CI = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


def _invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env={**NO_CI, **(env or {})})


def _table(text: str) -> list[tuple[str, str, int, bool]]:
    rows = []
    for line in text.splitlines():
        number, code, rest = line.split(maxsplit=2)
        rows.append((code, rest.removesuffix(" [*]"), int(number), rest.endswith(" [*]")))
    return rows


def test_json_statistics_are_the_text_table_as_a_list() -> None:
    text = _invoke("--statistics", str(SEEDS))
    result = _invoke("--statistics", "-o", "json", str(SEEDS))
    assert result.exit_code == text.exit_code == 1
    entries = json.loads(result.stdout)
    assert entries and all(list(entry) == ["code", "name", "count", "fixable"] for entry in entries)
    as_rows = [(entry["code"], entry["name"], entry["count"], entry["fixable"]) for entry in entries]
    assert as_rows == _table(text.stdout)
    assert {"code": "DL206", "name": "url-not-canonical", "count": 1, "fixable": True} in entries
    assert {"code": "DL210", "name": "project-page", "count": 1, "fixable": False} in entries


def test_json_statistics_of_a_clean_run_is_an_empty_list() -> None:
    result = _invoke("--statistics", "-o", "json", *map(str, CLEAN_SEEDS))
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize("output_format", ["github", "sarif", "junit"])
def test_statistics_with_a_findings_only_format_asked_for_is_a_usage_error(output_format: str) -> None:
    result = _invoke("--statistics", "-o", output_format, str(SEEDS))
    assert result.exit_code == 2
    assert f"-o {output_format} has no such form" in result.stderr
    assert result.stdout == ""


def test_statistics_print_the_table_when_the_format_comes_from_config_or_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _invoke("--statistics", str(SEEDS)).stdout
    assert _invoke("--statistics", str(SEEDS), env={"GITHUB_ACTIONS": "true"}).stdout == expected
    (tmp_path / ".digestlint.toml").write_text('output-format = "sarif"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _invoke("--statistics", "--config", ".digestlint.toml", str(SEEDS)).stdout == expected
