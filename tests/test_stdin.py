"""`digestlint - --stdin-filename PATH`: the text on stdin behaves as the file PATH would on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

SEED = CLEAN_SEEDS[0]  # `## Papers for 2024-11-05`, eight papers, clean
FIXABLE = SEEDS / "003_0419e020d2a675aa.md"  # one safe DL206 fix, nothing else
UNFIXABLE = SEEDS / "004_374a45687a9b3cbe.md"  # one DL204, no fix


def _archive(root: Path) -> None:
    """2024/11/05.md is the clean seed; 2024/11/06.md (on disk) repeats all its papers a day later."""
    (root / "2024" / "11").mkdir(parents=True)
    shutil.copyfile(SEED, root / "2024" / "11" / "05.md")
    text = SEED.read_text(encoding="utf-8").replace("2024-11-05", "2024-11-06")
    (root / "2024" / "11" / "06.md").write_text(text, encoding="utf-8")


def _stdin(text: str, *args: str) -> Result:
    result = CliRunner().invoke(main, [*args, "-"], input=text.encode("utf-8"))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def test_archive_is_compared_as_for_the_file_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    text = (tmp_path / "2024/11/06.md").read_text(encoding="utf-8")
    on_disk = CliRunner().invoke(main, ["-o", "json", "--archive", ".", "2024/11/06.md"])
    piped = _stdin(text, "-o", "json", "--archive", ".", "--stdin-filename", "2024/11/06.md")
    assert piped.exit_code == on_disk.exit_code == 1
    findings = json.loads(piped.stdout)
    assert findings == json.loads(on_disk.stdout)
    assert len(findings) == 8 and {finding["code"] for finding in findings} == {"DL406"}
    # The file of that name on disk is what stdin stands for: never its own duplicate.
    assert all("2024/11/05.md:" in finding["message"] and "06.md" not in finding["message"] for finding in findings)
    assert _stdin(text, "-o", "json", "--stdin-filename", "2024/11/06.md").exit_code == 0


def test_archive_of_another_project_root_is_not_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _archive(tmp_path)
    (tmp_path / "2024/11/.digestlint.toml").write_text("", encoding="utf-8")  # 06.md's own root
    (tmp_path / "2024/11/05.md").rename(tmp_path / "05.md")  # outside that root, still under --archive
    monkeypatch.chdir(tmp_path)
    text = (tmp_path / "2024/11/06.md").read_text(encoding="utf-8")
    result = _stdin(text, "-o", "json", "--archive", ".", "--stdin-filename", "2024/11/06.md")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_fix_prints_the_text_on_stdout_and_what_remains_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = FIXABLE.read_text(encoding="utf-8")
    fixed = text.replace("cca-llava.git)", "cca-llava)")
    # Nothing remains: the fixed text, exit 0, no finding on stderr.
    result = _stdin(text, "--fix", "--stdin-filename", "day.md")
    assert (result.exit_code, result.stdout) == (0, fixed)
    assert "DL" not in result.stderr
    # A finding no fix can repair: the text unchanged on stdout, the finding on stderr, exit 1.
    unfixable = UNFIXABLE.read_text(encoding="utf-8")
    result = _stdin(unfixable, "--fix", "-o", "concise", "--stdin-filename", "day.md")
    assert (result.exit_code, result.stdout) == (1, unfixable)
    assert [line.split()[1] for line in result.stderr.splitlines()] == ["DL204"]
    assert result.stderr.startswith("day.md:")


def test_fix_reports_cross_file_duplicates_that_remain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    text = (tmp_path / "2024/11/06.md").read_text(encoding="utf-8").replace("\n\n| Title", "\n| Title")
    result = _stdin(text, "--fix", "-o", "json", "--archive", ".", "--stdin-filename", "2024/11/06.md")
    assert result.exit_code == 1
    assert result.stdout == (tmp_path / "2024/11/06.md").read_text(encoding="utf-8")  # the blank line restored
    remaining = json.loads(result.stderr)
    assert len(remaining) == 8 and {finding["code"] for finding in remaining} == {"DL406"}


def test_stdin_is_checked_and_fixed_through_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint import api

    calls: list[str] = []
    check, fix = api.check_text, api.fix_text

    def counted_check(*args: Any, **kwargs: Any) -> api.FileReport:
        calls.append("check")
        return check(*args, **kwargs)

    def counted_fix(*args: Any, **kwargs: Any) -> api.FileReport:
        calls.append("fix")
        return fix(*args, **kwargs)

    monkeypatch.setattr(api, "check_text", counted_check)
    monkeypatch.setattr(api, "fix_text", counted_fix)
    text = FIXABLE.read_text(encoding="utf-8")
    assert _stdin(text).exit_code == 1
    assert _stdin(text, "--fix").exit_code == 0
    assert calls[:1] == ["check"] and "fix" in calls


def test_an_inline_comment_silences_cross_file_duplicates_on_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    text = "<!-- digestlint-disable DL406 -->\n" + (tmp_path / "2024/11/06.md").read_text(encoding="utf-8")
    result = _stdin(text, "-o", "json", "--archive", ".", "--stdin-filename", "2024/11/06.md")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
