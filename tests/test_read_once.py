"""A run reads and decodes each file once: the cache lookup's text is the text checked, fixed and written."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

FIXABLE = SEEDS / "003_0419e020d2a675aa.md"  # one safe DL206 fix


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".md":
            counted[path.name] += 1
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return counted


@pytest.mark.parametrize(
    "arguments",
    [
        ["."],
        ["--no-cache", "."],
        ["--fix", "."],
        ["--archive", ".", "."],
        ["--fix", "--archive", ".", "a.md", "b.md"],
    ],
    ids=["check", "no-cache", "fix", "archive", "fix-archive"],
)
def test_each_file_is_read_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: Counter[str], arguments: list[str]
) -> None:
    shutil.copyfile(CLEAN_SEEDS[0], tmp_path / "a.md")
    shutil.copyfile(FIXABLE, tmp_path / "b.md")
    shutil.copyfile(CLEAN_SEEDS[1], tmp_path / "c.md")
    monkeypatch.chdir(tmp_path)
    for run in ("cold", "warm"):
        reads.clear()
        result = CliRunner().invoke(main, ["-j1", *arguments])
        assert result.exit_code in (0, 1), result.output
        assert set(reads.values()) == {1}, (run, reads)
        assert set(reads) == {"a.md", "b.md", "c.md"}, (run, reads)
