"""Fixing: convergent, idempotent, record-preserving, and refused when it would lose data.

The main test runs the real CLI over a generated archive with every known defect injected and
compares what `export` gives afterwards with the papers the generator wrote, row for row.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.archive import GeneratedArchive, generate_archive
from digestlint.cli import main
from digestlint.model import Edit, Fix, Violation, fold_whitespace
from digestlint.rules.base import Context
from tests.conftest import SEEDS


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*.md"))}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> GeneratedArchive:
    return generate_archive(tmp_path_factory.mktemp("archive"), days=200, seed=7, defect_rate=0.04)


def test_generated_archive_has_every_defect(archive: GeneratedArchive) -> None:
    from benchmarks.archive import CELL_DEFECTS

    seen = {defect for paper in archive.papers for defect in paper.defects}
    assert set(CELL_DEFECTS) <= seen


def test_fix_converges_is_idempotent_and_keeps_every_record(archive: GeneratedArchive, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    shutil.copytree(archive.root, root)
    runner = CliRunner()
    first = runner.invoke(main, ["--fix", "--unsafe-fixes", "-q", str(root)])
    assert first.exit_code == 1, first.output  # unfixable findings (dropped cells, typos) remain
    assert "error" not in first.output

    # Convergent: what remains has no fix, safe or unsafe.
    remaining = json.loads(runner.invoke(main, [str(root), "-o", "json"]).output)
    assert remaining, "the archive has unfixable defects; they must still be reported"
    assert [finding for finding in remaining if finding["fix"] is not None] == []

    # Idempotent: a second fix writes nothing.
    before = snapshot(root)
    second = runner.invoke(main, ["--fix", "--unsafe-fixes", "-q", str(root)])
    assert second.exit_code == 1
    assert snapshot(root) == before

    # Records: export after fixing gives back what the generator wrote, row for row.
    exported = [json.loads(line) for line in runner.invoke(main, ["export", str(root)]).stdout.splitlines()]
    lossy = {(paper.date, paper.arxiv_id) for paper in archive.papers if paper.lossy}
    assert len(exported) == len(archive.papers)  # every paper row, read in full or not
    # Rows read only in part (their problems listed) are the lossy ones: compare the others.
    got = [
        record for record in exported if not record["problems"] and (record["date"], record["arxiv_id"]) not in lossy
    ]
    want = [paper for paper in archive.papers if not paper.lossy]
    assert len(got) == len(want)
    for record, paper in zip(got, want):
        expected = {
            "date": paper.date,
            "arxiv_id": paper.arxiv_id,
            "title": fold_whitespace(paper.title),
            "authors": fold_whitespace(paper.authors),
            "summary": fold_whitespace(paper.summary),
            "classification": paper.classification,
            "github_urls": paper.github_urls,
            "huggingface_urls": paper.huggingface_urls,
        }
        actual = {
            key: fold_whitespace(record[key]) if key in ("title", "authors", "summary") else record[key]
            for key in expected
        }
        assert actual == expected, paper.defects


def test_diff_applies_with_patch_and_equals_fix(archive: GeneratedArchive, tmp_path: Path) -> None:
    patched, fixed = tmp_path / "patched", tmp_path / "fixed"
    files = sorted(archive.root.rglob("*.md"))[:40]
    for target in (patched, fixed):
        for path in files:
            destination = target / path.relative_to(archive.root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    runner = CliRunner()
    result = subprocess.run(
        [sys.executable, "-m", "digestlint", "--fix", "--unsafe-fixes", "--diff", "."],
        cwd=patched,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("--- ")
    assert snapshot(patched) == snapshot(fixed), "--diff must write nothing"
    subprocess.run(["patch", "-p0", "--quiet"], cwd=patched, input=result.stdout, text=True, check=True)
    assert runner.invoke(main, ["--fix", "--unsafe-fixes", "-q", str(fixed)]).exit_code == 1
    assert snapshot(patched) == snapshot(fixed)


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_format_leaves_generated_digests_byte_identical(seed: str, tmp_path: Path) -> None:
    source = next(SEEDS.glob(f"{seed}_*.md"))
    target = tmp_path / source.name
    shutil.copyfile(source, target)
    runner = CliRunner()
    assert runner.invoke(main, ["format", "--check", str(target)]).exit_code == 0
    assert runner.invoke(main, ["format", str(target)]).exit_code == 0
    assert target.read_bytes() == source.read_bytes()


def test_format_check_names_files_that_would_change(tmp_path: Path) -> None:
    text = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    target = tmp_path / "day.md"
    target.write_text(text.replace("\n\n| Title", "\n| Title"), encoding="utf-8")
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["format", "--check", str(target)])
    assert result.exit_code == 1
    assert "day.md" in result.output
    assert target.read_bytes() == before


def test_format_never_changes_what_a_digest_renders_to_and_says_what_it_left(tmp_path: Path) -> None:
    """A split row renders as two rows: joining it is a repair, which `format` leaves to `--fix` (and
    says so); the rest of the table is formatted around it."""
    from markdown_it import MarkdownIt

    text = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    rows = [index for index, line in enumerate(lines) if line.startswith("| [")]
    space = lines[rows[1]].index(" ", 20)
    lines[rows[1]] = lines[rows[1]][:space] + "\n" + lines[rows[1]][space + 1 :]  # a break inside the title
    lines[rows[2]] = lines[rows[2]].replace(" | ", "|")  # and a row that only needs formatting
    target = tmp_path / "2024-11-05.md"
    target.write_text("".join(lines), encoding="utf-8")
    broken = target.read_text(encoding="utf-8")
    render = MarkdownIt("commonmark").enable("table").render
    runner = CliRunner()

    check = runner.invoke(main, ["format", "--check", str(target)])
    assert check.exit_code == 1 and "Would reformat" in check.stdout, check.output

    formatted = runner.invoke(main, ["format", str(target)])
    assert formatted.exit_code == 0, formatted.output
    assert (
        "note: format left 1 fix in 1 file that would change what the digest renders to (1 \u00d7 DL103 row-split)"
        in formatted.stderr
    )
    after = target.read_text(encoding="utf-8")
    assert after == broken.replace(lines[rows[2]], text.splitlines(keepends=True)[rows[2]])
    assert render(after) == render(broken)

    again = runner.invoke(main, ["format", "--check", str(target)])
    assert again.exit_code == 0 and again.stdout == "", again.output

    stdin = runner.invoke(main, ["format", "-", "--stdin-filename", str(target)], input=broken)
    assert stdin.stdout == after

    fixed = runner.invoke(main, ["--fix", str(target)])
    assert fixed.exit_code == 0, fixed.output
    assert target.read_text(encoding="utf-8") == text


def test_stdin_fix_prints_fixed_text() -> None:
    text = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["--fix", "-"], input=text)
    assert result.stdout == text.replace("cca-llava.git)", "cca-llava)")


def test_safety_net_refuses_a_fix_that_changes_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Corrupt DL206's fix on purpose: it now also rewrites the repository name. Nothing may be written."""
    from digestlint.rules import links

    original_check = links.UrlNotCanonical.check

    def corrupted(self: links.UrlNotCanonical, context: Context) -> Iterator[Violation]:
        for violation in original_check(self, context):
            assert violation.fix is not None
            edit = violation.fix.edits[0]
            bad = Edit(edit.start, edit.end, edit.replacement.replace("cca-llava", "other-repo"))
            yield replace(violation, fix=Fix((bad,), "safe", "corrupted"))

    monkeypatch.setattr(links.UrlNotCanonical, "check", corrupted)
    target = tmp_path / "day.md"
    shutil.copyfile(next(SEEDS.glob("003_*.md")), target)
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["--fix", str(target)])
    assert result.exit_code == 2
    assert "day.md" in result.output and "change the data of row" in result.output
    assert target.read_bytes() == before


