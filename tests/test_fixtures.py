"""Golden fixtures: every case in tests/fixtures/<CODE>/ checked and fixed through the real CLI.

Adding a case is adding files; tests/fixtures/README.md says which. With
DIGESTLINT_REGENERATE=1 the expectations are rewritten from what the code
does today instead of compared: read every changed file before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_cases import (
    FIXTURES,
    REGENERATE,
    UNSAFE_MARKER,
    Case,
    check_command,
    copy_inputs,
    discover_cases,
    fix_command,
    fixed_path,
    invoke,
)

CASES = discover_cases()
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _expected_exit(findings: list[str]) -> int:
    if any(" DL100 " in line for line in findings):
        return EXIT_ERROR  # an unreadable file is an I/O error as well as a finding
    return EXIT_FINDINGS if findings else EXIT_CLEAN


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_findings(case: Case, tmp_path: Path) -> None:
    copy_inputs(case, tmp_path)
    result = invoke(check_command(case), tmp_path)
    findings = result.stdout.splitlines()
    if REGENERATE:
        case.expected_path.write_text(result.stdout, encoding="utf-8")
    assert case.expected_path.exists(), f"{case.id}: no {case.expected_path.name}; regenerate, then review it"
    expected = case.expected_path.read_text(encoding="utf-8").splitlines()
    assert findings == expected
    assert result.exit_code == _expected_exit(findings), result.output
    assert result.stderr == ""


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_fixed_text(case: Case, tmp_path: Path) -> None:
    """`--fix` (`--fix --unsafe-fixes` for `.unsafe` cases) writes `<input>.fixed.md`, or changes nothing."""
    copy_inputs(case, tmp_path)
    result = invoke(fix_command(case), tmp_path)
    for source in case.inputs:
        written = (tmp_path / source.name).read_bytes()
        golden = fixed_path(source)
        if REGENERATE:
            if written != source.read_bytes():
                golden.write_bytes(written)
            elif golden.exists():
                golden.unlink()
        expected = golden.read_bytes() if golden.exists() else source.read_bytes()
        assert written.decode("utf-8", "replace") == expected.decode("utf-8", "replace")
        assert written == expected
    if not any(" DL100 " in line for line in case.expected_path.read_text(encoding="utf-8").splitlines()):
        assert result.exit_code in (EXIT_CLEAN, EXIT_FINDINGS), result.output


def _codes(case: Case) -> set[str]:
    return {line.split(" ")[1] for line in case.expected_path.read_text(encoding="utf-8").splitlines()}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_near_misses_are_named_so(case: Case) -> None:
    """A case fires its folder's rule exactly when its name does not end in `-near-miss`."""
    near_miss = case.name.removesuffix(UNSAFE_MARKER).endswith("-near-miss")
    assert (case.code in _codes(case)) != near_miss


def test_every_rule_has_a_case_that_fires_and_a_near_miss() -> None:
    from digestlint.rules import RULES

    fires = {case.code for case in CASES if case.code in _codes(case)}
    silent = {case.code for case in CASES if case.code not in _codes(case)}
    assert [rule.code for rule in RULES if rule.code not in fires or rule.code not in silent] == []


def test_every_fixture_file_belongs_to_a_case() -> None:
    """A typo in a file name would otherwise leave an expectation that nothing checks."""
    known: set[Path] = {FIXTURES / "README.md"}
    for case in CASES:
        known |= {case.source, case.expected_path, case.folder / f"{case.name}.args"}
        known |= {path for source in case.inputs for path in (source, fixed_path(source))}
        if case.is_folder:
            known |= set(case.source.iterdir())  # a folder case may bring a config and layout schemas
    stray = sorted(
        str(path.relative_to(FIXTURES)) for path in FIXTURES.rglob("*") if path.is_file() and path not in known
    )
    assert stray == []
