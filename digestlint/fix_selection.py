"""Which codes `--fix` may apply: `fixable`, `unfixable`, `extend-fixable` (ruff's options of those names).

Each is a list of codes or prefixes (`ALL`, `DL2`, `DL206`); the most specific prefix that matches a code
decides, as for `select`/`ignore`. `fixable` defaults to every code; `unfixable` takes codes out of it;
`extend-fixable` puts codes back on top of `fixable` (and beats an `unfixable` prefix that is less specific).
A finding whose fix is not allowed is still reported, without its fix (no `[*]`), and `--fix` leaves it alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from digestlint.settings import most_specific as _most_specific


def fix_allowed(
    code: str, fixable: Sequence[str] = (), unfixable: Sequence[str] = (), extend_fixable: Sequence[str] = ()
) -> bool:
    """Whether `--fix` may apply a fix for `code`."""
    allowed = max(_most_specific(code, fixable) if fixable else 0, _most_specific(code, extend_fixable))
    return allowed >= 0 and allowed > _most_specific(code, unfixable)
