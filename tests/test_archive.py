"""`--archive DIR`: DL406 against digests that are read but not checked (what the pre-commit hooks rely on)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS

SEED = CLEAN_SEEDS[0]  # `## Papers for 2024-11-05`, eight papers


def _archive(root: Path) -> None:
    """2024/11/05.md is the seed; 2024/11/06.md repeats all its papers a day later."""
    (root / "2024" / "11").mkdir(parents=True)
    shutil.copyfile(SEED, root / "2024" / "11" / "05.md")
    text = SEED.read_text(encoding="utf-8").replace("2024-11-05", "2024-11-06")
    (root / "2024" / "11" / "06.md").write_text(text, encoding="utf-8")


def _findings(runner: CliRunner, args: list[str]) -> list[dict[str, object]]:
    result = runner.invoke(main, [*args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def test_duplicates_are_found_against_the_archive_and_reported_only_in_checked_files(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    findings = _findings(runner, ["--archive", ".", "2024/11/06.md"])
    assert {finding["code"] for finding in findings} == {"DL406"}
    assert {finding["path"] for finding in findings} == {"2024/11/06.md"}
    assert len(findings) == 8
    assert all("2024/11/05.md:" in str(finding["message"]) for finding in findings)


def test_without_archive_only_the_checked_files_count(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _findings(runner, ["2024/11/06.md"]) == []


@pytest.mark.parametrize(("cwd", "archive", "path"), [("2024", "..", "11/06.md"), ("2024/11", "../..", "06.md")])
def test_archive_spelt_differently_never_makes_a_file_its_own_duplicate(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, cwd: str, archive: str, path: str
) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path / cwd)
    findings = _findings(runner, ["--archive", archive, path])
    assert len(findings) == 8
    for finding in findings:
        assert "06.md:" not in str(finding["message"]), finding["message"]


def test_archive_honours_excludes(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _findings(runner, ["--archive", ".", "--exclude", "05.md", "2024/11/06.md"]) == []


def test_archive_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    _archive(tmp_path)
    result = runner.invoke(main, ["--archive", str(tmp_path / "nope"), str(tmp_path / "2024")])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_cross_file_window_zero_skips_reading_the_archive(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    (tmp_path / ".digestlint.toml").write_text("cross-file-window = 0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def unexpected(*args: object) -> None:
        raise AssertionError("the archive was read although DL406 is off")

    monkeypatch.setattr("digestlint.runner._archive_records", unexpected)
    assert _findings(runner, ["--archive", ".", "2024/11/06.md"]) == []
