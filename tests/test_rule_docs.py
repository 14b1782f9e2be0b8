"""Every rule's docstring (its documentation: `digestlint rule CODE`, docs/rules.md) has one shape.

    <one line: what it finds.>

    <optional paragraphs: more on what it finds>

    Why it matters: <...>

    Example[ (context)]:

        <the defect, indented>

    Correction[ (context)]:

        <the same, corrected, indented>   (or the correction in words, after the colon)

    Fix safety: <when the fix is safe, and when it is unsafe or there is none>   (a fixable rule)
    Fix: none; <what to do instead>                                                (any other rule)

The sections come in this order, each once (ruff's rule pages are the model).
"""

from __future__ import annotations

import re

import pytest

from digestlint.rules import RULES
from digestlint.rules.base import Rule

SECTION = re.compile(r"^(Why it matters|Example|Correction|Fix safety|Fix)(?: \([^)]*\))?:(.*)$")


def sections(rule: type[Rule]) -> list[tuple[str, str]]:
    """The doc split at its section labels: (label, text), the summary and detail first as ("", text)."""
    found: list[tuple[str, list[str]]] = [("", [])]
    for line in rule.doc().splitlines():
        match = SECTION.match(line)
        if match:
            found.append((match.group(1), [match.group(2).strip()]))
        else:
            found[-1][1].append(line)
    # Blank lines around a section go; the indentation of its block stays.
    return [(label, "\n".join(lines).strip("\n").rstrip()) for label, lines in found]


def indented_block(text: str) -> str:
    """The indented (code) block a section holds, or its text when it has none."""
    lines = [line[4:] for line in text.splitlines() if line.startswith("    ") or not line.strip()]
    return "\n".join(lines).strip("\n") if any(line.strip() for line in lines) else text


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_doc_has_the_house_shape(rule: type[Rule]) -> None:
    parts = sections(rule)
    labels = [label for label, _ in parts]
    fix_label = "Fix safety" if rule.fixable != "never" else "Fix"
    assert labels == ["", "Why it matters", "Example", "Correction", fix_label], (
        f"{rule.code}: sections {labels}; see tests/test_rule_docs.py for the shape"
    )
    text = dict(parts)
    summary = text[""].splitlines()[0]
    assert summary.endswith("."), f"{rule.code}: the first line says what the rule finds, as a sentence"
    assert summary == rule.summary()
    assert len(text["Why it matters"].split()) >= 6, f"{rule.code}: say why the defect matters"
    example, correction = indented_block(text["Example"]), indented_block(text["Correction"])
    assert example and correction and example != correction, f"{rule.code}: an example and its correction"
    assert text["Example"].startswith("    "), (
        f"{rule.code}: the example is an indented block (a code block in docs/rules.md)"
    )
    if rule.fixable == "never":
        assert text["Fix"].startswith("none"), f"{rule.code}: a rule without a fix says so, and what to do"
    else:
        safety = text["Fix safety"]
        assert "safe" in safety and len(safety.split()) >= 12, (
            f"{rule.code}: say when the fix is safe and when it is not (or when there is none)"
        )


def test_section_labels_are_read_as_labels_only_at_a_line_start() -> None:
    class Sample(Rule):
        """A sample that mentions Fix: inline.

        Why it matters: text that says Example: inline is not a section.

        Example:

            bad

        Correction: good

        Fix: none; nothing.
        """

        code = "DL000"
        name = "sample"

    assert [label for label, _ in sections(Sample)] == ["", "Why it matters", "Example", "Correction", "Fix"]
    assert indented_block(dict(sections(Sample))["Correction"]) == "good"
