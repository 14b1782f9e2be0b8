"""`--diff-base REF` on a real git repository: legacy defects outside the change stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.gitdiff import parse_unified_diff, unquote_path
from tests.conftest import SEEDS
from tests.gitrepo import GitRepo, isolate_git

# Seed 004 has a legacy DL210 (a project page in the GitHub column) on line 11, and a GitHub repo link on line 8.
LEGACY = (SEEDS / "004_374a45687a9b3cbe.md").read_text(encoding="utf-8")
LEGACY_LINK = "https://github.com/YangLing0818/SuperCorrect-llm)"
BROKEN_LINK = "https://github.com/YangLing0818/SuperCorrect-llm.git)"


def _feature_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> GitRepo:
    """A repository whose `main` holds `files`, with branch `feature` checked out and the current folder in it."""
    isolate_git(tmp_path / "home", monkeypatch)
    repo = GitRepo(tmp_path / "archive")
    for name, text in files.items():
        repo.write(name, text)
    repo.commit("legacy archive")
    repo.git("checkout", "--quiet", "-b", "feature")
    monkeypatch.chdir(repo.path)
    return repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """main: legacy.md with its old DL210. Checked out: branch `feature`."""
    return _feature_branch(tmp_path, monkeypatch, {"legacy.md": LEGACY, "README.md": "# Papers\n"})


def _check(*args: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(
        main, ["check", *args, "-o", "json"], env={"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}
    )
    findings = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


def _where(findings: list[dict[str, object]]) -> set[tuple[object, object, object]]:
    return {(finding["path"], finding["line"], finding["code"]) for finding in findings}


def test_only_findings_on_changed_lines_are_reported(repo: GitRepo) -> None:
    assert LEGACY_LINK in LEGACY.splitlines()[7]
    repo.write("legacy.md", LEGACY.replace(LEGACY_LINK, BROKEN_LINK))
    repo.commit("break line 8")
    repo.write("sub/new.md", LEGACY)  # untracked: wholly new, so its DL210 and duplicates are new too
    _, everything, _ = _check(".")
    assert ("legacy.md", 11, "DL210") in _where(everything)
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert code == 1, stderr
    expected = {(path, line, rule) for path, line, rule in _where(everything) if path == "sub/new.md" or line == 8}
    assert _where(findings) == expected
    assert {("legacy.md", 8, "DL206"), ("sub/new.md", 11, "DL210"), ("sub/new.md", 10, "DL406")} <= expected
    assert all(line == 8 for path, line, _ in expected if path == "legacy.md")


def test_uncommitted_changes_count_and_paths_outside_the_current_folder_map(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("legacy.md", LEGACY.replace(LEGACY_LINK, BROKEN_LINK))  # not committed
    (repo.path / "sub").mkdir()
    monkeypatch.chdir(repo.path / "sub")
    code, findings, _ = _check("--diff-base", "main", "..")
    assert code == 1
    assert _where(findings) == {("../legacy.md", 8, "DL206")}


def test_legacy_defects_alone_pass_the_gate(repo: GitRepo) -> None:
    repo.write("README.md", "# Papers\n\nNow with a longer introduction.\n")
    repo.commit("touch only the README")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert (code, findings) == (0, []), stderr


def test_changes_made_on_the_base_branch_after_the_fork_are_not_ours(repo: GitRepo) -> None:
    """The diff is taken from the merge base: main fixing line 11 later does not make line 11 'changed' here."""
    repo.git("checkout", "--quiet", "main")
    repo.write("legacy.md", LEGACY.replace("https://da-code-bench.github.io", "https://github.com/da-code/bench"))
    repo.commit("main fixes the legacy DL210")
    repo.git("checkout", "--quiet", "feature")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert (code, findings) == (0, []), stderr


@pytest.fixture
def dated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    """main: the legacy digest at the path its heading's date says, 2024/10/14.md. Checked out: `feature`."""
    return _feature_branch(tmp_path, monkeypatch, {"2024/10/14.md": LEGACY})


@pytest.mark.parametrize("committed", [True, False])
def test_a_file_moved_to_the_wrong_date_is_reported_whole(dated: GitRepo, committed: bool) -> None:
    """A rename is a new file at a new path: its path date (DL403) and every legacy finding are reported."""
    dated.git("mv", "2024/10/14.md", "2024/10/15.md")
    if committed:
        dated.commit("move a digest to the wrong day")
    _, everything, _ = _check(".")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert code == 1, stderr
    assert _where(findings) == _where(everything)
    assert {("2024/10/15.md", 3, "DL403"), ("2024/10/15.md", 11, "DL210")} <= _where(findings)


