"""Checking that work grows linearly with input size, without asserting wall-clock times.

An input is timed at 64 KB and at 1 MB (or another pair sixteen times apart). Linear work
takes about 16x as long, quadratic work 256x; the bound of 48x sits far
from both. A 1 MB time under the noise floor is not judged (a quadratic
cost on a megabyte is never that small), and a failing ratio is measured
once more before it counts, because the machine is shared (unless it is far
off, so a regression is not run three times). Times are this process's CPU time,
not wall-clock time: another process taking the core does not count against us. A quarter-size input is timed
before the large one: a cost already quadratic there fails the test before the
large input can run for minutes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial

SMALL, LARGE = 1 << 16, 1 << 20
MAX_RATIO = 48.0
NOISE_FLOOR_SECONDS = 0.05


def _best_time(action: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    enabled = gc.isenabled()
    gc.disable()  # a collection landing inside one timing is noise
    try:
        for _ in range(repeats):
            start = time.process_time()
            action()
            best = min(best, time.process_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best


def assert_linear(
    label: str, make: Callable[[int], object], run: Callable[[object], object], *, large_size: int = LARGE
) -> None:
    """`make(size)` builds an input of about `size` characters; `run(input)` must take time linear in it.

    The small input is 1/16 of `large_size` (1 MB unless given).
    """
    small_size = large_size // 16
    small = make(small_size)
    before = _best_time(partial(run, small), repeats=3)
    quarter = make(large_size // 4)
    middle = _best_time(partial(run, quarter), repeats=1)
    # Linear work takes 4x as long on 4x the input, quadratic 16x; 12x is measured twice before it counts.
    if middle > NOISE_FLOOR_SECONDS / 4 and middle / max(before, NOISE_FLOOR_SECONDS / 16) >= MAX_RATIO / 4:
        middle = min(middle, _best_time(partial(run, quarter), repeats=1))
    early = middle / max(before, NOISE_FLOOR_SECONDS / 16)
    assert middle <= NOISE_FLOOR_SECONDS / 4 or early < MAX_RATIO / 4, (
        f"{label}: {small_size} -> {large_size // 4} characters took {before:.4f}s -> {middle:.4f}s "
        f"({early:.0f}x for 4x the input): super-linear"
    )
    large = make(large_size)
    after = _best_time(partial(run, large), repeats=1)
    ratio = after / max(before, NOISE_FLOOR_SECONDS / 16)
    if after > NOISE_FLOOR_SECONDS and MAX_RATIO <= ratio < 3 * MAX_RATIO:
        before = min(before, _best_time(partial(run, small), repeats=5))
        after = min(after, _best_time(partial(run, large), repeats=2))
    # A small time below what the noise floor allows is noise: it must not make a linear cost look quadratic.
    ratio = after / max(before, NOISE_FLOOR_SECONDS / 16)
    if after > NOISE_FLOOR_SECONDS and MAX_RATIO <= ratio < 3 * MAX_RATIO:
        # Still borderline: a one-off jump between two sizes (the small input fits the CPU's caches, the
        # large one does not; a regex's backtracking stack outgrows its first allocation) looks like
        # growth. One step further up, from the large input to 4x it, both are past such a jump:
        # linear work takes 4x as long there, quadratic work 16x.
        larger = _best_time(partial(run, make(large_size * 4)), repeats=1)
        step = larger / after
        assert step < MAX_RATIO / 4, (
            f"{label}: {small_size} -> {large_size} -> {large_size * 4} characters took {before:.4f}s -> "
            f"{after:.4f}s -> {larger:.4f}s ({ratio:.0f}x for 16x the input, then {step:.0f}x for 4x): super-linear"
        )
        return
    assert after <= NOISE_FLOOR_SECONDS or ratio < MAX_RATIO, (
        f"{label}: {small_size} -> {large_size} characters took {before:.4f}s -> {after:.4f}s "
        f"({ratio:.0f}x for 16x the input): super-linear"
    )


def repeat_to(fragment: str, size: int, prefix: str = "", suffix: str = "") -> str:
    """`prefix + fragment * k + suffix` of about `size` characters."""
    return prefix + fragment * max(1, (size - len(prefix) - len(suffix)) // max(1, len(fragment))) + suffix
