"""A fix never creates a finding that was not there before.

Over every fixture case, every seed and generated archives at 4%, 20% and 60%
defect rates, safe and unsafe: each finding after fixing must have been there
before, on the same row (rows keep their order: the safety net checks their
number) with the same code. The one exception is a row that did not fit its
layout before (a split row, a stray pipe, a missing cell: DL102/DL103/DL104;
a header no layout matched: DL101), whose other defects it hid and its repair
reveals.

Through the public API (the CLI adds nothing here and would cost minutes), except
for folder fixture cases (DL109, DL406, a folder's own config): those are checked,
fixed in a copy and checked again through the CLI, as a folder, so cross-file
findings and the folder's config count, and compared file by file.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

from benchmarks.archive import generate_archive
from digestlint.api import check_text, fix_text
from digestlint.model import Violation
from digestlint.parse import parse
from digestlint.settings import Settings
from tests.conftest import SEEDS
from tests.fixture_cases import Case, check_command, copy_inputs, discover_cases, invoke

# Findings that say a row did not fit its layout: the row's other defects were hidden behind them.
HIDING = frozenset({"DL102", "DL103", "DL104"})
# A table whose header matched no layout (DL101) had every row's defects hidden.
UNKNOWN_LAYOUT = "DL101"
SETTINGS = Settings()


def _inputs() -> list[tuple[str, str]]:
    """(id, text) of every single-file fixture case and seed that is UTF-8 (DL100's cases are not)."""
    found: list[tuple[str, str]] = []
    sources = [(case.id, case.source) for case in discover_cases() if not case.is_folder]
    sources += [(f"seeds/{seed.stem}", seed) for seed in sorted(SEEDS.glob("*.md"))]
    for name, source in sources:
        try:
            found.append((name, source.read_bytes().decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return found


def _row_keys(text: str, findings: Iterable[tuple[int, str]]) -> tuple[Counter[tuple[int, str]], set[int]]:
    """Each finding, as (line, code), keyed as (row index or -1 outside rows, code) and counted; and the
    rows a HIDING finding is on."""
    document = parse(text, "day.md", SETTINGS.layouts)
    rows = [row for table in document.tables for row in table.rows]
    starts = [row.first_line for row in rows]
    keys: Counter[tuple[int, str]] = Counter()
    hiding: set[int] = set()
    for line, code in findings:
        index = bisect.bisect_right(starts, line) - 1
        if index < 0 or line > rows[index].last_line:
            index = -1
        keys[(index, code)] += 1
        if code in HIDING:
            hiding.add(index)
        if code == UNKNOWN_LAYOUT:
            hiding.update(range(len(rows)))
    return keys, hiding


def _created(
    old_text: str, old_findings: Iterable[tuple[int, str]], new_text: str, new_findings: Iterable[tuple[int, str]]
) -> list[str]:
    """The findings of the fixed text that the text before had not, outside rows that hid defects."""
    old, hiding = _row_keys(old_text, old_findings)
    new, _ = _row_keys(new_text, new_findings)
    return [
        f"row {index}: {code} x{count}"
        for (index, code), count in sorted(new.items())
        if count > old.get((index, code), 0) and index not in hiding
    ]


def _lines_and_codes(findings: Iterable[Violation]) -> list[tuple[int, str]]:
    return [(finding.line, finding.code) for finding in findings]


def _new_findings(text: str, unsafe: bool) -> list[str]:
    before = check_text(text, "day.md", SETTINGS)
    fixed = fix_text(text, "day.md", SETTINGS, unsafe=unsafe)
    if fixed.error is not None or fixed.text == text:
        return []
    assert fixed.text is not None
    return _created(text, _lines_and_codes(before.findings), fixed.text, _lines_and_codes(fixed.findings))


CASES = _inputs()


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixing_a_fixture_or_seed_creates_no_finding(unsafe: bool) -> None:
    problems = {name: found for name, text in CASES if (found := _new_findings(text, unsafe))}
    assert problems == {}


@pytest.mark.parametrize("defect_rate", [0.04, 0.20, 0.60])
def test_fixing_a_generated_archive_creates_no_finding(defect_rate: float, tmp_path: Path) -> None:
    archive = generate_archive(tmp_path, days=6, seed=7, defect_rate=defect_rate)
    problems: dict[str, list[str]] = {}
    for path in archive.files:
        text = path.read_text(encoding="utf-8")
        for unsafe in (False, True):
            found = _new_findings(text, unsafe)
            if found:
                problems[f"{path.name}{' unsafe' if unsafe else ''}"] = found
    assert problems == {}


FOLDER_CASES = [case for case in discover_cases() if case.is_folder]


def _findings_by_file(stdout: str) -> dict[str, list[tuple[int, str]]]:
    """A JSON report's findings as (line, code), by file name (folder cases are flat)."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for finding in json.loads(stdout):
        found[Path(finding["path"]).name].append((finding["line"], finding["code"]))
    return found


@pytest.mark.parametrize("case", FOLDER_CASES, ids=[case.id for case in FOLDER_CASES])
def test_fixing_a_folder_fixture_creates_no_finding(case: Case, tmp_path: Path) -> None:
    """The folder is checked, a copy of it fixed (safe, then unsafe in another copy), and each file's findings
    compared before and after, so a fix in one file that makes a finding in another (DL406) counts too."""
    command = check_command(case, "json")
    before_folder = tmp_path / "before"
    copy_inputs(case, before_folder)
    checked = invoke(command, before_folder)
    assert checked.exit_code in (0, 1), checked.output
    before = _findings_by_file(checked.stdout)
    problems: dict[str, list[str]] = {}
    for unsafe in (False, True):
        folder = tmp_path / ("unsafe" if unsafe else "safe")
        copy_inputs(case, folder)
        fixed = invoke([*command[:-1], "--fix", *(["--unsafe-fixes"] if unsafe else []), case.target], folder)
        assert fixed.exit_code in (0, 1), fixed.output
        after = _findings_by_file(fixed.stdout)
        for source in case.inputs:
            old_text = source.read_text(encoding="utf-8")
            new_text = (folder / source.name).read_text(encoding="utf-8")
            found = _created(old_text, before.get(source.name, []), new_text, after.get(source.name, []))
            if found:
                problems[f"{source.name}{' unsafe' if unsafe else ''}"] = found
    assert problems == {}


def test_a_fix_that_would_create_a_finding_is_caught() -> None:
    """The check itself can fail: a trailing slash removed from a bare host makes DL203 fire where nothing did."""
    row = (
        "| [T](https://arxiv.org/abs/2410.17215) | A | - S. | ['Multimodal'] | N/A "
        "| [Link](https://huggingface.co/x/y/) |\n"
    )
    text = (
        "## Papers for 2024-10-23\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
        "|-------|---------|---------|----------------|-------------|-----------------|\n" + row
    )
    before = _lines_and_codes(check_text(text, "day.md", SETTINGS).findings)
    broken = text.replace("https://huggingface.co/x/y/", "https://huggingface.co")
    assert _created(text, before, broken, _lines_and_codes(check_text(broken, "day.md", SETTINGS).findings))
