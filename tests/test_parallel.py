"""Checking in a process pool gives exactly what a serial run gives, in the same order."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.archive import generate_archive
from digestlint.cli import main
from digestlint.parallel import MIN_BYTES, MIN_FILES, map_in_order, worker_count
from digestlint.runner import Report, RunOptions, run
from digestlint.settings import Settings
from tests.conftest import as_reported


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive with every known defect: `<root>/archive/YYYY/MM/DD.md`."""
    root = tmp_path_factory.mktemp("generated")
    generate_archive(root, days=40, seed=7, defect_rate=0.06)
    return root


def _summary(report: Report) -> list[tuple[object, ...]]:
    return [
        (outcome.path, outcome.error, as_reported(outcome.violations), tuple(outcome.records), outcome.new_text)
        for outcome in report.files
    ]


def _run_in(root: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Report:
    monkeypatch.chdir(root)  # display paths are relative to the current folder
    return run([Path("archive")], Settings(), RunOptions(**options))  # type: ignore[arg-type]


def test_a_pool_checks_like_a_serial_run(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _run_in(generated, monkeypatch, jobs=1)
    pooled = _run_in(generated, monkeypatch, jobs=2)
    assert len(serial.files) == 40
    assert sum(len(outcome.violations) for outcome in serial.files) > 100
    assert any(violation.code == "DL406" for violation in serial.violations)
    assert _summary(pooled) == _summary(serial)


@pytest.mark.parametrize("unsafe", [False, True])
def test_a_pool_fixes_like_a_serial_run(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unsafe: bool
) -> None:
    copies = []
    for name in ("serial", "pooled"):
        copy = tmp_path / name
        shutil.copytree(generated / "archive", copy / "archive")
        copies.append(copy)
    serial = _run_in(copies[0], monkeypatch, fix=True, unsafe_fixes=unsafe, jobs=1)
    pooled = _run_in(copies[1], monkeypatch, fix=True, unsafe_fixes=unsafe, jobs=2)
    assert _summary(pooled) == _summary(serial)
    assert [outcome.fixed for outcome in pooled.files] == [outcome.fixed for outcome in serial.files]
    written = sorted(path.relative_to(copies[0]) for path in copies[0].rglob("*.md"))
    assert written == sorted(path.relative_to(copies[1]) for path in copies[1].rglob("*.md"))
    changed = 0
    for relative in written:
        assert (copies[0] / relative).read_bytes() == (copies[1] / relative).read_bytes()
        changed += (copies[0] / relative).read_bytes() != (generated / relative).read_bytes()
    assert changed > 10


def test_a_pool_with_the_cache_checks_like_a_serial_run(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(generated / "archive", tmp_path / "archive")
    expected = _summary(_run_in(generated, monkeypatch, jobs=1))
    cold = _run_in(tmp_path, monkeypatch, jobs=2, cache_root=tmp_path)
    warm = _run_in(tmp_path, monkeypatch, jobs=2, cache_root=tmp_path)
    assert _summary(cold) == _summary(warm) == expected


def test_the_cli_prints_the_same_with_any_number_of_jobs(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(generated)
    runner = CliRunner()
    outputs = {jobs: runner.invoke(main, ["check", "archive", "--no-cache", "--jobs", jobs]) for jobs in ("1", "2")}
    assert outputs["1"].exit_code == outputs["2"].exit_code == 1
    assert outputs["1"].output == outputs["2"].output
    assert outputs["1"].output.count("\n") > 100


def _pid(_: int) -> int:
    return os.getpid()


def test_map_in_order_uses_other_processes_and_keeps_the_order() -> None:
    assert map_in_order(str, list(range(50)), 2) == [str(number) for number in range(50)]
    pids = set(map_in_order(_pid, list(range(20)), 2))
    assert os.getpid() not in pids
    assert set(map_in_order(_pid, list(range(20)), 1)) == {os.getpid()}


def test_a_pool_only_for_enough_work_and_idle_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("digestlint.parallel.available_cpus", lambda: 2)
    monkeypatch.setattr("digestlint.parallel.system_load", lambda: 0.2)
    assert worker_count(None, [MIN_BYTES]) == 1  # one file
    assert worker_count(None, [100] * MIN_FILES) == 1  # a pre-commit run of a few small files
    assert worker_count(None, [MIN_BYTES // MIN_FILES + 1] * MIN_FILES) == 2
    assert worker_count(1, [MIN_BYTES] * 10) == 1
    assert worker_count(3, [1] * 2) == 2
    monkeypatch.setattr("digestlint.parallel.system_load", lambda: 1.7)  # someone else is using a CPU
    assert worker_count(None, [MIN_BYTES] * 10) == 1
    assert worker_count(2, [MIN_BYTES] * 10) == 2
    monkeypatch.setattr("digestlint.parallel.available_cpus", lambda: 8)
    assert worker_count(None, [MIN_BYTES] * 10) == 6
    monkeypatch.setattr("digestlint.parallel.available_cpus", lambda: 1)
    assert worker_count(None, [MIN_BYTES] * 10) == 1
