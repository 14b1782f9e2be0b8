"""`digestlint export`: one record per paper row, none dropped; a row it cannot read in full carries its problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from digestlint import api
from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS

SEED = CLEAN_SEEDS[0]  # 2024-11-05, eight papers in the full layout
LINES = SEED.read_text(encoding="utf-8").split("\n")
FIRST_ROW = next(index for index, line in enumerate(LINES) if line.startswith("| ["))


def _export(path: Path, *args: str) -> tuple[Result, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["export", "--format", "json", *args, str(path)])
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


def _cells(index: int) -> list[str]:
    return LINES[index].strip().strip("|").split(" | ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def test_rows_that_cannot_be_read_in_full_are_exported_with_their_problems(tmp_path: Path) -> None:
    lines = list(LINES)
    stray = _cells(FIRST_ROW)
    stray[2] = stray[2][:40] + " | " + stray[2][40:]  # a stray pipe in the summary
    lines[FIRST_ROW] = _row(stray)
    missing = _cells(FIRST_ROW + 1)
    del missing[3]  # no classification cell
    lines[FIRST_ROW + 1] = _row(missing)
    digest = tmp_path / "2024-11-05.md"
    digest.write_text("\n".join(lines), encoding="utf-8")
    clean = api.records(SEED.read_text(encoding="utf-8"), path=str(digest))

    result, records = _export(digest)
    assert result.exit_code == 0
    assert "2 paper rows could not be read in full" in result.stderr
    assert len(records) == len(clean) == 8  # one record per paper row
    first, second, *rest = records
    # What can be told for sure is kept; what cannot is left empty, never taken from a shifted cell.
    assert (first["title"], first["arxiv_id"]) == (clean[0].title, clean[0].arxiv_id)
    assert first["classification"] == list(clean[0].classification or ())
    assert first["summary"] == ""
    assert [problem["code"] for problem in first["problems"]] == ["DL104"]
    assert (second["arxiv_id"], second["classification"]) == (clean[1].arxiv_id, None)
    assert second["github_urls"] == list(clean[1].github_urls)
    assert [problem["code"] for problem in second["problems"]] == ["DL102"]
    assert all(problem["message"] for problem in first["problems"] + second["problems"])
    assert [record["problems"] for record in rest] == [[]] * 6
    assert [record["line"] for record in records] == [record.line for record in clean]


def test_a_table_with_a_misspelled_header_is_exported_with_a_dl101_problem(tmp_path: Path) -> None:
    digest = tmp_path / "2024-11-05.md"
    digest.write_text(SEED.read_text(encoding="utf-8").replace("| Summary |", "| Sumary |"), encoding="utf-8")
    clean = api.records(SEED.read_text(encoding="utf-8"), path=str(digest))
    result, records = _export(digest)
    assert result.exit_code == 0
    assert len(records) == len(clean) == 8
    for record, want in zip(records, clean):
        assert (record["arxiv_id"], record["summary"], record["authors"]) == (want.arxiv_id, want.summary, want.authors)
        assert [problem["code"] for problem in record["problems"]] == ["DL101"]


def test_a_misspelled_header_whose_finding_is_ignored_is_still_its_problem(tmp_path: Path) -> None:
    digest = tmp_path / "2024-11-05.md"
    digest.write_text(SEED.read_text(encoding="utf-8").replace("| Summary |", "| Sumary |"), encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('ignore = ["DL101"]\n', encoding="utf-8")
    result, records = _export(digest)
    assert result.exit_code == 0 and len(records) == 8
    for record in records:  # every cell is there: the header is the problem, not the cell count
        assert [problem["code"] for problem in record["problems"]] == ["DL101"]
        assert "Sumary" in record["problems"][0]["message"]


def test_a_clean_digest_has_no_problems_and_no_warning(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(SEED)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and result.stderr == ""
    assert len(records) == 8 and all(record["problems"] == [] for record in records)


def test_each_file_is_exported_under_its_own_config(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "a/day.md").write_text(text, encoding="utf-8")
    (tmp_path / "b/day.md").write_text(text, encoding="utf-8")
    (tmp_path / "b/.digestlint.toml").write_text('exclude = ["day.md"]\n', encoding="utf-8")
    result, records = _export(tmp_path)
    assert result.exit_code == 0
    assert {Path(record["path"]).parent.name for record in records} == {"a"}


def test_an_unreadable_file_is_an_error_and_the_others_are_exported(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes("## Papers for 2024-11-05\n\ncafé\n".encode("latin-1"))
    (tmp_path / "good.md").write_bytes(SEED.read_bytes())
    result, records = _export(tmp_path)
    assert result.exit_code == 2
    assert "bad.md" in result.stderr and "not UTF-8" in result.stderr
    assert len(records) == 8
