from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CLEAN_SEEDS = sorted(SEEDS.glob("00[01]_*.md"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def as_reported(violations: object) -> tuple[object, ...]:
    """Findings as a report shows them: a fix's applicability and message, not its edits (which the
    result cache does not keep)."""
    import dataclasses

    from digestlint.model import Fix, Violation

    def strip(violation: Violation) -> Violation:
        fix = violation.fix
        if fix is None:
            return violation
        return dataclasses.replace(violation, fix=Fix((), fix.applicability, fix.message))

    return tuple(strip(violation) for violation in violations)  # type: ignore[attr-defined]
