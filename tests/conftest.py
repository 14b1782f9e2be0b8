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
