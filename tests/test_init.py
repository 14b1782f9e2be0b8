"""`digestlint init` through the CLI: built-in layouts reported, a layout inferred for the rest, then checked
and fixed with it as the built-in layouts are."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from digestlint.layouts import load_layout
from tests.category_archive import CATEGORIES, build
from tests.conftest import SEEDS

NO_ENV = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None}


def _invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), env=NO_ENV)
    return result.exit_code, result.stdout, result.stderr


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and "arxiv.org/abs/" in line]


def test_init_infers_a_category_first_layout_that_checks_and_fixes_like_a_builtin(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build(tmp_path)
    assert len(built.split) >= 10 and len(built.empty_authors) >= 5  # a few percent of 1,300 rows
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _invoke(runner, "check", "archive", "--isolated", "--statistics")
    assert code == 1 and "DL101" in stdout  # before: only "matches no layout"

    code, stdout, stderr = _invoke(runner, "init", "archive")
    assert code == 0, stderr
    assert "Inferred layout 'inferred', confidence 9" in stdout
    assert f"category word: {', '.join(sorted(CATEGORIES))}" in stdout
    assert "arXiv title link" in stdout and "list of names [authors]" in stdout and "tag list" in stdout
    assert "(github.com)" in stdout and "(huggingface.co)" in stdout
    schema_path = tmp_path / "layouts" / "inferred.schema.json"
    layout = load_layout(schema_path, check_schema=True)  # a valid layout schema, in the built-in form
    assert layout.header[0] == "Category"
    builtin = json.loads((SEEDS.parent / "schemas" / "full.schema.json").read_text(encoding="utf-8"))
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    assert set(schema) == set(builtin)
    for column in ("Title", "Classification", "GitHub URLs", "HuggingFace URLs", "Authors", "Summary"):
        assert schema["properties"][column] == builtin["properties"][column], column
    assert (tmp_path / ".digestlint.toml").read_text(encoding="utf-8").count("layouts/inferred.schema.json") == 1

    # The check reports the broken rows, and only them.
    code, stdout, _ = _invoke(runner, "check", "archive", "-o", "json")
    assert code == 1
    findings = {(Path(item["path"]).name, item["line"], item["code"]) for item in json.loads(stdout)}
    assert {code for _, _, code in findings} == {"DL103", "DL106"}
    assert len([f for f in findings if f[2] == "DL103"]) == len(built.split)
    assert len([f for f in findings if f[2] == "DL106"]) == len(built.empty_authors)
    for name, arxiv_id in built.empty_authors:
        lines = (built.root / name).read_text(encoding="utf-8").splitlines()
        line = next(number for number, text in enumerate(lines, 1) if f"abs/{arxiv_id})" in text)
        assert (name, line, "DL106") in findings

    # --fix repairs the split rows exactly as it repairs the same rows in the full layout.
    _invoke(runner, "check", "--fix", "archive")
    _invoke(runner, "check", "--fix", "twin")
    for day in sorted(built.root.glob("*.md")):
        fixed = _rows(day.read_text(encoding="utf-8"))
        twin = _rows((built.twin / day.name).read_text(encoding="utf-8"))
        assert len(fixed) == len(twin)
        for row, twin_row in zip(fixed, twin):
            assert re.sub(r"^\| [a-z.A-Z]+ \| ", "| ", row) == twin_row
    code, stdout, _ = _invoke(runner, "check", "archive", "--statistics")
    assert stdout.split() == [str(len(built.empty_authors)), "DL106", "empty-cell"]


def test_init_never_overwrites_without_force(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, days=3)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".digestlint.toml").write_text("# mine\n", encoding="utf-8")
    code, _, stderr = _invoke(runner, "init", "archive")
    assert code == 2
    assert ".digestlint.toml already exists; --force overwrites" in stderr
    assert (tmp_path / ".digestlint.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "layouts").exists()
    code, _, _ = _invoke(runner, "init", "archive", "--force")
    assert code == 0
    assert "layouts/inferred.schema.json" in (tmp_path / ".digestlint.toml").read_text(encoding="utf-8")


def test_init_does_not_shadow_a_pyproject_config_without_force(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path, days=3)
    monkeypatch.chdir(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.digestlint]\nignore = ["DL106"]\n', encoding="utf-8")
    code, _, stderr = _invoke(runner, "init", "archive")
    assert code == 2
    assert "pyproject.toml has a [tool.digestlint] table" in stderr and "--force" in stderr
    assert not (tmp_path / ".digestlint.toml").exists() and not (tmp_path / "layouts").exists()
    code, _, stderr = _invoke(runner, "init", "archive", "--force")
    assert code == 0
    assert "warning: " in stderr and (tmp_path / ".digestlint.toml").exists()


def test_init_reports_builtin_layouts_and_writes_nothing_when_all_match(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "init", "seeds")
    assert code == 0
    assert "Surveyed 5 Markdown files under seeds." in stdout
    assert re.search(r"Built-in layout 'full': \d+ tables?\.", stdout)
    assert "No layout to infer; nothing written." in stdout
    seed = tmp_path / "seeds" / "000_515fa1aceb584d49.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("| Title | Authors |", "| title |  AUTHORS |"), "utf-8")
    code, stdout, _ = _invoke(runner, "init", "seeds")
    assert code == 0
    assert "is built-in layout 'full' with other case or spacing: `digestlint --fix` renames its columns" in stdout
    assert "No layout to infer; nothing written." in stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == ["seeds"]


def test_init_infers_dates_compact_titles_na_and_leaves_non_paper_tables_alone(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    for day in range(1, 8):
        rows = []
        for number in range(6):
            arxiv_id = f"2405.{day:02d}{number:03d}"
            title = (
                f"Paper {day} {number} (Read more on [arXiv](https://arxiv.org/abs/{arxiv_id}) or "
                f"[HuggingFace](https://huggingface.co/papers/{arxiv_id}))"
            )
            rows.append(
                f"| 2024-05-{day:02d} | {title} | Ada Lovelace, Alan Turing | - It works. - It is fast. | N/A |"
            )
        text = (
            f"## Papers for 2024-05-{day:02d}\n\n| Published | Title | Authors | Summary | Code |\n"
            "|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
        )
        (archive / f"2024-05-{day:02d}.md").write_text(text, encoding="utf-8")
    (archive / "team.md").write_text("| Name | Role |\n|---|---|\n| Ada | lead |\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = _invoke(runner, "init", "archive")
    assert code == 0
    assert "confidence 100%: 42 of 42 whole rows" in stdout
    assert re.search(r"Published +date YYYY-MM-DD; 100%", stdout)
    assert re.search(r"Title +compact title with arXiv and Hugging Face links; 100%", stdout)
    assert re.search(r"Code +`N/A`; 100%", stdout)
    assert "| Name | Role |" in stdout and "no column holds arXiv links: left alone" in stdout
    code, stdout, _ = _invoke(runner, "check", "archive")
    assert (code, stdout) == (0, "")
    broken = archive / "2024-05-03.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("| 2024-05-03 |", "| 3 May |", 1), encoding="utf-8")
    code, stdout, _ = _invoke(runner, "check", "archive")
    assert code == 1
    assert "'3 May' is not a date like 2024-11-05" in stdout


def test_the_readme_walk_through_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's "Adopting on an existing archive" commands, run by a shell on a category-first archive."""
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Adopting on an existing archive\n", 1)[1].split("\n## ", 1)[0]
    script = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert script.count("digestlint ") == 4
    build(tmp_path, days=10)
    bin_folder = Path(sys.executable).parent
    environment = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        environment.pop(name, None)
    lines = [line.split("  #", 1)[0].strip() for line in script.splitlines() if line.strip()]
    outcomes = []
    for line in lines:
        done = subprocess.run(
            ["bash", "-c", line], cwd=tmp_path, env=environment, capture_output=True, text=True, check=False
        )
        outcomes.append((line, done.returncode, done.stdout))
    codes = [code for _, code, _ in outcomes]
    assert codes[1] in (0, 1) and codes[:1] + codes[2:] == [0, 0, 0, 0], outcomes  # 1: --fix left findings
    assert "Inferred layout 'inferred'" in outcomes[0][2]
    assert outcomes[-1][2] == ""
    broken = next(iter(sorted((tmp_path / "archive").glob("*.md"))))
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("](https://arxiv.org/abs/", "](http://arxiv.org/abs/", 1), encoding="utf-8")
    last = subprocess.run(
        ["bash", "-c", lines[-1]], cwd=tmp_path, env=environment, capture_output=True, text=True, check=False
    )
    assert last.returncode == 1 and broken.name in last.stdout


