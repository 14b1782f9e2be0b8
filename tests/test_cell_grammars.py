"""Each cell grammar is defined once: the layout schemas' arXiv ID patterns agree with `digestlint.urls`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digestlint.urls import ARXIV_ID, is_valid_arxiv_id

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "schemas").glob("*.schema.json"))
LAYOUTS = [path for path in SCHEMAS if "x-digestlint" in json.loads(path.read_text(encoding="utf-8"))]
# Where a schema pattern names a paper: the ID follows one of these.
ID_PREFIXES = (r"arxiv\.org/abs/", r"huggingface\.co/papers/")


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def test_every_layout_is_checked() -> None:
    assert {path.name for path in LAYOUTS} >= {"full.schema.json", "compact.schema.json", "linked.schema.json"}


@pytest.mark.parametrize("schema", LAYOUTS, ids=lambda path: path.name)
def test_the_schema_arxiv_id_is_the_one_in_code(schema: Path) -> None:
    data = json.loads(schema.read_text(encoding="utf-8"))
    assert data["$defs"]["arxiv-id"]["pattern"] == f"^{ARXIV_ID}$"
    uses = 0
    for pattern in _patterns(data["properties"]):
        for prefix in ID_PREFIXES:
            for at in (match.end() for match in re.finditer(re.escape(prefix), pattern)):
                assert pattern[at:].startswith(ARXIV_ID), f"{schema.name}: {pattern[at : at + 60]}"
                uses += 1
    assert uses >= 1


@pytest.mark.parametrize(
    ("candidate", "valid"),
    [("2410.17243", True), ("2410.17243v2", True), ("hep-th/9901001", True), ("2413.17243", False), ("24.1", False)],
)
def test_the_arxiv_id_pattern(candidate: str, valid: bool) -> None:
    assert is_valid_arxiv_id(candidate) is valid
    assert (re.fullmatch(ARXIV_ID, candidate) is not None) is valid
