"""`digestlint fromat`: a mistyped command is said, unless a path of that name exists (then it is checked)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

NO_CI = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


@pytest.mark.parametrize(("typed", "meant"), [("fromat", "format"), ("chek", "check"), ("expotr", "export")])
def test_a_mistyped_command_suggests_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, meant: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [typed, "day.md"], env=NO_CI)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"digestlint: error: {typed!r} is neither a command nor a path; did you mean `digestlint {meant}`?\n"
    )
    assert result.stdout == ""


def test_a_path_named_like_a_mistyped_command_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fromat"
    folder.mkdir()
    shutil.copyfile(CLEAN_SEEDS[0], folder / "day.md")
    shutil.copyfile(next(SEEDS.glob("003_*.md")), tmp_path / "fromat.md")
    monkeypatch.chdir(tmp_path)
    clean = CliRunner().invoke(main, ["fromat"], env=NO_CI)
    assert (clean.exit_code, clean.stderr) == (0, "")
    # A file too: the first path decides nothing about the others.
    dirty = CliRunner().invoke(main, ["fromat", "fromat.md", "-o", "concise"], env=NO_CI)
    assert dirty.exit_code == 1
    assert dirty.stdout.startswith("fromat.md:")


def test_a_missing_path_unlike_any_command_is_still_a_missing_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["2024-11-22.md"], env=NO_CI)
    assert result.exit_code == 2
    assert "2024-11-22.md: no such file or directory" in result.stderr
    assert "did you mean" not in result.stderr
