"""Property tests (hypothesis, bounded so the default run stays fast).

Any text in -> no exception out, exit code 0/1/2 only. On generated digests
and on mutations of the seeds (rows split at random points, pipes inserted
into summaries, URLs altered, cells dropped, lines shuffled): fixing is
idempotent and keeps every record, or refuses (FixError) and writes nothing.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestlint.checker import check_text
from digestlint.cli import main
from digestlint.fixer import FixError, fix_text
from digestlint.settings import Settings
from tests.conftest import SEEDS
from tests.mutations import digests, mutated_seeds

SETTINGS = Settings()
BOUNDED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKDOWNISH = st.lists(
    st.sampled_from(
        [*"|\\[]()-: \t\n\r`#<>!'\",abcAZ019/.", "](", "https://", "<!--", "-->", "## Papers for 2024-11-05"]
    ),
    max_size=150,
).map("".join)


# Words a fix may add or remove (a canonical heading, `hf.co` spelt out, `www.` and `.git` dropped from
# URLs, link labels); every other word of the file must survive fixing. This checks the data
# independently of the fixer's own safety net. Compared case-folded: a fix may correct a tag's case.
_FIX_VOCABULARY = {
    *("papers", "for", "https", "http", "www", "github", "git", "huggingface", "hf", "co", "arxiv", "org"),
    *("com", "abs", "link", "read", "more"),
}


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"[A-Za-z0-9]+", text)}


def assert_fix_invariants(text: str) -> None:
    try:
        first = fix_text(text, "2024-11-05.md", SETTINGS)
    except FixError as error:
        # Refusing to change a record is the safety net working; fixes that never settle are a bug.
        assert "did not converge" not in str(error), error
        return
    before, after = _words(text), _words(first.text)
    # A word may only disappear into a longer one, and appear from shorter ones: a URL split mid-word is
    # joined without a space.
    lost = {word for word in before - after - _FIX_VOCABULARY if not any(word in other for other in after)}
    invented = {word for word in after - before - _FIX_VOCABULARY if not any(old in word for old in before - after)}
    assert not lost and not invented, f"a fix lost {sorted(lost)} or invented {sorted(invented)}"
    second = fix_text(first.text, "2024-11-05.md", SETTINGS)
    assert second.text == first.text, "fixing twice changed the text again"
    assert not second.applied
    assert first.result is not None
    assert not [v for v in first.result.violations if v.fix is not None and v.fix.applicability == "safe"]


@BOUNDED
@given(st.one_of(st.text(max_size=300), MARKDOWNISH))
def test_any_text_checks_and_fixes_without_exception(text: str) -> None:
    check_any_text(text)


def check_any_text(text: str) -> None:
    check_text(text, "x.md", SETTINGS)
    with contextlib.suppress(FixError):
        fix_text(text, "x.md", SETTINGS)


@settings(max_examples=15, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_through_the_cli_exit_0_1_or_2(data: bytes) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.md"
        path.write_bytes(data)
        for args in ([str(path)], ["--isolated", "--fix", str(path)], ["format", "--check", str(path)]):
            result = runner.invoke(main, args)
            assert result.exit_code in (0, 1, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info


@BOUNDED
@given(digests())
def test_fix_is_idempotent_and_keeps_records_on_generated_digests(text: str) -> None:
    assert_fix_invariants(text)


@BOUNDED
@given(mutated_seeds())
def test_fix_is_idempotent_and_keeps_records_on_mutated_seeds(text: str) -> None:
    assert_fix_invariants(text)


def test_clean_seeds_are_fixed_to_themselves() -> None:
    for seed in sorted(SEEDS.glob("00[01]_*.md")):
        text = seed.read_text(encoding="utf-8")
        assert fix_text(text, seed.name, SETTINGS).text == text


_WHITESPACE_SPELLINGS = st.sampled_from(
    [" ", "  ", "\n", " \n", "  \n", "   \n", "\n  ", "\t", "\t\n", "\n\t", "\\\n", "\\ \n", "\n\n", ""]
)


@BOUNDED
@given(MARKDOWNISH, st.data())
def test_texts_with_the_same_rendering_key_render_to_the_same_html(text: str, data: st.DataObject) -> None:
    """`rendering.rendering`, which `format` compares before it applies a fix, never calls two texts alike
    whose HTML (whitespace folded, as mdformat compares it) differs: respell one whitespace run."""
    from markdown_it import MarkdownIt

    from digestlint.rendering import rendering

    runs = [match.span() for match in re.finditer(r"[ \t\n]+", text)]
    if not runs:
        return
    start, end = data.draw(st.sampled_from(runs))
    other = text[:start] + data.draw(_WHITESPACE_SPELLINGS) + text[end:]
    render = MarkdownIt("commonmark").enable("table").render
    if rendering(text) == rendering(other):
        assert re.sub(r"\s+", " ", render(text)) == re.sub(r"\s+", " ", render(other))
