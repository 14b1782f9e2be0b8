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


def _contradicted(
    keep: KeepRendering, texts: list[tuple[str, str]]
) -> tuple[list[tuple[str, str, Fix]], Counter[tuple[str, bool | None]]]:
    """The verdicts that rendering the whole text contradicts: any True that changes the rendering, and
    any False on a line Markdown reads as a table row (a False elsewhere may be cautious: a refused fix
    only waits for --fix). With the count of verdicts by code."""
    contradicted: list[tuple[str, str, Fix]] = []
    verdicts: Counter[tuple[str, bool | None]] = Counter()
    for path, text in texts:
        for document, code, fix in _fixes(text, path):
            verdict = keep.verdict(document, fix)
            verdicts[code, verdict] += 1
            if verdict is None:
                continue
            cautious = document.position(fix.start)[0] in KeepRendering()._regular(document).irregular
            if (verdict or not cautious) and verdict != same_rendering(text, apply_edits(text, [fix])[0]):
                contradicted.append((path, code, fix))
    return contradicted, verdicts


def test_every_verdict_read_off_the_tables_is_what_rendering_the_text_says(texts: list[tuple[str, str]]) -> None:
    contradicted, verdicts = _contradicted(KeepRendering(), texts)
    assert contradicted == []
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
    """The check above can fail: a keeper that allows every fix unread is contradicted."""

    class Careless(KeepRendering):
        def verdict(self, document: Document, fix: Fix) -> bool | None:
            return True

    contradicted, _ = _contradicted(Careless(), texts)
    assert {code for _path, code, _fix in contradicted} >= {"DL103"}


def test_a_lone_cr_ends_a_line_for_markdown_so_format_renders_the_whole_text() -> None:
    # Markdown breaks lines at a lone CR, digestlint's lines do not: `- item` after it opens a list, and
    # the unpadded row below is that list item's text, not a table row.
    text = (
        "## Papers for 2024-10-23\n\n| Title | Authors | Summary | Link |\n|-------|---------|---------|------|\n"
        "| T1 | A1 | S | [Read more](https://arxiv.org/abs/2410.18971) |\r- item\n"
        "|T2|A2|S|[Read more](https://arxiv.org/abs/2410.18972)|\n"
    )
    formatted = api.format_text(text).text
    assert formatted is not None
    assert rendering(formatted) == rendering(text)


def test_a_whitespace_run_in_a_cell_is_formatted_it_renders_the_same() -> None:
    text = (
        "## Papers for 2024-10-23\n\n| Title | Authors | Summary | Link |\n|-------|---------|---------|------|\n"
        "| T1 | A1 | Sum.  More. | [Read more](https://arxiv.org/abs/2410.18971) |\n"
    )
    settings = dataclasses.replace(Settings(), extend_select=("DL505",))
    assert api.format_text(text, settings=settings).text == text.replace("Sum.  More.", "Sum. More.")


def test_a_refused_row_does_not_keep_the_same_row_elsewhere_from_being_formatted() -> None:
    header = "| Title | Authors | Summary | Link |\n|-------|---------|---------|------|\n"
    row = "|T1|A1|S|[Read more](https://arxiv.org/abs/2410.10001)|\n"
    padded = "| T1 | A1 | S | [Read more](https://arxiv.org/abs/2410.10001) |\n"
    glued = "## Papers for 2024-10-23\n\ntext\n" + header + row  # glued to a paragraph: left unread
    text = glued + "\n## Papers for 2024-10-22\n\n" + header + row
    assert api.format_text(text).text == glued + "\n## Papers for 2024-10-22\n\n" + header + padded
