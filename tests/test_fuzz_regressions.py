"""Inputs the long fuzz run (`python -m benchmarks.fuzz`) found failing, kept as fixtures: each must now
check without exception and fix idempotently, keeping its records. Adding a case is adding a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_properties import assert_fix_invariants, check_any_text

REGRESSIONS = sorted((Path(__file__).resolve().parent / "fuzz" / "regressions").glob("*.md"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[path.name for path in REGRESSIONS])
def test_fuzz_regression(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", "surrogatepass")
    check_any_text(text)
    assert_fix_invariants(text)


def test_the_fuzz_command_saves_a_shrunk_failing_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hypothesis import strategies as st

    from benchmarks import fuzz

    def check(text: str) -> None:
        assert "|" not in text

    failing = fuzz._property("demo", st.text(alphabet="ab|", min_size=1), check)(200)
    assert failing == "|"  # shrunk to the smallest failing input
    monkeypatch.setattr(fuzz, "REGRESSIONS", tmp_path)
    saved = fuzz.save(failing, "demo")
    assert saved.parent == tmp_path and saved.read_text(encoding="utf-8") == "|"
