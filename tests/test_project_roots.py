"""Project roots through the CLI: the same findings from any folder, relative globs, extend, the cache per root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digestlint.cli import main
from tests import roots_archive
from tests.conftest import SEEDS
from tests.roots_archive import DIGESTS, expected, only, parse_findings

CLEAN = SEEDS / "000_515fa1aceb584d49.md"  # 2024-11-05, clean


def run_in(cwd: Path, *arguments: str, stdin: bytes | None = None) -> Result:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(arguments), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(previous)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def top(tmp_path: Path) -> Path:
    return roots_archive.build(tmp_path / "papers")


def findings_in(cwd: Path, *arguments: str) -> set[tuple[str, int, int, str]]:
    result = run_in(cwd, "-o", "concise", *arguments)
    assert result.exit_code in (0, 1), result.output
    return parse_findings(result.stdout, cwd)


def test_the_same_findings_from_every_folder(top: Path) -> None:
    want = expected(top)
    assert findings_in(top, ".") == want
    assert findings_in(top, "archive") == want
    assert findings_in(top / "archive", ".") == want
    # From each digest's own folder, by its name alone.
    for name in DIGESTS:
        path = top / name
        assert findings_in(path.parent, path.name) == only(want, top, (name,)), name
    # By absolute path from another folder (the file system root), the whole tree and file by file.
    assert findings_in(Path("/"), str(top)) == want
    assert findings_in(Path("/"), *(str(top / name) for name in DIGESTS)) == want
    # From a sibling folder, by a relative path that climbs out of it.
    assert findings_in(top / "docs", "../archive/special", "../archive/2024/11/22.md") == want
    # Without the cache: the same.
    assert findings_in(top / "archive/2024", "--no-cache", "../..") == want


def test_stdin_reads_the_config_of_its_filename(top: Path) -> None:
    want = expected(top)
    for cwd in (top, top / "archive/2024/11", Path("/")):
        found: set[tuple[str, int, int, str]] = set()
        for name in DIGESTS:
            path = os.path.relpath(top / name, cwd)
            result = run_in(cwd, "-o", "concise", "-", "--stdin-filename", path, stdin=(top / name).read_bytes())
            found |= parse_findings(result.stdout, cwd)
        assert found == want, cwd


def test_the_issue_reproduction(top: Path) -> None:
    """A pyproject.toml ignoring DL206 under archive/2024/11/, a digest there whose heading has another date."""
    digest = top / "archive/2024/11/22.md"
    for cwd, argument in ((top, "archive/2024/11/22.md"), (digest.parent, "22.md"), (Path("/"), str(digest))):
        codes = {finding[3] for finding in findings_in(cwd, argument)}
        assert codes == {"DL403"}, (cwd, codes)


def test_exclude_is_relative_to_its_config_and_show_files_says_why(top: Path) -> None:
    draft = top / "archive/2024/11/drafts/23.md"
    for cwd in (top, top / "archive/2024/11", top / "archive/2024/11/drafts"):
        assert not any(finding[0] == str(draft.resolve()) for finding in findings_in(cwd, "."))
    listed = run_in(top / "archive/2024", "--show-files", ".")
    assert listed.exit_code == 0
    assert f"11/drafts/23.md: skipped (excluded by 'drafts' in {top.resolve() / 'pyproject.toml'})" in listed.stdout
    assert "11/22.md: checked" in listed.stdout
    # Named on the command line, an excluded file is checked, unless --force-exclude.
    assert run_in(draft.parent, "--show-files", "23.md").stdout == "23.md: checked\n"
    forced = run_in(draft.parent, "--show-files", "--force-exclude", "23.md").stdout
    assert forced.startswith("23.md: skipped (excluded by 'drafts' in ")


def test_a_nearer_config_replaces_a_farther_one(top: Path) -> None:
    """archive/special/ has its own config: the top pyproject.toml's per-file-ignores do not reach it."""
    (top / "pyproject.toml").write_text(
        '[tool.digestlint]\nper-file-ignores = { "archive/*" = ["DL2", "DL4"] }\n', encoding="utf-8"
    )
    found = findings_in(top, ".")
    assert {(Path(path).name, code) for path, _, _, code in found} == {
        ("2024-10-14.md", "DL210"),
        ("2024-10-17.md", "DL403"),
    }


