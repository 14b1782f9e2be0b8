"""A baseline from config, used by the real pre-commit hook on `git commit`: legacy findings pass, new ones fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import SEEDS
from tests.test_pre_commit import _commit, _pre_commit, hooked_repository

pytestmark = [pytest.mark.precommit, pytest.mark.slow]

BROKEN = SEEDS / "003_0419e020d2a675aa.md"  # 2024-10-23, DL206 on line 12


def test_hook_reports_only_findings_not_in_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    repo, config = hooked_repository(tmp_path, monkeypatch, request)
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    assert _pre_commit(repo, "install").returncode == 0
    repo.write(".digestlint.toml", 'baseline = "lint/baseline.json"\n')
    shutil.copyfile(BROKEN, repo.write("papers/2024-10-23.md", ""))
    monkeypatch.chdir(repo.path)
    written = CliRunner().invoke(main, ["check", "papers", "--write-baseline", "lint/baseline.json"])
    assert written.exit_code == 0, written.output

    legacy = _commit(repo, "a legacy day, its finding in the baseline")
    assert legacy.returncode == 0, legacy.stdout
    assert "Passed" in legacy.stdout

    # A new row with a new defect above the old one: only the new defect stops the commit.
    day = repo.path / "papers/2024-10-23.md"
    lines = day.read_text(encoding="utf-8").splitlines(keepends=True)
    new_row = lines[6].replace("2410.17247", "2410.99999").replace("PyramidDrop)", "PyramidDrop.git)")
    assert new_row != lines[6]
    lines.insert(6, new_row)
    day.write_text("".join(lines), encoding="utf-8")
    refused = _commit(repo, "a new defect")
    assert refused.returncode != 0
    assert "papers/2024-10-23.md:7:" in refused.stdout, refused.stdout
    assert "papers/2024-10-23.md:13:" not in refused.stdout  # the legacy finding, moved down one line
