"""The long fuzz run: hypothesis properties for as many minutes as you give it.

    python -m benchmarks.fuzz --minutes 30

Runs the same properties as tests/test_properties.py (any text -> no
exception; fix idempotent and record-preserving on generated digests and
mutated seeds), with many more examples and a fresh random seed per round.
Each failure, once hypothesis has shrunk it, is saved as a new regression
fixture in tests/fuzz/regressions/ (named by its hash), which
tests/test_fuzz_regressions.py then runs on every test run. Exit 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"


def _property(name: str, strategy: st.SearchStrategy[str], check: Callable[[str], None]) -> Callable[[int], str | None]:
    """A runner of `check` over `examples` inputs; returns the shrunk failing input, or None."""

    def run(examples: int) -> str | None:
        failing: list[str] = []

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=False,
        )
        @given(strategy)
        def prop(text: str) -> None:
            try:
                check(text)
            except Exception:
                failing.append(text)  # the last one recorded is hypothesis's shrunk example
                raise

        try:
            prop()
        except Exception:
            print(f"{name}: FAILED\n{traceback.format_exc(limit=3)}", file=sys.stderr)
            return failing[-1] if failing else None
        return None

    return run


def save(text: str, name: str) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    path = REGRESSIONS / f"{name}-{digest}.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to run (default 5)")
    parser.add_argument("--examples", type=int, default=500, help="examples per property per round")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.mutations import digests, mutated_seeds
    from tests.test_properties import MARKDOWNISH, assert_fix_invariants, check_any_text

    properties = [
        _property("any-text", st.one_of(st.text(max_size=2000), MARKDOWNISH), check_any_text),
        _property("generated", digests(), assert_fix_invariants),
        _property("mutated", mutated_seeds(), assert_fix_invariants),
    ]
    names = ["any-text", "generated", "mutated"]
    deadline = time.monotonic() + args.minutes * 60
    rounds = failures = 0
    while time.monotonic() < deadline:
        rounds += 1
        for name, run in zip(names, properties):
            failing = run(args.examples)
            if failing is not None:
                failures += 1
                print(f"saved {save(failing, name)}", file=sys.stderr)
            if time.monotonic() >= deadline:
                break
    print(f"{rounds} rounds of {args.examples} examples per property; {failures} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
