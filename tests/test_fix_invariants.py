"""What must hold for every fixture case and every seed, whatever the rules say about it.

- Idempotent: fixing the fixed text changes nothing.
- Convergent: the fixed text re-checks with no finding that the same `--fix` would still fix,
  and `digestlint format` would not change it (format and --fix agree).
- Clean input is byte-identical after `--fix`.
- Records are preserved: every paper read before fixing is read after it, with the
  same arXiv ID, title, authors and summary (whitespace folded).

All through the real CLI, as in test_fixtures.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS
from tests.fixture_cases import Case, check_command, copy_inputs, discover_cases, fixable_findings, invoke

SEED_CASES = [Case("seeds", seed.stem, seed) for seed in sorted(SEEDS.glob("*.md"))]
RUNS: list[tuple[Case, bool]] = [(case, case.unsafe) for case in discover_cases()]
RUNS += [(case, unsafe) for case in SEED_CASES for unsafe in (False, True)]
IDS = [f"{case.id}{'[unsafe]' if unsafe else ''}" for case, unsafe in RUNS]


def _fix(case: Case, folder: Path, unsafe: bool) -> dict[str, bytes]:
    command = check_command(case)
    command[-1:-1] = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    invoke(command, folder)
    return {source.name: (folder / source.name).read_bytes() for source in case.inputs}


def _papers(case: Case, folder: Path) -> dict[str, tuple[str, ...]]:
    """arXiv ID -> (title, authors, summary), whitespace folded, from `digestlint export`."""
    targets = [source.name for source in case.inputs]
    result = invoke(["export", "--format", "json", *targets], folder)
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return {
        record["arxiv_id"]: tuple(" ".join(record[key].split()) for key in ("title", "authors", "summary"))
        for record in records
        if record["arxiv_id"] and not record["problems"]  # a row read only in part has no whole data to keep
    }


@pytest.mark.parametrize(("case", "unsafe"), RUNS, ids=IDS)
def test_fix_is_idempotent_convergent_and_keeps_records(case: Case, unsafe: bool, tmp_path: Path) -> None:
    original = {source.name: source.read_bytes() for source in case.inputs}
    copy_inputs(case, tmp_path)
    readable = all(_is_utf8(data) for data in original.values())
    before = _papers(case, tmp_path) if readable else {}
    clean = invoke(check_command(case), tmp_path).stdout == ""

    once = _fix(case, tmp_path, unsafe)
    twice = _fix(case, tmp_path, unsafe)
    assert twice == once, "fixing the fixed text changed it again"

    remaining = fixable_findings(invoke(check_command(case, "json"), tmp_path), unsafe=unsafe)
    assert remaining == [], "the fixed text still has findings that --fix would fix"

    if readable:
        isolated = ["--isolated"] if case.isolated else []
        formatted = invoke(["format", *isolated, "--check", case.target], tmp_path)
        assert formatted.exit_code == 0, f"`format` would still change the fixed text: {formatted.output}"

    if clean:
        assert once == original, "--fix changed a file that has no findings"

    if readable:
        after = _papers(case, tmp_path)
        assert {paper: after.get(paper) for paper in before} == before, "--fix changed a paper's data"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data