def test_dot_digestlint_toml_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.digestlint]\nignore = ["DL403"]\n', encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('ignore = ["DL5"]\n', encoding="utf-8")
    (tmp_path / "2024-11-06.md").write_bytes(CLEAN.read_bytes())
    assert {finding[3] for finding in findings_in(tmp_path, ".")} == {"DL403"}
    shown = run_in(tmp_path, "--show-settings", "2024-11-06.md").stdout
    assert str(tmp_path.resolve() / ".digestlint.toml") in shown and "pyproject.toml" not in shown


def test_extend_inherits_relative_to_the_declaring_file(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(
        'ignore = ["DL5", "DL406"]\nper-file-ignores = { "project/old/*" = ["DL403"] }\n', encoding="utf-8"
    )
    project = tmp_path / "project"
    (project / "old").mkdir(parents=True)
    (project / ".digestlint.toml").write_text('extend = "../base.toml"\n', encoding="utf-8")
    (project / "2024-11-06.md").write_bytes(CLEAN.read_bytes())
    (project / "old/2024-11-07.md").write_bytes(CLEAN.read_bytes())
    found = findings_in(project / "old", "..")
    # The base's glob is relative to the base's folder: it matches project/old/ from there.
    assert {(Path(path).name, code) for path, _, _, code in found} == {("2024-11-06.md", "DL403")}
    shown = run_in(tmp_path, "--show-settings", "project/old/2024-11-07.md").stdout
    assert f"{project.resolve() / '.digestlint.toml'}\n    {tmp_path.resolve() / 'base.toml'}" in shown
    assert f"project root: {project.resolve()}" in shown
    assert "rules not reported for this file" in shown and "DL403" in shown.split("rules not reported")[1]


def test_an_extend_cycle_is_an_error_naming_the_chain(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extend = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extend = "a.toml"\n', encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('extend = "a.toml"\n', encoding="utf-8")
    (tmp_path / "2024-11-05.md").write_bytes(CLEAN.read_bytes())
    result = run_in(tmp_path, ".")
    assert result.exit_code == 2
    assert "`extend` makes a cycle" in result.output
    assert "a.toml -> " in result.output and "b.toml -> " in result.output
    missing = tmp_path / "other"
    missing.mkdir()
    (missing / ".digestlint.toml").write_text('extend = "nowhere.toml"\n', encoding="utf-8")
    result = run_in(missing, ".")
    assert result.exit_code == 2 and "nowhere.toml: no such config file" in result.output


def test_without_config_the_root_is_the_git_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    digest = tmp_path / "archive/2024/11/22.md"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(CLEAN.read_bytes())  # heading 2024-11-05
    assert {finding[3] for finding in findings_in(digest.parent, "22.md")} == {"DL403"}
    assert (tmp_path / ".digestlint_cache").is_dir()
    assert not (digest.parent / ".digestlint_cache").exists()
    shown = run_in(digest.parent, "--show-settings", "22.md").stdout
    assert f"project root: {tmp_path.resolve()}  (the git work tree" in shown
    assert "path read by rules: archive/2024/11/22.md" in shown
    # --isolated: no config is read, the root is still the work tree.
    (tmp_path / "pyproject.toml").write_text('[tool.digestlint]\nignore = ["DL403"]\n', encoding="utf-8")
    assert findings_in(digest.parent, "22.md") == set()
    assert {finding[3] for finding in findings_in(digest.parent, "--isolated", "22.md")} == {"DL403"}


def test_config_option_governs_every_file(top: Path, tmp_path: Path) -> None:
    config = tmp_path / "strict.toml"
    config.write_text('select = ["DL403"]\n', encoding="utf-8")
    # Its folder is the root: the archive's paths, read from tmp_path, still carry their dates.
    found = findings_in(top, "--config", str(config), ".")
    assert {(Path(path).name, code) for path, _, _, code in found} == {("22.md", "DL403"), ("2024-10-17.md", "DL403")}


def test_one_cache_per_project_root_never_in_the_current_folder(top: Path) -> None:
    for folder in (top / ".digestlint_cache", top / "archive/special/.digestlint_cache"):
        assert not folder.exists()
    findings_in(top / "archive/2024/11", "22.md", "../../special")
    assert (top / ".digestlint_cache").is_dir()
    assert (top / "archive/special/.digestlint_cache").is_dir()
    assert not (top / "archive/2024/11/.digestlint_cache").exists()


def test_stale_cache_folders_are_pruned(top: Path) -> None:
    cache = top / ".digestlint_cache"
    findings_in(top, "archive/2024")
    (current,) = [path for path in cache.iterdir() if path.is_dir()]
    other_version = cache / ("0.0.1-" + "a" * 32)
    unused = cache / (current.name.split("-")[0] + "-" + "b" * 32)
    recent = cache / (current.name.split("-")[0] + "-" + "c" * 32)
    kept_by_user = cache / "notes"
    for folder in (other_version, unused, recent, kept_by_user):
        folder.mkdir()
    month_ago = current.stat().st_mtime - 31 * 86400
    os.utime(unused, (month_ago, month_ago))
    findings_in(top, "archive/2024")
    assert not other_version.exists() and not unused.exists()
    assert recent.exists() and kept_by_user.exists() and current.exists()


def test_dl406_compares_files_within_one_project_root(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        folder.mkdir()
        (folder / ".digestlint.toml").write_text("", encoding="utf-8")
    text = CLEAN.read_text(encoding="utf-8")
    (first / "2024-11-05.md").write_text(text, encoding="utf-8")
    (second / "2024-11-06.md").write_text(text.replace("2024-11-05", "2024-11-06"), encoding="utf-8")
    assert findings_in(tmp_path, ".") == set()  # the same papers, under two roots
    assert findings_in(tmp_path, "one", "--archive", "two") == set()
    (first / "2024-11-06.md").write_text(text.replace("2024-11-05", "2024-11-06"), encoding="utf-8")
    codes = [finding[3] for finding in findings_in(tmp_path, ".")]
    assert codes and set(codes) == {"DL406"}
    # The --archive folder counts, within the checked file's root.
    alone = findings_in(first, "2024-11-06.md", "--archive", ".")
    assert alone and {finding[3] for finding in alone} == {"DL406"}


def test_api_load_settings_uses_the_same_discovery(top: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint import api

    text = (top / "archive/2024/11/22.md").read_text(encoding="utf-8")
    for cwd in (top, top / "archive/2024/11", Path("/")):
        monkeypatch.chdir(cwd)
        path = os.path.relpath(top / "archive/2024/11/22.md", cwd)
        report = api.check_text(text, path=path, settings=api.load_settings(path))
        assert [finding.code for finding in report.findings] == ["DL403"], cwd


def test_markdown_that_is_not_a_digest_is_skipped_and_said(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "maintainers.md").write_text(roots_archive.MAINTAINERS, encoding="utf-8")
    (docs / "notes.md").write_text("# Notes\n\nNothing tabular here.\n", encoding="utf-8")
    (docs / "misspelled.md").write_text(
        "| Title | Authors | Sumary |\n| --- | --- | --- |\n| A | B | C |\n", encoding="utf-8"
    )
    result = run_in(tmp_path, "--isolated", "-o", "concise", "docs")
    assert {finding[0].rsplit("/", 1)[-1] for finding in parse_findings(result.stdout, tmp_path)} == {"misspelled.md"}
    fixed = run_in(tmp_path, "--isolated", "--fix", "docs/maintainers.md")
    assert fixed.exit_code == 0 and (docs / "maintainers.md").read_text(encoding="utf-8") == roots_archive.MAINTAINERS
    listed = run_in(tmp_path, "--isolated", "--show-files", "docs").stdout.splitlines()
    assert listed == [
        "docs/maintainers.md: skipped (not a digest: no date heading and no table whose header is close to a layout)",
        "docs/misspelled.md: checked",
        "docs/notes.md: skipped (not a digest: no date heading and no table whose header is close to a layout)",
    ]
    # From the cache, the same.
    run_in(tmp_path, "--isolated", "docs")
    again = run_in(tmp_path, "--isolated", "-o", "concise", "docs")
    assert again.stdout == result.stdout
    # A date heading makes any table a digest's.
    (docs / "maintainers.md").write_text("## Papers for 2024-11-05\n\n" + roots_archive.MAINTAINERS, encoding="utf-8")
    found = run_in(tmp_path, "--isolated", "-o", "concise", "docs/maintainers.md").stdout
    assert "DL101" in found


def test_a_header_differing_in_case_or_spacing_is_fixed_safely(tmp_path: Path) -> None:
    text = CLEAN.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Title"))
    broken = header.replace("Title", "title").replace("GitHub URLs", "GitHub   urls")
    (tmp_path / "day.md").write_text(text.replace(header, broken), encoding="utf-8")
    found = run_in(tmp_path, "--isolated", "-o", "concise", "day.md").stdout
    assert "DL101 [*]" in found
    fixed = run_in(tmp_path, "--isolated", "--fix", "day.md")
    assert fixed.exit_code == 0, fixed.output
    assert (tmp_path / "day.md").read_text(encoding="utf-8") == text


def test_show_settings_names_config_root_rules_and_layouts(top: Path) -> None:
    result = run_in(top / "archive/special/old", "--show-settings", "2024-10-17.md")
    assert result.exit_code == 0
    shown = result.stdout
    special = (top / "archive/special").resolve()
    assert shown.startswith("Settings for 2024-10-17.md\n")
    assert f"project root: {special}  (the folder of the nearest config file)" in shown
    assert "path read by rules: old/2024-10-17.md" in shown
    assert f"    {special / '.digestlint.toml'}\n" in shown and "pyproject.toml" not in shown
    assert f"per-file-ignores: 'old/*' (relative to {special}) = DL210" in shown
    assert "DL210" in shown.split("rules not reported for this file")[1]
    assert "compact: Title | Authors | Summary" in shown
    assert "cross-file-window: 0" in shown
    top_level = run_in(top / "archive", "--show-settings", "2024/11/drafts/23.md").stdout
    assert f"exclude: 'drafts' (relative to {top.resolve()}" in top_level
    assert "this file is excluded by 'drafts'" in top_level
    broken = top / "archive/special/.digestlint.toml"
    broken.write_text("unknown-key = 1\n", encoding="utf-8")
    failed = run_in(top, "--show-settings", "archive/special/old/2024-10-17.md")
    assert failed.exit_code == 2 and "unknown-key" in failed.output


@pytest.mark.precommit
@pytest.mark.slow
def test_pre_commit_gives_the_same_findings_for_any_staged_subset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """The real hook (`digestlint check --archive .` on the staged files) in a repository holding the archive."""
    import yaml  # type: ignore[import-untyped]

    from tests.test_pre_commit import _pre_commit, hooked_repository

    repo, config = hooked_repository(tmp_path, monkeypatch, request)
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    repo.commit("hooks")
    roots_archive.build(repo.path)
    want = expected(repo.path)
    for subset in (DIGESTS[:1], DIGESTS[1:], DIGESTS[2:], DIGESTS, ("docs/maintainers.md", DIGESTS[1])):
        repo.git("reset", "--quiet")
        repo.git("add", *subset)
        ran = _pre_commit(repo, "run", "digestlint")
        found = parse_findings(ran.stdout, repo.path)
        assert found == only(want, repo.path, subset), ran.stdout
        assert ran.returncode == (1 if found else 0), ran.stdout


def test_layouts_are_read_from_the_folder_of_the_config_declaring_them(tmp_path: Path) -> None:
    import json

    from digestlint.layouts import builtin_schema_dir

    schema = json.loads((builtin_schema_dir() / "compact.schema.json").read_text(encoding="utf-8"))
    schema["$id"], schema["title"] = "mine.schema.json", "mine"
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas/mine.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    for name in ("classification-tags.schema.json",):
        (tmp_path / "schemas" / name).write_bytes((builtin_schema_dir() / name).read_bytes())
    (tmp_path / "base.toml").write_text('layouts = ["schemas/mine.schema.json"]\n', encoding="utf-8")
    project = tmp_path / "project/archive"
    project.mkdir(parents=True)
    (tmp_path / "project/.digestlint.toml").write_text('extend = "../base.toml"\n', encoding="utf-8")
    for cwd in (project, Path("/")):
        shown = run_in(cwd, "--show-settings", str(project / "x.md")).stdout
        assert f"mine: Title | Authors | Summary  ({tmp_path.resolve() / 'schemas/mine.schema.json'})" in shown


def test_a_folder_an_outer_config_excludes_stays_excluded_with_a_config_of_its_own(top: Path) -> None:
    vendored = top / "archive/2024/11/drafts"
    (vendored / ".digestlint.toml").write_text('ignore = ["DL5"]\n', encoding="utf-8")
    for cwd in (top, vendored):
        listed = run_in(cwd, "--show-files", ".").stdout
        assert "23.md: skipped (excluded by 'drafts' in " in listed, listed
    # Named, it is checked under its own config.
    assert run_in(vendored, "--show-files", "23.md").stdout == "23.md: checked\n"


def test_show_files_never_writes(tmp_path: Path) -> None:
    text = CLEAN.read_text(encoding="utf-8")
    (tmp_path / "2024-11-05.md").write_text(text.replace(" | ", "|", 3), encoding="utf-8")
    before = (tmp_path / "2024-11-05.md").read_bytes()
    listed = run_in(tmp_path, "--isolated", "--show-files", "--fix", ".")
    assert listed.exit_code == 0 and listed.stdout == "2024-11-05.md: checked\n"
    assert (tmp_path / "2024-11-05.md").read_bytes() == before
    assert not (tmp_path / ".digestlint_cache").exists()


def test_the_cache_serves_runs_from_any_folder(top: Path) -> None:
    """Entries are keyed by the path relative to the root: a run elsewhere reuses them, with its own paths."""
    want = expected(top)
    assert findings_in(top, ".") == want
    entries = sorted(path.name for path in (top / ".digestlint_cache").rglob("*.json"))
    assert entries
    assert findings_in(top / "archive/2024/11", "22.md") == only(want, top, (DIGESTS[0],))
    assert findings_in(Path("/"), str(top)) == want
    assert sorted(path.name for path in (top / ".digestlint_cache").rglob("*.json")) == entries
    shown = run_in(top / "archive/2024/11", "-o", "json", "22.md").stdout
    assert '"22.md"' in shown and "archive/2024/11/22.md" not in shown


def test_a_broken_nested_config_stops_the_run_naming_it(top: Path) -> None:
    nested = top / "archive/special/.digestlint.toml"
    nested.write_text("select = [1]\n", encoding="utf-8")
    for cwd, argument in ((top, "."), (top / "archive/special/old", "2024-10-17.md")):
        result = run_in(cwd, argument)
        assert result.exit_code == 2, result.output
        assert f"{nested.resolve()}: top level key 'select" in result.output
    # A run that reaches no file under it is not affected.
    assert findings_in(top, "archive/2024") == only(expected(top), top, (DIGESTS[0],))


def test_the_path_date_is_read_alike_with_no_config_and_under_a_nested_one(tmp_path: Path) -> None:
    """DL403 reads the end of the absolute path: no config and no git (root = the current folder),
    or a config inside `archive/2024/` (whose root-relative path `11/22.md` names no year)."""
    digest = tmp_path / "archive/2024/11/22.md"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(CLEAN.read_bytes())  # its heading says 2024-11-05
    runs = [
        findings_in(tmp_path, "archive/2024/11/22.md"),
        findings_in(digest.parent, "22.md"),
        findings_in(Path("/"), str(digest)),
    ]
    assert all(codes == runs[0] for codes in runs)
    assert {code for *_, code in runs[0]} == {"DL403"}
    (tmp_path / "archive/2024/.digestlint.toml").write_text('ignore = ["DL5"]\n', encoding="utf-8")
    assert findings_in(digest.parent, "22.md") == runs[0]
