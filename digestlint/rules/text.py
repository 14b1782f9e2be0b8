"""DL110-DL111: what a title or summary says that a reader never sees, or should never see.

Text GitHub takes for an HTML tag and hides (`<think>`), and boilerplate the
model that wrote a summary left in it ("Here is a summary of ...").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from digestlint.model import Cell, Row, Violation
from digestlint.rules.base import Context, Rule, quote

# `<name ...>` or `</name>`: the name then whitespace, `/` or `>` at once, so `<https://...>` (an autolink)
# and `a <b` are not tags. `[^<>]*` stops at the next `<`: each character is scanned a bounded number of times.
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:[\s/][^<>]*)?>")
_TITLE_KINDS = frozenset({"arxiv-title", "compact-title"})
_TEXT_FIELDS = frozenset({"title", "summary"})


def _text_cells(context: Context) -> list[tuple[str, Row, Cell]]:
    """The title and summary cells of every row that fits its layout (as DL104 reads a row with stray
    pipes), with the column's name (listed once per file for both rules)."""
    found: list[tuple[str, Row, Cell]] | None = context.cache.get("text-cells")
    if found is None:
        found = []
        for table, row in context.rows_as_read():
            layout = table.layout
            assert layout is not None
            for spec, cell in zip(layout.columns, row.cells):
                if spec.kind in _TITLE_KINDS or spec.field in _TEXT_FIELDS:
                    found.append((spec.name, row, cell))
        context.cache["text-cells"] = found
    return found


def _in_code_span(ticks: list[int], position: int) -> bool:
    """Whether `position` lies between an odd and an even backtick (a code span renders `<` as is)."""
    return bisect.bisect_left(ticks, position) % 2 == 1


class HiddenHtmlTag(Rule):
    """Text in a title or summary that GitHub takes for an HTML tag and hides: `<think>`, `<ACTOR>`, `<s>`.

    `<name>`, `</name>` or `<name attr>` in a title or summary cell, outside a
    code span and not escaped, whose name is not in `allowed-html-tags` (default
    `br`, `sub`, `sup`: inline HTML a digest may use on purpose; configure it
    with `allowed-html-tags = ["br", "sub", "sup", "kbd"]`).

    Why it matters: model names and tokens (`<think>`, `<s>`) are common in
    paper titles and summaries; GitHub drops unknown tags and strikes through
    the text after `<s>`, so the reader sees a sentence with a hole in it.

    Example:

        - Trains the model to emit <think> tokens before answering.

    Correction:

        - Trains the model to emit &lt;think&gt; tokens before answering.

    Fix safety: always safe: the escaped text renders as the characters that
    were written, and the paper's record (read with `&lt;` and `&gt;` as `<`
    and `>`) does not change; nothing else in the cell does.
    """

    code = "DL110"
    name = "hidden-html-tag"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        allowed = {tag.casefold() for tag in context.settings.allowed_html_tags}
        for column, row, cell in _text_cells(context):
            value = cell.value
            if "<" not in value:
                continue
            ticks = [index for index, char in enumerate(value) if char == "`"] if "`" in value else []
            for match in _TAG.finditer(value):
                start, end = match.span()
                if match.group(1).casefold() in allowed or value[start - 1 : start] == "\\":
                    continue
                if ticks and _in_code_span(ticks, start):
                    continue
                tag = match.group(0)
                escaped = tag.replace("<", "&lt;").replace(">", "&gt;")
                fix = context.span_fix(row, cell, [(start, end, escaped)], "safe", f"write {escaped}")
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(tag)} in {column} is read as an HTML tag and hidden; write {escaped}",
                    fix,
                    within=(start, end),
                )


class GeneratedBoilerplate(Rule):
    """Boilerplate the generating model left in a title or summary: "Here is a summary of", "As an AI language model".

    Any phrase of `boilerplate-phrases` (compared case-insensitively) in a title
    or summary cell. The default list: "Here is a summary of", "Here's a summary
    of", "following your strict guidelines", "As an AI language model", "I hope
    this summary", "Sure, here is". Set your own list with
    `boilerplate-phrases = ["..."]`; an empty list turns the rule off.

    Why it matters: the phrase is the generator talking to itself, not the
    paper; it tells the reader the summary was not read before it was published.

    Example:

        - Here is a summary of the paper following your strict guidelines: MiniPLM distils ...

    Correction:

        - MiniPLM distils ...

    Fix: none; what to keep of the sentence needs a person.
    """

    code = "DL111"
    name = "generated-boilerplate"

    def check(self, context: Context) -> Iterator[Violation]:
        pattern: re.Pattern[str] | None = context.cache.get("boilerplate")
        if "boilerplate" not in context.cache:
            # Literal phrases in one case-insensitive alternation: one scan per cell, and no pattern a
            # user writes can backtrack (each alternative is a fixed string).
            phrases = sorted({phrase.strip() for phrase in context.settings.boilerplate_phrases if phrase.strip()})
            pattern = re.compile("|".join(re.escape(phrase) for phrase in phrases), re.IGNORECASE) if phrases else None
            context.cache["boilerplate"] = pattern
            context.cache["boilerplate-lower"] = tuple(phrase.lower() for phrase in phrases)
        if pattern is None:
            return
        lowered: tuple[str, ...] = context.cache["boilerplate-lower"]
        for column, row, cell in _text_cells(context):
            text = cell.value.lower()  # a fast filter: most cells hold no phrase at all
            if not any(phrase in text for phrase in lowered):
                continue
            for match in pattern.finditer(cell.value):
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(match.group(0))} in {column} is text the generator left behind; remove it",
                    within=match.span(),
                )
