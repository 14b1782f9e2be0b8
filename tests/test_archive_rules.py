"""Content rules across an archive laid out as archive/YYYY/MM/DD.md, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import SEEDS


def _day(date: str, rows: list[str]) -> str:
    header = "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |"
    delimiter = "|-------|---------|---------|----------------|-------------|-----------------|"
    return f"\n\n## Papers for {date}\n\n{header}\n{delimiter}\n" + "\n".join(rows) + "\n"


def _row(arxiv_id: str, tags: str = "'Multimodal'") -> str:
    return f"| [Paper {arxiv_id}](https://arxiv.org/abs/{arxiv_id}) | A. Author | A summary. | [{tags}] | N/A | N/A |"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "archive" / "2024" / "10"
    root.mkdir(parents=True)
    (root / "22.md").write_text(_day("2024-10-22", [_row("2410.00001"), _row("2410.00002")]), encoding="utf-8")
    (root / "23.md").write_text(_day("2024-10-24", [_row("2410.00003")]), encoding="utf-8")
    (root / "25.md").write_text(
        _day("2024-10-25", [_row("2410.00002"), _row("2410.00004", "'Natural Language Procesing'")]),
        encoding="utf-8",
    )
    return tmp_path / "archive"


def test_wrong_date_cross_file_duplicate_and_misspelled_tag(archive: Path) -> None:
    result = CliRunner().invoke(main, ["archive", "-o", "json"])
    assert result.exit_code == 1
    found = {(f["path"], f["line"], f["code"]): f["message"] for f in json.loads(result.output)}
    assert set(found) == {
        ("archive/2024/10/23.md", 3, "DL403"),
        ("archive/2024/10/22.md", 8, "DL406"),
        ("archive/2024/10/25.md", 7, "DL406"),
        ("archive/2024/10/25.md", 8, "DL302"),
    }
    assert "2024-10-24" in found[("archive/2024/10/23.md", 3, "DL403")]
    assert "archive/2024/10/25.md:7" in found[("archive/2024/10/22.md", 8, "DL406")]
    assert "did you mean 'Natural Language Processing'?" in found[("archive/2024/10/25.md", 8, "DL302")]


def test_cross_file_window_and_off(archive: Path) -> None:
    (archive.parent / ".digestlint.toml").write_text("cross-file-window = 2\n", encoding="utf-8")
    codes = [f["code"] for f in json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)]
    assert "DL406" not in codes  # 2024-10-22 and 2024-10-25 are three days apart
    (archive.parent / ".digestlint.toml").write_text("cross-file-window = 3\n", encoding="utf-8")
    codes = [f["code"] for f in json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)]
    assert codes.count("DL406") == 2
    (archive.parent / ".digestlint.toml").write_text("cross-file-window = 0\n", encoding="utf-8")
    codes = [f["code"] for f in json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)]
    assert "DL406" not in codes


def test_archive_option_finds_duplicates_without_reporting_other_files(archive: Path) -> None:
    result = CliRunner().invoke(main, ["archive/2024/10/25.md", "--archive", "archive", "-o", "json"])
    findings = json.loads(result.output)
    assert {f["path"] for f in findings} == {"archive/2024/10/25.md"}
    assert any(f["code"] == "DL406" and "archive/2024/10/22.md:8" in f["message"] for f in findings)


def test_config_errors_name_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "day.md").write_text((SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8"))
    (tmp_path / "pyproject.toml").write_text("[tool.digestlint]\nselec = ['DL1']\ncross-file-window = 'x'\n")
    result = CliRunner().invoke(main, ["day.md"])
    assert result.exit_code == 2
    assert "pyproject.toml" in result.output
    assert "'selec': unknown key" in result.output and "'cross-file-window'" in result.output


def test_select_ignore_most_specific_prefix_wins(tmp_path: Path) -> None:
    seed = str(next(SEEDS.glob("003_*.md")))
    runner = CliRunner()
    assert runner.invoke(main, [seed, "--ignore", "DL2"]).exit_code == 0
    assert runner.invoke(main, [seed, "--ignore", "DL2", "--extend-select", "DL206"]).exit_code == 1
    assert runner.invoke(main, [seed, "--select", "DL1"]).exit_code == 0
    assert runner.invoke(main, [seed, "--select", "DL9x"]).exit_code == 2


def test_inline_suppressions(tmp_path: Path) -> None:
    text = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    target = tmp_path / "day.md"
    for comment, expected in [
        ("<!-- digestlint-disable-file -->", 0),
        ("<!-- digestlint-disable DL206 -->", 0),
        ("<!-- digestlint-disable DL5 -->", 1),
    ]:
        target.write_text("\n".join([comment, *lines]), encoding="utf-8")
        assert CliRunner().invoke(main, [str(target)]).exit_code == expected, comment


def test_cross_file_duplicates_respect_suppressions_and_per_file_ignores(archive: Path) -> None:
    day = archive / "2024" / "10" / "25.md"
    text = day.read_text(encoding="utf-8")
    day.write_text("<!-- digestlint-disable-next-line DL406 -->\n" + text.lstrip("\n"), encoding="utf-8")
    findings = json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)
    dl406 = sorted(f["path"] for f in findings if f["code"] == "DL406")
    assert dl406 == ["archive/2024/10/22.md", "archive/2024/10/25.md"]  # the comment is not on the row's line
    # A comment inside a table would end the table in Markdown: a range around it is the way.
    day.write_text("<!-- digestlint-disable DL406 -->\n" + text + "<!-- digestlint-enable -->\n", encoding="utf-8")
    findings = json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)
    assert sorted(f["path"] for f in findings if f["code"] == "DL406") == ["archive/2024/10/22.md"]
    day.write_text(text, encoding="utf-8")
    (archive.parent / ".digestlint.toml").write_text('per-file-ignores = { "archive/2024/10/22.md" = ["DL406"] }\n')
    findings = json.loads(CliRunner().invoke(main, ["archive", "-o", "json"]).output)
    assert sorted(f["path"] for f in findings if f["code"] == "DL406") == ["archive/2024/10/25.md"]