def _code_archive(tmp_path: Path, code_cells: list[str]) -> Path:
    """An archive whose layout no built-in knows (Date first), with the given Code cell in each day's rows."""
    archive = tmp_path / "archive"
    archive.mkdir()
    for day in range(1, 7):
        rows = [
            f"| 2024-05-{day:02d} | [Paper {day} {number}](https://arxiv.org/abs/2405.{day:02d}{number:03d}) | "
            f"{code_cells[(day * 6 + number) % len(code_cells)]} |"
            for number in range(6)
        ]
        text = f"## Papers for 2024-05-{day:02d}\n\n| Date | Title | Code |\n|---|---|---|\n" + "\n".join(rows) + "\n"
        (archive / f"2024-05-{day:02d}.md").write_text(text, encoding="utf-8")
    return archive


def test_init_confidence_is_measured_against_the_schema_it_writes(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GitHub link column whose links are not `[Link](…)`: the layout written accepts them, and says 100%
    only for a layout the check then finds nothing in."""
    _code_archive(tmp_path, ["[x](https://github.com/a/b)", "N/A"])
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _invoke(runner, "init", "archive")
    assert code == 0, stderr
    assert "confidence 100%: 36 of 36 whole rows" in stdout
    assert re.search(r"Code +link list .*\(github\.com\) \[github_urls\]; 100% of its cells", stdout), stdout
    code, stdout, _ = _invoke(runner, "check", "archive")
    assert (code, stdout) == (0, "")


def test_init_counts_a_row_as_following_only_when_the_written_schema_accepts_it(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells the shape admits but the written pattern does not (`n/a` where the schema says `N/A`) are not
    counted as following, and the check flags exactly those rows."""
    _code_archive(tmp_path, ["[Link](https://github.com/a/b)", "[Link](https://github.com/a/b)", "n/a"])
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _invoke(runner, "init", "archive")
    assert code == 0, stderr
    assert "confidence 67%: 24 of 36 whole rows" in stdout
    assert re.search(r"Code +link list .*; 67% of its cells", stdout), stdout
    code, stdout, _ = _invoke(runner, "check", "archive", "-o", "json")
    assert code == 1
    assert len(json.loads(stdout)) == 36 - 24


def test_init_names_a_path_the_survey_could_not_take_and_goes_on(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file gone between the walk and the read (as `discover` yields it): one line on stderr naming it, the rest
    surveyed and the layout written, and exit 2 as a check gives."""
    import digestlint.files

    _code_archive(tmp_path, ["[Link](https://github.com/a/b)", "N/A"])
    real = digestlint.files.discover

    def with_a_vanished_file(*args: Any, **kwargs: Any) -> Iterator[Path | OSError]:
        yield FileNotFoundError(2, "No such file or directory", "archive/2024-05-07.md")
        yield from real(*args, **kwargs)

    monkeypatch.setattr(digestlint.files, "discover", with_a_vanished_file)
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = _invoke(runner, "init", "archive")
    assert code == 2
    assert stderr == "digestlint: error: archive/2024-05-07.md: No such file or directory\n"
    assert "Surveyed 6 Markdown files" in stdout and "confidence 100%: 36 of 36 whole rows" in stdout
    assert (tmp_path / "layouts" / "inferred.schema.json").exists()
