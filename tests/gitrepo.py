"""A throwaway git repository for tests, isolated from the user's and the system's git config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


def isolate_git(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point git (and everything that runs git, like pre-commit) at an empty config with a fixed identity."""
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    for name, value in {
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Digest Maintainer",
        "GIT_AUTHOR_EMAIL": "maintainer@example.org",
        "GIT_COMMITTER_NAME": "Digest Maintainer",
        "GIT_COMMITTER_EMAIL": "maintainer@example.org",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet")

    def git(self, *arguments: str) -> str:
        completed = subprocess.run(
            ["git", *arguments], cwd=self.path, capture_output=True, text=True, check=False, env=os.environ.copy()
        )
        assert completed.returncode == 0, f"git {' '.join(arguments)}: {completed.stderr}"
        return completed.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str) -> str:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--no-verify", "-m", message)
        return self.git("rev-parse", "HEAD").strip()
