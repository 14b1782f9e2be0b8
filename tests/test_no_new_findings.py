"""A fix never creates a finding that was not there before.

Over every fixture case, every seed and generated archives at 4%, 20% and 60%
defect rates, safe and unsafe: each finding after fixing must have been there
before, on the same row (rows keep their order: the safety net checks their
number) with the same code. The one exception is a row that did not fit its
layout before (a split row, a stray pipe, a missing cell: DL102/DL103/DL104;
a header no layout matched: DL101), whose other defects it hid and its repair
reveals.

Through the public API (the CLI adds nothing here and would cost minutes).
"""

from __future__ import annotations

import bisect
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.archive import generate_archive
from digestlint.api import check_text, fix_text
from digestlint.model import Violation
from digestlint.parse import parse
from digestlint.settings import Settings
from tests.conftest import SEEDS
from tests.fixture_cases import discover_cases

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


def _row_keys(text: str, violations: list[Violation]) -> tuple[Counter[tuple[int, str]], set[int]]:
    """Each finding as (row index or -1 outside rows, code), counted; and the rows a HIDING finding is on."""
    document = parse(text, "day.md", SETTINGS.layouts)
    rows = [row for table in document.tables for row in table.rows]
    starts = [row.first_line for row in rows]
    keys: Counter[tuple[int, str]] = Counter()
    hiding: set[int] = set()
    for violation in violations:
        index = bisect.bisect_right(starts, violation.line) - 1
        if index < 0 or violation.line > rows[index].last_line:
            index = -1
        keys[(index, violation.code)] += 1
        if violation.code in HIDING:
            hiding.add(index)
        if violation.code == UNKNOWN_LAYOUT:
            hiding.update(range(len(rows)))
    return keys, hiding


def _new_findings(text: str, unsafe: bool) -> list[str]:
    before = check_text(text, "day.md", SETTINGS)
    fixed = fix_text(text, "day.md", SETTINGS, unsafe=unsafe)
    if fixed.error is not None or fixed.text == text:
        return []
    assert fixed.text is not None
    old, hiding = _row_keys(text, before.findings)
    new, _ = _row_keys(fixed.text, fixed.findings)
    return [
        f"row {index}: {code} x{count}"
        for (index, code), count in sorted(new.items())
        if count > old.get((index, code), 0) and index not in hiding
    ]


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
    old, _ = _row_keys(text, check_text(text, "day.md", SETTINGS).findings)
    broken = text.replace("https://huggingface.co/x/y/", "https://huggingface.co")
    new, _ = _row_keys(broken, check_text(broken, "day.md", SETTINGS).findings)
    assert [key for key in new if key not in old]
