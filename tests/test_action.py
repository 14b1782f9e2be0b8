"""The composite action's check steps (action.yml), run by bash as a GitHub runner would, on a real repository.

The install step (pip installing the action's checkout) is replaced by a wrapper around the digestlint
under test; everything after it runs as written, inputs passed through `env` like the runner does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from tests.conftest import ROOT
from tests.gitrepo import GitRepo, isolate_git
from tests.test_diff_base import BROKEN_LINK, LEGACY, LEGACY_LINK

_INPUT = re.compile(r"^\$\{\{ inputs\.([a-z-]+) \}\}$")


def _action() -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return action


def _run_action(
    repo: GitRepo, runner_temp: Path, inputs: dict[str, str], summary: Path | None = None
) -> list[subprocess.CompletedProcess[str]]:
    action = _action()
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    assert set(inputs) <= set(values), "unknown input"
    values |= inputs
    completed = []
    for step in action["runs"]["steps"][1:]:
        if step.get("if") == "inputs.sarif-file != ''" and not values["sarif-file"]:
            continue
        env = dict(
            os.environ,
            RUNNER_TEMP=str(runner_temp),
            GITHUB_ACTION_PATH=str(ROOT),
            GITHUB_ACTIONS="true",
            GITHUB_STEP_SUMMARY=str(summary or ""),
        )
        for name, value in step.get("env", {}).items():
            match = _INPUT.match(value)
            assert match, f"{name}: inputs reach the script through env only"
            env[name] = values[match[1]]
        assert step["shell"] == "bash"
        completed.append(
            subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=repo.path,
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
        )
    return completed


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    isolate_git(tmp_path / "home", monkeypatch)
    repo = GitRepo(tmp_path / "papers")
    repo.write("papers/legacy.md", LEGACY)
    repo.commit("legacy archive")
    repo.git("checkout", "--quiet", "-b", "feature")
    repo.write("papers/legacy.md", LEGACY.replace(LEGACY_LINK, BROKEN_LINK))
    repo.commit("break line 8")
    bin_folder = tmp_path / "runner-temp" / "digestlint-venv" / "bin"
    bin_folder.mkdir(parents=True)
    wrapper = bin_folder / "digestlint"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m digestlint "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return repo


def test_action_gates_the_change_and_writes_sarif_and_one_summary(repo: GitRepo, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    inputs = {"diff-base": "main", "sarif-file": "digestlint.sarif", "paths": "papers"}
    sarif, check = _run_action(repo, tmp_path / "runner-temp", inputs, summary)
    assert sarif.returncode == 0, sarif.stderr
    assert check.returncode == 1, check.stderr
    assert check.stdout.startswith("::error file=papers/legacy.md,line=8,col=")
    assert "title=DL206::" in check.stdout
    assert "DL210" not in check.stdout  # the legacy defect on line 11 is outside the change
    results = json.loads((repo.path / "digestlint.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [result["ruleId"] for result in results] == ["DL206"]
    assert summary.read_text(encoding="utf-8").count("## digestlint") == 1


def test_action_without_diff_base_reports_everything_and_args_pass_through(repo: GitRepo, tmp_path: Path) -> None:
    (check,) = _run_action(repo, tmp_path / "runner-temp", {"args": "--select DL210 --exit-zero"})
    assert check.returncode == 0, check.stderr
    assert check.stdout == check.stdout.strip() + "\n"
    assert [line.split("title=")[1].split("::")[0] for line in check.stdout.splitlines()] == ["DL210"]


def test_action_with_a_missing_base_fails_with_one_line(repo: GitRepo, tmp_path: Path) -> None:
    (check,) = _run_action(repo, tmp_path / "runner-temp", {"diff-base": "origin/main"})
    assert check.returncode == 2
    assert check.stderr.strip().count("\n") == 0
    assert "'origin/main' is not a commit" in check.stderr