def test_a_fix_that_never_converges_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fix that undoes itself forever hits the 10-pass bound: exit 2, file untouched."""
    from digestlint.rules import formatting

    def flip(self: formatting.BlankLines, context: Context) -> Iterator[Violation]:
        text = context.document.text
        end = len(text)
        # Alternate forever between one and two final newlines.
        replacement = "\n" if text.endswith("\n\n") else "\n\n"
        start = end - 2 if text.endswith("\n\n") else end - 1
        yield context.violation(self, start, end, "flip", Fix((Edit(start, end, replacement),), "safe", "flip"))

    monkeypatch.setattr(formatting.BlankLines, "check", flip)
    target = tmp_path / "day.md"
    shutil.copyfile(next(SEEDS.glob("000_*.md")), target)
    before = target.read_bytes()
    result = CliRunner().invoke(main, ["--fix", str(target)])
    assert result.exit_code == 2
    assert "did not converge after 10 passes" in result.output
    assert target.read_bytes() == before


def test_every_split_row_gets_one_dl103_at_its_first_line(archive: GeneratedArchive) -> None:
    result = CliRunner().invoke(main, [str(archive.root), "-o", "json", "--select", "DL103"])
    findings = json.loads(result.output)
    found = sorted((Path(finding["path"]).resolve(), finding["line"]) for finding in findings)
    split = sorted(
        (Path(paper.path).resolve(), paper.line)
        for paper in archive.papers
        if any(defect.startswith("split") for defect in paper.defects)
    )
    assert len(split) > 100
    assert found == split


def test_split_rows_cause_no_cascade(tmp_path: Path) -> None:
    """A split row is one finding, not a finding per continuation line."""
    text = (SEEDS / "000_515fa1aceb584d49.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[6] = (
        lines[6]
        .replace(" Robustness of ", "\n  Robustness of ", 1)
        .replace(" - The benchmark ", "\n - The benchmark ", 1)
    )
    lines[7] = lines[7].replace("https://github.com/", "https://github.\ncom/", 1)
    target = tmp_path / "day.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    findings = json.loads(CliRunner().invoke(main, [str(target), "-o", "json"]).output)
    assert [(finding["line"], finding["code"]) for finding in findings] == [(7, "DL103"), (10, "DL103")]
