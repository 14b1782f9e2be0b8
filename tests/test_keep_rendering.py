"""`format` applies a fix only when the digest renders as it did (`rendering.KeepRendering`).

Most verdicts are read off the document's tables without rendering the whole text (a row fixed and
not, under its table's header); each such verdict must be what rendering the whole text says. And
whatever `format` writes renders as its input did, on every fixture, seed and a defective archive.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.archive import generate_archive
from digestlint import api
from digestlint.checker import Check
from digestlint.fixer import apply_edits
from digestlint.model import Document, Fix
from digestlint.parse import parse
from digestlint.rendering import KeepRendering, rendering, same_rendering
from digestlint.rules import FORMATTING_CODES
from digestlint.settings import Settings
from tests.conftest import SEEDS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMATTING = dataclasses.replace(Settings(), restrict=FORMATTING_CODES)


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    archive = generate_archive(tmp_path_factory.mktemp("archive"), days=40, seed=11, defect_rate=0.08)
    paths = [*sorted(archive.root.rglob("*.md")), *sorted(SEEDS.glob("*.md")), *sorted(FIXTURES.glob("DL*/*.md"))]
    return [(str(path), path.read_text(encoding="utf-8", errors="replace")) for path in paths]


def _fixes(text: str, path: str) -> Iterator[tuple[Document, str, Fix]]:
    document = parse(text, path, FORMATTING.layouts)
    for violation in Check(document, FORMATTING).fixable():
        if violation.fix is not None:
            yield document, violation.code, violation.fix


def test_every_fix_allowed_unread_leaves_the_rendering_as_it_was(texts: list[tuple[str, str]]) -> None:
    """A verdict read off the tables: True must be what rendering the whole text says. False may be
    cautious (a refused fix only waits for --fix), but not for a row Markdown reads: there it is exact."""
    keep = KeepRendering()
    verdicts: Counter[tuple[str, bool | None]] = Counter()
    for path, text in texts:
        for document, code, fix in _fixes(text, path):
            verdict = keep.verdict(document, fix)
            verdicts[code, verdict] += 1
            if verdict is None:
                continue
            same = same_rendering(text, apply_edits(text, [fix])[0])
            if verdict or document.position(fix.start)[0] not in keep._regular(document).irregular:
                assert verdict == same, (path, code, fix)
    # The shortcut is taken, both ways: rows formatted in place, split rows refused.
    assert verdicts["DL501", True] > 20
    assert verdicts["DL103", False] > 20


def test_format_output_renders_as_its_input(texts: list[tuple[str, str]]) -> None:
    changed = 0
    for path, text in texts:
        report = api.format_text(text, path=path)
        assert report.text is not None
        if report.text != text:
            changed += 1
            assert rendering(report.text) == rendering(text), path
            assert api.format_text(report.text, path=path).text == report.text, path  # idempotent
    assert changed > 30


def test_a_wrong_verdict_is_caught_by_the_test_above(texts: list[tuple[str, str]]) -> None:
    """The differential check can fail: a keeper that calls every row fix harmless is contradicted."""

    class Careless(KeepRendering):
        def verdict(self, document: Document, fix: Fix) -> bool | None:
            return True

    keep = Careless()
    contradicted = 0
    for path, text in texts:
        for document, _code, fix in _fixes(text, path):
            if not same_rendering(text, apply_edits(text, [fix])[0]):
                contradicted += keep.verdict(document, fix) is True
    assert contradicted > 0
