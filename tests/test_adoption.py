"""Adopting digestlint on an existing archive, through the CLI: fix selection, baseline, .gitignore,
`-o full`, `digestlint tags`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.reporters.full import WIDTH, window
from tests.conftest import SEEDS

CLEAN = SEEDS / "000_515fa1aceb584d49.md"  # 2024-11-05
BROKEN = SEEDS / "003_0419e020d2a675aa.md"  # DL206 on line 12 (safe fix)
NO_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


def _invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=NO_ENV)
    return result.exit_code, result.stdout, result.stderr


def _codes(stdout: str) -> list[str]:
    return [finding["code"] for finding in json.loads(stdout)]


def _with_two_fixables(folder: Path) -> Path:
    """A digest with a DL206 (a `.git` URL) and a DL5xx formatting defect (blank lines at the end), both safe."""
    text = BROKEN.read_text(encoding="utf-8") + "\n\n"
    path = folder / "2024-10-23.md"
    path.write_text(text, encoding="utf-8")
    return path


# --- which codes --fix applies --------------------------------------------------------------------------


def _fixed_codes(runner: CliRunner, path: Path, *args: str) -> set[str]:
    before = path.read_text(encoding="utf-8")
    code, stdout, _ = _invoke(runner, "check", str(path), "--fix", "-o", "json", *args)
    assert code in (0, 1)
    after = path.read_text(encoding="utf-8")
    path.write_text(before, encoding="utf-8")
    _, remaining, _ = _invoke(runner, "check", str(path), "-o", "json")
    left = set(_codes(stdout))
    return {c for c in _codes(remaining) if c not in left} if after != before else set()


def test_fixable_unfixable_extend_fixable_choose_what_fix_applies(tmp_path: Path, runner: CliRunner) -> None:
    path = _with_two_fixables(tmp_path)
    _, stdout, _ = _invoke(runner, "check", str(path), "-o", "json")
    both = set(_codes(stdout))
    assert "DL206" in both and any(code.startswith("DL5") for code in both), both
    assert _fixed_codes(runner, path) == both
    assert _fixed_codes(runner, path, "--fixable", "DL2") == {"DL206"}
    assert _fixed_codes(runner, path, "--unfixable", "DL206") == both - {"DL206"}
    assert _fixed_codes(runner, path, "--unfixable", "DL2", "--extend-fixable", "DL206") == both
    assert _fixed_codes(runner, path, "--fixable", "DL4", "--extend-fixable", "DL206") == {"DL206"}


def test_fix_selection_from_config(tmp_path: Path, runner: CliRunner) -> None:
    path = _with_two_fixables(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('unfixable = ["DL206", "DL5"]\n', encoding="utf-8")
    code, stdout, _ = _invoke(runner, "format", "--check", str(path))
    assert code == 1 and stdout.startswith("Would reformat:")  # `format` always formats
    code, stdout, _ = _invoke(runner, "check", str(path), "--fix", "-o", "json", "--extend-fixable", "DL504")
    assert code == 1
    assert [(item["code"], item["fix"]) for item in json.loads(stdout)] == [("DL206", None)]  # reported, left alone
    assert ".git)" in path.read_text(encoding="utf-8")
    code, stdout, _ = _invoke(runner, "check", str(path))
    assert code == 1
    assert "DL206 '" in stdout and "[*]" not in stdout  # not shown as fixable, as ruff shows unfixable codes


@pytest.mark.parametrize("option", ["--fixable", "--unfixable", "--extend-fixable"])
def test_unknown_fixable_code_is_a_usage_error(tmp_path: Path, runner: CliRunner, option: str) -> None:
    path = _with_two_fixables(tmp_path)
    code, _, stderr = _invoke(runner, "check", str(path), "--fix", option, "DL2O6")
    assert code == 2
    assert f"{option}: unknown rule code 'DL2O6'; did you mean DL206?" in stderr


def test_unknown_fixable_code_in_config_names_the_key(tmp_path: Path, runner: CliRunner) -> None:
    path = _with_two_fixables(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('extend-fixable = ["DL9"]\n', encoding="utf-8")
    code, _, stderr = _invoke(runner, "check", str(path))
    assert code == 2
    assert "key 'extend-fixable': no rule code starts with 'DL9'" in stderr


# --- .gitignore and .ignore -------------------------------------------------------------------------------


def _gitignored_tree(root: Path) -> None:
    (root / ".git").mkdir()
    for name in ("kept/2024-10-23.md", "drafts/2024-10-23.md", "scratch/2024-10-23.md", "kept/tmp-2024-10-23.md"):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BROKEN, target)
    (root / ".gitignore").write_text("drafts/\ntmp-*.md\n", encoding="utf-8")
    (root / "scratch" / ".ignore").write_text("*.md\n", encoding="utf-8")
    (root / "kept" / ".gitignore").write_text("!tmp-*.md\n", encoding="utf-8")  # a deeper file re-includes


def _reported(stdout: str) -> set[str]:
    return {finding["path"] for finding in json.loads(stdout)}


def test_folder_walks_respect_gitignore_and_ignore(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gitignored_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json")
    assert _reported(stdout) == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md"}
    _, stdout, _ = _invoke(runner, "check", "kept", "-o", "json")  # the root's .gitignore applies below it
    assert _reported(stdout) == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md"}
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json", "--no-respect-gitignore")
    assert len(_reported(stdout)) == 4
    # A file named on the command line is always checked.
    _, stdout, _ = _invoke(runner, "check", "drafts/2024-10-23.md", "-o", "json")
    assert _reported(stdout) == {"drafts/2024-10-23.md"}


def test_an_unreadable_gitignore_is_named_and_the_walk_goes_on(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .gitignore the user may not read: its files are checked, and stderr says why, naming it."""
    _gitignored_tree(tmp_path)
    gitignore = tmp_path / ".gitignore"
    gitignore.chmod(0o000)
    import builtins

    import digestlint.gitignore

    real_open = builtins.open

    def open_as_user(file: Any, *args: Any, **kwargs: Any) -> Any:
        # As a user without read permission (root reads a file of mode 0o000).
        if Path(str(file)).exists() and not Path(str(file)).stat().st_mode & 0o444:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(digestlint.gitignore, "open", open_as_user, raising=False)
    monkeypatch.chdir(tmp_path)
    try:
        code, stdout, stderr = _invoke(runner, "check", ".", "-o", "json")
    finally:
        gitignore.chmod(0o644)
    assert code == 1
    assert _reported(stdout) == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md", "drafts/2024-10-23.md"}
    assert stderr == (
        f"digestlint: warning: {gitignore}: cannot read this ignore file (Permission denied); "
        "the files it ignores are checked\n"
    )
    # A linked work tree's `.git` is a file: no `.git/info/exclude` there, and nothing to say.
    (tmp_path / ".git").rmdir()
    (tmp_path / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")
    code, stdout, stderr = _invoke(runner, "check", ".", "-o", "json")
    assert (_reported(stdout), stderr) == ({"kept/2024-10-23.md", "kept/tmp-2024-10-23.md"}, "")


def test_respect_gitignore_false_in_config(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _gitignored_tree(tmp_path)
    (tmp_path / ".digestlint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json")
    assert len(_reported(stdout)) == 4
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json", "--respect-gitignore")
    assert len(_reported(stdout)) == 2


def test_export_respects_gitignore_as_check_does(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gitignored_tree(tmp_path)
    monkeypatch.chdir(tmp_path)

    def exported(*args: str) -> set[str]:
        code, stdout, _ = _invoke(runner, "export", *args, ".")
        assert code == 0
        return {json.loads(line)["path"] for line in stdout.splitlines()}

    assert exported() == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md"}
    assert len(exported("--no-respect-gitignore")) > 2


def test_format_respects_gitignore(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _gitignored_tree(tmp_path)
    for path in tmp_path.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "format", "--check", ".")
    assert code == 1
    assert sorted(stdout.splitlines()) == [
        "Would reformat: kept/2024-10-23.md",
        "Would reformat: kept/tmp-2024-10-23.md",
    ]


# --- -o full --------------------------------------------------------------------------------------------


def test_full_windows_a_long_line_to_the_column() -> None:
    line = "| " + "x" * 1500 + " | [Link](https://github.com/a/b.git) | " + "y" * 400 + " |"
    column = line.index("https://") + 1
    shown, offset, width = window(line, column, column + len("https://github.com/a/b.git"))
    assert len(shown) <= WIDTH + 2
    assert shown.startswith("…") and shown.endswith("…")
    assert shown[offset : offset + width] == "https://github.com/a/b.git"
    short, offset, width = window("| a | b |", 5, None)
    assert (short, offset, width) == ("| a | b |", 4, 1)


def test_full_output_shows_the_source_line_and_a_caret(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "2024-10-23.md"
    shutil.copyfile(BROKEN, path)
    code, stdout, _ = _invoke(runner, "check", str(path), "-o", "full")
    assert code == 1
    lines = stdout.splitlines()
    source, caret = lines[2], lines[3]
    assert source.startswith("12 | …")
    start = caret.index("^")
    assert source[start:].startswith("https://github.com/xing0047/cca-llava.git")
    assert caret[start:] == "^" * len("https://github.com/xing0047/cca-llava.git") + " DL206"
    assert all(len(line) < WIDTH + 10 for line in lines[1:])  # the row runs past 1,200 characters


def test_full_caret_stays_under_the_text_after_wide_characters(tmp_path: Path, runner: CliRunner) -> None:
    from digestlint.reporters.full import display_width

    path = tmp_path / "2024-10-23.md"
    text = BROKEN.read_text(encoding="utf-8")
    url = "https://github.com/xing0047/cca-llava.git"
    row = next(line for line in text.splitlines() if url in line)
    wide = row.replace("'] | [Link]", "', '多模态模型 🤖'] | [Link]", 1)  # CJK and an emoji just before the finding
    path.write_text(text.replace(row, wide), encoding="utf-8")
    code, stdout, _ = _invoke(runner, "check", str(path), "-o", "full", "--select", "DL206")
    assert code == 1
    lines = stdout.splitlines()
    source, caret = lines[2], lines[3]
    assert "多模态模型" in source
    start = caret.index("^")
    # The caret's terminal column is the URL's terminal column in the source line shown above it.
    assert display_width(source[: source.index(url)]) == start
    assert caret[start:] == "^" * len(url) + " DL206"


# --- digestlint tags --------------------------------------------------------------------------------------


def test_tags_lists_the_vocabulary_and_extra_tags(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "tags")
    assert code == 0
    tags = stdout.splitlines()
    assert tags[0] == "Multimodal" and "Robotics" in tags and "Agents" not in tags
    (tmp_path / ".digestlint.toml").write_text('extra-tags = ["Agents"]\n', encoding="utf-8")
    code, stdout, _ = _invoke(runner, "tags")
    assert code == 0
    assert stdout.splitlines() == [*tags, "Agents"]


# --- baseline ---------------------------------------------------------------------------------------------


def _archive(root: Path) -> Path:
    """Two days with legacy defects: a `.git` URL on 2024-10-23, a `.git` URL and an empty author cell on
    2024-11-05."""
    archive = root / "archive"
    archive.mkdir()
    shutil.copyfile(BROKEN, archive / "2024-10-23.md")
    text = CLEAN.read_text(encoding="utf-8").replace(
        "https://github.com/Tencent/Tencent-Hunyuan-Large)", "https://github.com/Tencent/Tencent-Hunyuan-Large.git)"
    )
    (archive / "2024-11-05.md").write_text(text, encoding="utf-8")
    return archive


def _new_row(clean_row: str, number: str, defect: bool) -> str:
    row = clean_row.replace("2411.00836", number)
    return row.replace("| N/A | N/A |", "| [Link](https://github.com/new/defect.git) | N/A |") if defect else row


def _findings(stdout: str) -> list[tuple[str, int, str]]:
    return [(finding["path"], finding["line"], finding["code"]) for finding in json.loads(stdout)]


def test_baseline_reports_only_new_findings_and_counts_stale_entries(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _invoke(runner, "check", "archive", "-o", "json")
    legacy = _findings(stdout)
    assert code == 1 and len(legacy) >= 2
    code, stdout, stderr = _invoke(runner, "check", "archive", "--write-baseline", "baseline.json", "-o", "json")
    assert code == 0, stderr  # everything is in the baseline just written
    assert f"wrote {len(legacy)} findings to the baseline baseline.json" in stderr
    entries = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert {entry["path"] for entry in entries} == {"archive/2024-10-23.md", "archive/2024-11-05.md"}
    assert all(entry["row"].startswith(("arxiv:", "row:")) for entry in entries)
    code, stdout, stderr = _invoke(runner, "check", "archive", "--baseline", "baseline.json")
    assert (code, stdout, stderr) == (0, "", "")

    # Rows inserted above the old ones (one with a new defect): only the new defect is reported.
    day = archive / "2024-11-05.md"
    lines = day.read_text(encoding="utf-8").splitlines(keepends=True)
    clean_row = lines[6]
    lines[6:6] = [_new_row(clean_row, "2411.09991", False), _new_row(clean_row, "2411.09992", True)]
    day.write_text("".join(lines), encoding="utf-8")
    code, stdout, stderr = _invoke(runner, "check", "archive", "--baseline", "baseline.json", "-o", "json")
    assert code == 1
    new = _findings(stdout)
    assert [(path, line) for path, line, _ in new] == [("archive/2024-11-05.md", 8)], new
    assert "no longer occur" not in stderr
    # Without the baseline, the old findings have moved down two lines and are all still there.
    _, stdout, _ = _invoke(runner, "check", "archive", "-o", "json")
    assert len(_findings(stdout)) == len(legacy) + len(new)

    # An old defect fixed: its entry is stale, and said so.
    old = archive / "2024-10-23.md"
    old.write_text(old.read_text(encoding="utf-8").replace("cca-llava.git", "cca-llava"), encoding="utf-8")
    code, stdout, stderr = _invoke(runner, "check", "archive", "--baseline", "baseline.json", "-o", "json")
    assert _findings(stdout) == new
    assert "baseline baseline.json: 1 entry no longer occurs" in stderr
    assert "stale: archive/2024-10-23.md DL206 arxiv:" in stderr
    # Checking only the other day: entries of files not checked are not stale.
    _, _, stderr = _invoke(runner, "check", "archive/2024-11-05.md", "--baseline", "baseline.json")
    assert "no longer occur" not in stderr


def test_baseline_from_config_is_relative_to_it_and_keys_are_relative_to_the_root(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('baseline = "lint/baseline.json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, stderr = _invoke(runner, "check", "archive", "--write-baseline", "lint/baseline.json")
    assert code == 0, stderr
    # From a subfolder, by the config's key: the same keys, so nothing is reported.
    monkeypatch.chdir(tmp_path / "archive")
    code, stdout, stderr = _invoke(runner, "check", "2024-10-23.md")
    assert (code, stdout, stderr) == (0, "", "")
    code, stdout, _ = _invoke(runner, "check", "2024-10-23.md", "--isolated")
    assert code == 1 and "DL206" in stdout


def test_a_broken_baseline_is_an_error(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _archive(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline.json").write_text("[1, 2]", encoding="utf-8")
    code, _, stderr = _invoke(runner, "check", "archive", "--baseline", "baseline.json")
    assert code == 2
    assert "baseline.json: not a digestlint baseline" in stderr
    code, _, stderr = _invoke(runner, "check", "archive", "--baseline", "missing.json")
    assert code == 2 and "missing.json: cannot read the baseline" in stderr


def test_a_finding_whose_file_cannot_be_read_again_is_a_baseline_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finding on a line with no paper (here DL401) is keyed by the line's text, read again from the file: when
    that read fails, the run says so, naming the file, instead of keying the finding by an empty line."""
    archive = tmp_path / "archive"
    archive.mkdir()
    day = archive / "2024-11-05.md"
    day.write_text(
        "".join(line for line in CLEAN.read_text(encoding="utf-8").splitlines(True) if not line.startswith("## ")),
        encoding="utf-8",
    )

    class Unreadable(type(tmp_path)):  # type: ignore[misc]  # the concrete Path class of this system
        def read_bytes(self) -> bytes:
            if self.name == day.name:
                raise PermissionError(13, "Permission denied", str(self))
            data: bytes = super().read_bytes()
            return data

    monkeypatch.chdir(tmp_path)
    code, _, stderr = _invoke(runner, "check", "archive", "--write-baseline", "baseline.json")
    assert code == 0, stderr
    entries = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["entries"]
    assert [entry["code"] for entry in entries] == ["DL401"]
    monkeypatch.setattr("digestlint.baseline.Path", Unreadable)
    code, stdout, stderr = _invoke(runner, "check", "archive", "--baseline", "baseline.json")
    assert code == 2, stdout
    assert (
        "digestlint: error: archive/2024-11-05.md: cannot read the file again to key its findings in the baseline: "
        "Permission denied\n"
    ) in stderr


def test_show_settings_names_the_fix_selection_and_baseline(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _with_two_fixables(tmp_path)
    (tmp_path / ".digestlint.toml").write_text(
        'unfixable = ["DL5"]\nextend-fixable = ["DL504"]\nbaseline = "b.json"\nrespect-gitignore = false\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "check", "--show-settings", path.name, "--fixable", "DL2,DL5")
    assert code == 0
    assert "  fixable: DL2, DL5\n  unfixable: DL5\n  extend-fixable: DL504\n" in stdout
    assert f"  baseline: {tmp_path / 'b.json'}\n  respect-gitignore: false\n" in stdout


def test_gitignore_outside_a_work_tree_applies_from_the_walked_folder(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _gitignored_tree(tmp_path)
    (tmp_path / ".git").rmdir()
    monkeypatch.chdir(tmp_path)
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json")
    assert _reported(stdout) == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md"}
    (tmp_path / "kept" / "sub").mkdir()
    shutil.copyfile(BROKEN, tmp_path / "kept" / "sub" / "tmp-1.md")
    shutil.copyfile(BROKEN, tmp_path / "drafts" / "2.md")
    _, stdout, _ = _invoke(runner, "check", ".", "-o", "json")
    assert _reported(stdout) == {"kept/2024-10-23.md", "kept/tmp-2024-10-23.md", "kept/sub/tmp-1.md"}


def test_format_ignores_the_baseline_of_config(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('baseline = "not-written-yet.json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "format", "--check", "archive")
    assert (code, stdout) == (0, "")
    code, _, stderr = _invoke(runner, "check", "archive")
    assert code == 2 and "not-written-yet.json: cannot read the baseline" in stderr


def test_format_ignores_fix_selection_through_the_cli_the_api_and_mdformat(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mdformat

    from digestlint import api

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text('unfixable = ["DL5"]\n', encoding="utf-8")
    canonical = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    row = next(line for line in canonical.splitlines() if "arxiv.org/abs/" in line)
    text = canonical.replace(row, row[: -len(" |")], 1)  # a row without its trailing pipe: DL501
    path = tmp_path / "2024-10-23.md"
    path.write_text(text, encoding="utf-8")
    code, _, _ = _invoke(runner, "format", str(path))
    assert code == 0 and path.read_text(encoding="utf-8") == canonical
    settings = api.load_settings(path)
    assert api.format_text(text, path=str(path), settings=settings).text == canonical
    assert mdformat.text(text, extensions={"gfm", "digestlint"}, options={"filename": str(path)}) == canonical
    # --fix still honours it.
    path.write_text(text, encoding="utf-8")
    code, _, _ = _invoke(runner, "check", "--fix", str(path))
    assert code == 1 and path.read_text(encoding="utf-8") == text


def test_written_baselines_and_init_files_get_the_usual_mode_not_a_private_one(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    from digestlint import files
    from tests.category_archive import build

    previous = os.umask(0o022)
    files._umask.cache_clear()
    try:
        _archive(tmp_path)
        monkeypatch.chdir(tmp_path)
        _invoke(runner, "check", "archive", "--write-baseline", "lint/baseline.json")
        category = tmp_path / "category"
        category.mkdir()
        build(category, days=3)
        monkeypatch.chdir(category)
        code, _, _ = _invoke(runner, "init", "archive")
        assert code == 0
        written = [
            tmp_path / "lint/baseline.json",
            category / ".digestlint.toml",
            category / "layouts/inferred.schema.json",
        ]
        assert [stat.S_IMODE(path.stat().st_mode) for path in written] == [0o644] * 3
        (tmp_path / "lint/baseline.json").chmod(0o640)  # rewriting a file keeps its mode
        monkeypatch.chdir(tmp_path)
        _invoke(runner, "check", "archive", "--write-baseline", "lint/baseline.json")
        assert stat.S_IMODE((tmp_path / "lint/baseline.json").stat().st_mode) == 0o640
    finally:
        os.umask(previous)
        files._umask.cache_clear()


def test_full_shows_the_line_findings_number_when_a_cell_holds_other_line_breaks(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "2024-10-23.md"
    text = BROKEN.read_text(encoding="utf-8")
    lines = text.split("\n")
    first_row = next(index for index, line in enumerate(lines) if "arxiv.org/abs/" in line)
    lines[first_row] = lines[first_row].replace(" | ", " | a\u2028b\x0cc\x85 ", 1)  # breaks str.splitlines splits at
    path.write_text("\n".join(lines), encoding="utf-8")
    code, stdout, _ = _invoke(runner, "check", str(path), "-o", "full", "--select", "DL206")
    assert code == 1
    source, caret = stdout.splitlines()[2:4]
    assert source.startswith("12 | ")
    assert source[caret.index("^") :].startswith("https://github.com/xing0047/cca-llava.git")
