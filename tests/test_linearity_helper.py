"""`tests.linearity.assert_linear` itself: it fails quadratic work and passes linear work, including
linear work whose cost per character jumps once between two sizes (as when an input outgrows a cache)."""

from __future__ import annotations

import pytest

from tests.linearity import assert_linear


def _work(iterations: int) -> None:
    total = 0
    for index in range(iterations):
        total += index


def test_quadratic_work_fails() -> None:
    with pytest.raises(AssertionError, match="super-linear"):
        assert_linear("quadratic", lambda size: size, lambda size: _work(int(str(size)) ** 2 // 4), large_size=1 << 13)


def test_linear_work_passes() -> None:
    assert_linear("linear", lambda size: size, lambda size: _work(int(str(size)) * 200), large_size=1 << 14)


def test_linear_work_with_one_jump_in_its_cost_passes() -> None:
    # 5x dearer per character from 4,096 characters on: 16x the input takes about 60x as long across the
    # jump, but 4x beyond it.
    def cost(size: object) -> None:
        count = int(str(size))
        _work(count * (800 if count > 4096 else 160))

    assert_linear("a jump", lambda size: size, cost, large_size=1 << 13)