def test_a_file_moved_and_edited_is_reported_whole(dated: GitRepo) -> None:
    dated.git("mv", "2024/10/14.md", "2024/10/15.md")
    dated.write("2024/10/15.md", LEGACY.replace("## Papers for 2024-10-14", "## Papers for 2024-10-15"))
    dated.commit("move a digest and correct its heading")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert code == 1, stderr
    assert ("2024/10/15.md", 11, "DL210") in _where(findings)  # legacy, but the file is new at this path
    assert not any(rule == "DL403" for _, _, rule in _where(findings))


def test_copied_files_and_added_empty_files_are_new(dated: GitRepo) -> None:
    dated.write("2024/10/16.md", LEGACY)
    dated.write("2024/10/17.md", "")
    dated.commit("copy a digest to another day, start an empty one")
    _, everything, _ = _check(".")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert code == 1, stderr
    assert _where(findings) == {where for where in _where(everything) if where[0] != "2024/10/14.md"}
    assert {("2024/10/16.md", 3, "DL403"), ("2024/10/16.md", 11, "DL210"), ("2024/10/17.md", 1, "DL108")} <= _where(
        findings
    )


def test_a_file_moved_back_and_forth_is_unchanged(dated: GitRepo) -> None:
    dated.git("mv", "2024/10/14.md", "2024/10/15.md")
    dated.commit("move")
    dated.git("mv", "2024/10/15.md", "2024/10/14.md")
    dated.commit("move back")
    code, findings, stderr = _check("--diff-base", "main", ".")
    assert (code, findings) == (0, []), stderr


def test_a_ref_that_does_not_exist_is_a_one_line_error(repo: GitRepo) -> None:
    code, findings, stderr = _check("--diff-base", "origin/nope", ".")
    assert (code, findings) == (2, [])
    assert stderr.count("\n") == 1
    assert "'origin/nope' is not a commit in this repository" in stderr


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "-p", ""])
def test_a_ref_that_looks_like_an_option_is_refused(repo: GitRepo, ref: str) -> None:
    code, _, stderr = _check(f"--diff-base={ref}", ".")
    assert code == 2
    assert "is not a git ref" in stderr


def test_outside_a_repository_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path / "home", monkeypatch)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "day.md").write_text(LEGACY, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "plain")
    code, _, stderr = _check("--diff-base", "main", ".")
    assert code == 2
    assert stderr.startswith("digestlint: error: --diff-base needs a git repository")
    assert stderr.count("\n") == 1


@pytest.mark.parametrize("option", ["--fix", "--diff"])
def test_diff_base_with_fix_is_refused(repo: GitRepo, option: str) -> None:
    code, _, stderr = _check("--diff-base", "main", option, ".")
    assert code == 2
    assert "cannot be combined with --fix" in stderr
    assert (repo.path / "legacy.md").read_text(encoding="utf-8") == LEGACY


def test_parse_unified_diff_reads_new_side_lines_only() -> None:
    diff = "\n".join(
        [
            "diff --git a/a.md b/a.md",
            "--- a/a.md",
            "+++ b/a.md",
            "@@ -3 +3 @@",
            "-old",
            "+++ an added line that looks like a header",
            "@@ -10,2 +10,0 @@",
            "-gone",
            "-gone",
            "@@ -20,0 +19,2 @@",
            "+new",
            "+new",
            "diff --git a/gone.md b/gone.md",
            "deleted file mode 100644",
            "--- a/gone.md",
            "+++ /dev/null",
            "@@ -1 +0,0 @@",
            "-x",
            'diff --git "a/t\\303\\251st\\tx.md" "b/t\\303\\251st\\tx.md"',
            '--- "a/t\\303\\251st\\tx.md"',
            '+++ "b/t\\303\\251st\\tx.md"',
            "@@ -0,0 +1,3 @@",
        ]
    )
    assert parse_unified_diff(diff) == {"a.md": {3, 19, 20}, "tést\tx.md": {1, 2, 3}}


def test_unquote_path() -> None:
    assert unquote_path("plain name.md") == "plain name.md"
    assert unquote_path('"a\\"b\\\\c\\303\\251.md"') == 'a"b\\cé.md'
