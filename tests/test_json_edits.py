"""`-o json` carries each fix's edits and each rule's documentation URL, and the edits are enough to fix.

Applying the JSON edits of one pass, as `--fix` chooses them (non-overlapping, in order of
position, each fix whole), then checking again and repeating, writes byte for byte what
`digestlint --fix` writes: on the seeds and on every golden fixture.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from digestlint.files import decode, encode
from digestlint.fixer import MAX_PASSES, apply_edits
from digestlint.model import Edit, Fix
from digestlint.results import rule_url
from tests.conftest import SEEDS
from tests.fixture_cases import Case, check_command, copy_inputs, discover_cases, fix_command, invoke

CASES = discover_cases()
SEED_FILES = sorted(SEEDS.glob("*.md"))


def _offset(line_starts: list[int], location: dict[str, int]) -> int:
    return line_starts[location["row"] - 1] + location["column"] - 1


def _line_starts(text: str) -> list[int]:
    return [0, *(index + 1 for index, character in enumerate(text) if character == "\n")]


def apply_json_pass(findings: list[dict[str, Any]], folder: Path, *, unsafe: bool) -> bool:
    """Apply one pass of the findings' edits to the files in `folder`; whether anything changed."""
    by_path: dict[str, dict[tuple[Edit, ...], Fix]] = {}
    for finding in findings:
        fix = finding["fix"]
        if fix is None or not fix["edits"] or (fix["applicability"] != "safe" and not unsafe):
            continue
        by_path.setdefault(finding["path"], {})
        path = folder / finding["path"]
        source = decode(path.read_bytes(), str(path))
        starts = _line_starts(source.text)
        edits = tuple(
            Edit(_offset(starts, edit["location"]), _offset(starts, edit["end_location"]), edit["content"])
            for edit in fix["edits"]
        )
        # One fix may serve several findings (each duplicate in a cell): it is applied once.
        by_path[finding["path"]][edits] = Fix(edits, fix["applicability"], fix["message"])
    changed = False
    for name, fixes in by_path.items():
        path = folder / name
        source = decode(path.read_bytes(), str(path))
        text, _ = apply_edits(source.text, list(fixes.values()))
        if text != source.text:
            path.write_bytes(encode(source, text))
            changed = True
    return changed


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def _json_fix_equals_fix(case: Case, tmp_path: Path) -> None:
    by_json, by_fix = tmp_path / "json", tmp_path / "fix"
    copy_inputs(case, by_json / case.name if case.is_folder else by_json)
    copy_inputs(case, by_fix / case.name if case.is_folder else by_fix)
    cwd_json = by_json / case.name if case.is_folder else by_json
    cwd_fix = by_fix / case.name if case.is_folder else by_fix

    fixed = invoke(fix_command(case), cwd_fix)
    if "nothing was written" in fixed.stderr:
        pytest.skip("--fix refuses this case (its safety net): there is nothing to reproduce")
    for _ in range(MAX_PASSES):
        result = invoke(check_command(case, "json"), cwd_json)
        findings = json.loads(result.stdout)
        for finding in findings:
            assert finding["url"] == rule_url(finding["code"])
        if not apply_json_pass(findings, cwd_json, unsafe=case.unsafe):
            break
    assert _snapshot(by_json) == _snapshot(by_fix)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_json_edits_reproduce_fix_on_fixtures(case: Case, tmp_path: Path) -> None:
    _json_fix_equals_fix(case, tmp_path)


@pytest.mark.parametrize("seed", SEED_FILES, ids=[seed.name for seed in SEED_FILES])
def test_json_edits_reproduce_fix_on_seeds(seed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copyfile(seed, folder / seed.name)
    case = Case("seeds", seed.name.removesuffix(".md"), folder / seed.name)
    _json_fix_equals_fix(case, tmp_path / "run")


def test_one_pass_of_json_edits_is_the_first_pass_of_fix(tmp_path: Path) -> None:
    """Seed 003 needs one pass: the JSON edits of that pass give exactly the fixed file."""
    folder = tmp_path / "day"
    folder.mkdir()
    day = folder / "003.md"
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", day)
    findings = json.loads(invoke(["check", "--isolated", "-o", "json", "003.md"], folder).stdout)
    assert [finding["fix"]["edits"] for finding in findings if finding["code"] == "DL206"] == [
        [
            {
                "content": "https://github.com/xing0047/cca-llava",
                "location": {"row": 12, "column": 1185},
                "end_location": {"row": 12, "column": 1226},
            }
        ]
    ]
    assert apply_json_pass(findings, folder, unsafe=False)
    by_json = day.read_bytes()
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", day)
    invoke(["check", "--isolated", "--fix", "003.md"], folder)
    assert by_json == day.read_bytes()


def test_a_second_json_run_still_lists_the_edits(tmp_path: Path) -> None:
    """The result cache keeps no edits: a warm run must not serve findings without them."""
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", tmp_path / "003.md")
    runs = [json.loads(invoke(["check", "-o", "json", "003.md"], tmp_path).stdout) for _ in range(2)]
    edits = [[finding["fix"]["edits"] for finding in run if finding["fix"]] for run in runs]
    assert edits[0] and edits[0] == edits[1]
