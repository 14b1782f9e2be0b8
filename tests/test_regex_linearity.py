"""Every regular expression digestlint runs stays linear on 1 MB hostile strings.

The patterns are collected, not listed: compiled patterns at module level in
every digestlint module, literal patterns passed to `re.*` calls anywhere in
the source, and every `pattern` in the built-in layout schemas (which run
through Python's `re` in the fast path). A new regex is covered the day it
is added. Each is run with `search` and `fullmatch` against a battery of
runs built from the characters that make patterns backtrack (at 256 KB, so
the battery stays fast), and the runs crafted against each pattern, which
made several of them quadratic before, at 1 MB.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import digestlint
from tests.conftest import ROOT
from tests.linearity import assert_linear, repeat_to

PACKAGE = Path(digestlint.__file__).resolve().parent

# (prefix, repeated fragment, suffix): runs that make typical patterns backtrack.
HOSTILE_RUNS: tuple[tuple[str, str, str], ...] = (
    ("", "a", "!"),
    ("", "a-", "!"),
    ("", "1", "x"),
    ("", " ", "x"),
    ("", "-", "x"),
    ("", "[", ""),
    ("", "](", ""),
    ("[", "\\]", ""),
    ("[", "a", "](https://arxiv.org/abs/"),
    ("", "\\", "|"),
    ("v", "1", "x"),
    ("", "www.", ""),
    ("", "<!--digestlint-enable", ""),
    ("papers for", " ", "x"),
    ("", "_2024-01-01x.a", ""),
    ("", "/2024/01/01.aaaa", ""),
    ("['", "a', '", ""),
    ("[Link](https://github.com/a/", "a", ""),
    ("[Link](https://github.com/a/b", "/a", ""),
    ("", "[Link](https://github.com/a/b), ", "x"),
    ("[Link](https://huggingface.co/", ".", ""),
    ("T", " (Read more on [arXiv](https://arxiv.org/abs/", ""),
    ("", "https://", ""),
    ("", "<a ", ""),
    ("[Link](https://huggingface.co/a", "?#", ""),
)


def _module_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="digestlint."):
        if info.name == "digestlint.__main__":
            continue  # running it is the CLI
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{name}", value


def _literal_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Literal patterns given to `re.<function>(...)` calls in the source."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                yield where, re.compile(node.args[0].value)


def _schema_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    def walk(node: Any, where: str) -> Iterator[tuple[str, re.Pattern[str]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    yield where, re.compile(value)
                else:
                    yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}/{index}")

    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        yield from walk(json.loads(path.read_text(encoding="utf-8")), path.name)


def _all_patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: dict[str, tuple[str, re.Pattern[str]]] = {}
    for where, pattern in (*_module_patterns(), *_literal_patterns(), *_schema_patterns()):
        found.setdefault(pattern.pattern, (where, pattern))  # the module's compiled one, with its flags, first
    return sorted(found.values(), key=lambda item: item[0])


PATTERNS = _all_patterns()


def test_the_collection_finds_the_patterns_we_know_about() -> None:
    names = {where for where, _ in PATTERNS}
    for expected in ("digestlint.parse._SUPPRESSION", "digestlint.urls._ID_LIKE", "digestlint.rules.dates._PATH_FLAT"):
        assert expected in names
    assert any(where.startswith("full.schema.json") for where in names)
    assert any(where.startswith("digestlint/layouts.py") for where in names)  # a literal given to re.match
    assert len(PATTERNS) >= 20


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[where for where, _ in PATTERNS])
@pytest.mark.slow
def test_pattern_is_linear_on_hostile_runs(where: str, pattern: re.Pattern[str]) -> None:
    def run_all(texts: object) -> None:
        assert isinstance(texts, list)
        for text in texts:
            pattern.search(text)  # tries every start position: where backtracking goes quadratic
            pattern.fullmatch(text)

    for prefix, fragment, suffix in HOSTILE_RUNS:
        assert_linear(
            f"{where} on {prefix!r} + {fragment!r}*k + {suffix!r}",
            lambda size, p=prefix, f=fragment, s=suffix: [repeat_to(f, size, p, s)],  # type: ignore[misc]
            run_all,
            large_size=1 << 18,
        )


# Runs crafted against particular patterns (by where they are defined), run at 1 MB.
CRAFTED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "digestlint.parse._SUPPRESSION": ((" ", "digestlint-enable ", ""), ("", "digestlint-disable DL1", "")),
    "digestlint.parse._DELIMITER_CELL": (("", " ", "x"), ("-", " ", "x"), ("", ":-", "x")),
    "digestlint.urls._ID_LIKE": (("", "a", "!"), ("", "a-", "!"), ("", "1234.", "")),
    "digestlint.urls._URL_START": (("", "www.", ""), ("", "http:/", "")),
    "digestlint.urls._ARXIV_ID_FULL": (("", "a-", "/"), ("", "a", "/")),
    "digestlint.urls._VERSION": (("v", "1", "x"), ("", "v1", "x")),
    "digestlint.rules.dates._LOOSE_DATE_HEADING": (("papers for", " ", "x"), ("papers for", " :", "x")),
    "digestlint.rules.dates._PATH_FLAT": (("", "_2024-01-01x.a", ""), ("-2024-01-01", "x", "")),
    "digestlint.rules.dates._PATH_NESTED": (("", "/2024/01/01.aaaa", ""),),
    "digestlint.rules.formatting._WHITESPACE_RUN": (("", " x", ""),),
}
SCHEMA_CRAFTED: tuple[tuple[str, str, str], ...] = (
    ("[", "a", "](https://arxiv.org/abs/"),
    ("[", "\\]", ""),
    ("", "](", ""),
    ("['", "a', '", ""),
    ("[Link](https://github.com/a/", "a", ""),
    ("[Link](https://github.com/a/b", "/a", ""),
    ("", "[Link](https://github.com/a/b), ", "x"),
    ("[Link](https://huggingface.co/", ".", ""),
    ("T", " (Read more on [arXiv](https://arxiv.org/abs/", ""),
)


def _crafted_cases() -> list[tuple[str, re.Pattern[str], tuple[str, str, str]]]:
    by_where = dict(PATTERNS)
    cases = [(where, by_where[where], run) for where, runs in CRAFTED.items() for run in runs]
    cases += [(where, pattern, run) for where, pattern in PATTERNS if ".schema.json" in where for run in SCHEMA_CRAFTED]
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("where", "pattern", "run"), _crafted_cases(), ids=lambda value: str(value)[:40])
def test_pattern_is_linear_on_crafted_megabyte(where: str, pattern: re.Pattern[str], run: tuple[str, str, str]) -> None:
    prefix, fragment, suffix = run

    def search(text: object) -> None:
        assert isinstance(text, str)
        pattern.search(text)
        pattern.fullmatch(text)

    assert_linear(f"{where} on {run!r}", lambda size: repeat_to(fragment, size, prefix, suffix), search)
