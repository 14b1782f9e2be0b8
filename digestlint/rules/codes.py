"""Which codes and prefixes name rules, and what a mistyped one probably meant.

A code or prefix is known when it is `ALL` (where the caller allows it) or
when at least one registered code starts with it: `DL2` and `DL204` are
known, `DL999` and `DL9` are not. The registry is passed in, so this module
imports no rule family and anything may use it (config, the CLI, the rules
that judge suppression comments).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from digestlint.rules.base import Rule

_CODE_SHAPE = re.compile(r"^DL[0-9]{0,3}$")
CODE_LENGTH = 5  # DL + three digits


def is_known(code: str, rules: Sequence[type[Rule]], *, allow_all: bool = True) -> bool:
    if code == "ALL":
        return allow_all
    return _CODE_SHAPE.match(code) is not None and any(rule.code.startswith(code) for rule in rules)


def code_problem(code: str, rules: Sequence[type[Rule]], *, allow_all: bool = True) -> str | None:
    """Why `code` names no rule, with a did-you-mean; None when it is known."""
    if is_known(code, rules, allow_all=allow_all):
        return None
    if _CODE_SHAPE.match(code) and len(code) < CODE_LENGTH:
        families = sorted({rule.code[:3] for rule in rules})
        return f"no rule code starts with {code!r} (families: {', '.join(families)})"
    hint = did_you_mean(code, rules)
    return f"unknown rule code {code!r}" + (f"; did you mean {hint}?" if hint else "")


def did_you_mean(word: str, rules: Sequence[type[Rule]]) -> str:
    """The registered code closest to `word`, or the code of the rule whose name it is close to ("" if none)."""
    by_code = {rule.code: rule for rule in rules}
    by_name = {rule.name: rule for rule in rules}
    upper = word.upper()
    if upper in by_code:  # the right code in the wrong case
        return upper
    named = difflib.get_close_matches(word.lower(), list(by_name), n=1, cutoff=0.75)
    if named:  # names are not accepted where codes are: suggest the rule's code
        return f"{by_name[named[0]].code} ({named[0]})"
    codes = difflib.get_close_matches(upper, list(by_code), n=1, cutoff=0.6)
    return codes[0] if codes else ""


def unknown_codes_problem(where: str, codes: Sequence[str], rules: Sequence[type[Rule]]) -> str | None:
    """The first unknown code of a list, as `where: problem`; None when all are known."""
    for code in codes:
        problem = code_problem(code, rules)
        if problem is not None:
            return f"{where}: {problem} (`digestlint rules` lists them)"
    return None
