"""The real hooks from `.pre-commit-hooks.yaml`, run by pre-commit on `git commit` in a temporary repository.

This is how maintainers meet digestlint, so it runs by default. pre-commit
installs the hook repository (a snapshot of this checkout, uncommitted work
included) with pip into its own environment; that environment is kept in pytest's
cache (`.pytest_cache/`) until the checkout changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

from tests.conftest import ROOT, SEEDS
from tests.gitrepo import GitRepo, isolate_git

pytestmark = [pytest.mark.precommit, pytest.mark.slow]

CLEAN = SEEDS / "000_515fa1aceb584d49.md"  # 2024-11-05, clean
BROKEN = SEEDS / "003_0419e020d2a675aa.md"  # 2024-10-23, DL206 on line 12: a `.git` GitHub URL (safe fix)
# Not a digest, but Markdown with a table: the hooks' default `exclude` keeps it out.
README = "# Papers we read\n\n| Day | File |\n| --- | --- |\n| 2024-11-05 | papers/2024-11-05.md |\n"


def _snapshot_of_this_checkout(target: Path) -> str:
    """Copy the checkout's files (tracked and untracked, not ignored) into a new repo; return its commit.

    Identity and dates are fixed, so the same files give the same commit: the cache below relies on it.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in sorted(filter(None, listed.split("\0"))):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            patch.setenv(name, "2024-01-01T00:00:00+00:00")
        return GitRepo(target).commit("snapshot of the digestlint checkout under test")


def _hook_repository(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, Path]:
    """(hook repo, its commit, PRE_COMMIT_HOME), reused from pytest's cache while the checkout is unchanged.

    pre-commit keys its environments by repository path and commit, so an unchanged checkout finds its
    environment built: building it (pip installing digestlint) is most of this test's time. Entries for
    other snapshots are removed, so the cache holds one environment.
    """
    cache = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`
    root = cache.mkdir("pre-commit") if cache is not None else tmp_path / "pre-commit"
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=root))
    revision = _snapshot_of_this_checkout(building / "digestlint")
    entry = root / f"hooks-{revision[:16]}"
    if entry.exists():
        shutil.rmtree(building)
    else:
        building.rename(entry)
    for stale in root.iterdir():
        if stale != entry and stale.name.startswith(("hooks-", "building-")):
            shutil.rmtree(stale, ignore_errors=True)
    return entry / "digestlint", revision, entry / "pre-commit-home"


def _readme_snippet() -> dict[str, Any]:
    """The `.pre-commit-config.yaml` snippet that the README's pre-commit section tells users to copy."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    snippet = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    config: dict[str, Any] = yaml.safe_load(snippet)
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == ["digestlint"]
    return config


def _pre_commit(repo: GitRepo, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *arguments],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        env=os.environ.copy(),
    )


def _commit(repo: GitRepo, message: str) -> subprocess.CompletedProcess[str]:
    """A real `git commit`, which runs the installed pre-commit hook (its output goes to stderr: merged here)."""
    repo.git("add", "--all")
    return subprocess.run(
        ["git", "commit", "-m", message],
        cwd=repo.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        env=os.environ.copy(),
    )


def hooked_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> tuple[GitRepo, dict[str, Any]]:
    """A new git repository (isolated git, pre-commit's environment cached), and the README's
    `.pre-commit-config.yaml` snippet pointed at a snapshot of this checkout, not yet written."""
    isolate_git(tmp_path / "home", monkeypatch)
    hooks, revision, pre_commit_home = _hook_repository(request, tmp_path)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("PRE_COMMIT_COLOR", "never")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    for name in ("SKIP", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PRE_COMMIT_ALLOW_NO_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    config = _readme_snippet()
    config["repos"][0] |= {"repo": str(hooks), "rev": revision}
    return GitRepo(tmp_path / "papers"), config


def test_hooks_on_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    started = time.perf_counter()
    # The README's snippet, pointed at the snapshot, with the fix hook added for manual runs.
    repo, config = hooked_repository(tmp_path, monkeypatch, request)
    config["repos"][0]["hooks"].append({"id": "digestlint-fix", "stages": ["manual"]})
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    installed = _pre_commit(repo, "install")
    assert installed.returncode == 0, installed.stdout

    # A clean digest (and a README with a table, which is not a digest) commits.
    repo.write("README.md", README)
    shutil.copyfile(CLEAN, repo.write("papers/2024-11-05.md", ""))
    first = _commit(repo, "a clean day")
    assert first.returncode == 0, first.stdout
    assert "digestlint" in first.stdout and "Passed" in first.stdout
    built = time.perf_counter()

    # A broken digest is refused, with the finding.
    shutil.copyfile(BROKEN, repo.write("papers/2024-10-23.md", ""))
    refused = _commit(repo, "a broken day")
    assert refused.returncode != 0
    assert "papers/2024-10-23.md:12:1185: DL206 [*]" in refused.stdout, refused.stdout
    assert "Failed" in refused.stdout

    # The fix hook repairs it, and fails the way pre-commit fixers do: it changed a file.
    fixed = _pre_commit(repo, "run", "--hook-stage", "manual", "digestlint-fix")
    assert fixed.returncode == 1
    assert "files were modified by this hook" in fixed.stdout, fixed.stdout
    text = (repo.path / "papers/2024-10-23.md").read_text(encoding="utf-8")
    assert "cca-llava.git" not in text and "https://github.com/xing0047/cca-llava)" in text

    # Staged, the second run passes: the fixer has nothing left to do, and the commit goes through.
    repo.git("add", "--all")
    again = _pre_commit(repo, "run", "--hook-stage", "manual", "digestlint-fix")
    assert again.returncode == 0, again.stdout
    second = _commit(repo, "a broken day, fixed")
    assert second.returncode == 0, second.stdout
    assert "Passed" in second.stdout

    # pre-commit passes only the staged file; its duplicate on a committed day is still found, and only
    # the staged file is reported.
    lines = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    repo.write("papers/2024-11-06.md", "".join(lines[:7]).replace("2024-11-05", "2024-11-06"))
    duplicate = _commit(repo, "a paper listed twice")
    assert duplicate.returncode != 0
    assert (
        "papers/2024-11-06.md:7:1: DL406 paper 2411.00836 is also listed in papers/2024-11-05.md:7" in duplicate.stdout
    ), duplicate.stdout
    assert "papers/2024-11-05.md:7:1:" not in duplicate.stdout

    finished = time.perf_counter()
    print(
        f"\npre-commit test: {finished - started:.1f}s in all, of which "
        f"{built - started:.1f}s snapshot + hook environment + first commit, "
        f"{finished - built:.1f}s for the four hook runs after it"
    )
