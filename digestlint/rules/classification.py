"""DL3xx: the Classification cell, a list of tags from the Hugging Face task taxonomy."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from digestlint.layouts import vocabulary
from digestlint.model import Cell, Row, Table, Violation
from digestlint.rules.base import Context, Rule, quote
from digestlint.tags import format_tags, normal_tag, parse_tags


def _tag_cells(context: Context) -> Iterator[tuple[Table, Row, Cell, str]]:
    for table, row in context.rows_as_read():  # a stray pipe hides no tag defect
        layout = table.layout
        assert layout is not None
        for spec, cell in zip(layout.columns, row.cells):
            if spec.kind == "tag-list":
                yield table, row, cell, spec.name


def known_tags(context: Context, table: Table) -> frozenset[str]:
    assert table.layout is not None
    key = f"tags:{table.layout.name}"
    if key not in context.cache:
        spec = next(column for column in table.layout.columns if column.kind == "tag-list")
        pointer = str(table.layout.schema["properties"][spec.name].get("x-digestlint", {}).get("vocabulary", ""))
        allowed = vocabulary(table.layout, pointer) if pointer else frozenset()
        context.cache[key] = allowed | frozenset(context.settings.extra_tags)
    result: frozenset[str] = context.cache[key]
    return result


@lru_cache(maxsize=1024)
def close_tags(tag: str, known: frozenset[str]) -> list[str]:
    """Up to two known tags like `tag` (difflib, cutoff 0.6), closest first: one means the answer is known."""
    import difflib

    return difflib.get_close_matches(tag, sorted(known), n=2, cutoff=0.6)


def _by_normal(context: Context, table: Table, known: frozenset[str]) -> dict[str, str]:
    """Known tags by their normal form (case, spaces, hyphens folded), built once per file and layout."""
    assert table.layout is not None
    key = f"tags-by-normal:{table.layout.name}"
    if key not in context.cache:
        context.cache[key] = {normal_tag(tag): tag for tag in known}
    result: dict[str, str] = context.cache[key]
    return result


class ClassificationSyntax(Rule):
    """The Classification cell is not a list of quoted tags.

    The generated form is a Python-style list of single-quoted strings. It is
    read by a small parser (never `eval`).

    Why it matters: tools that read the tags expect that one form; anything else
    loses tags or reads two as one.

    Example:

        ["Multimodal", "Robotics"]

    Correction:

        ['Multimodal', 'Robotics']

    Fix safety: safe when the tags can be read unambiguously: the list is
    rewritten in the generated form with the same tags. No fix when the cell
    could be read as different lists of tags.
    """

    code = "DL301"
    name = "classification-syntax"
    fixable = "sometimes"
    explains = ("DL301",)

    def check(self, context: Context) -> Iterator[Violation]:
        for _, row, cell, finding in context.findings_for(self.explains):
            context.claim(row, finding.column)
            parsed = parse_tags(cell.value)
            fix = None
            if parsed.tags and not parsed.ambiguous:
                fixed = format_tags(parsed.tags)
                fix = context.cell_fix(row, cell, fixed, "safe", f"write {fixed}")
            yield context.cell_violation(
                self,
                row,
                cell,
                f"{quote(cell.value)} is not a list of quoted tags; write it like ['Multimodal', 'Robotics']",
                fix,
            )


class UnknownTag(Rule):
    """A tag that is not in the classification vocabulary.

    The vocabulary is the Hugging Face task taxonomy, kept in
    `schemas/classification-tags.schema.json`; add your own with `extra-tags`
    in config. The message suggests the closest known tag.

    Why it matters: an unknown tag is a typo or an invented category, and
    filters by tag miss the paper.

    Example:

        ['natural language processing']

    Correction:

        ['Natural Language Processing']

    Fix safety: safe when the tag differs from a known one only by case, spaces
    or hyphens: the known spelling of the same tag is written. Unsafe when
    exactly one known tag is close to a misspelling (`Natural Language
    Procesing`, difflib ratio 0.6 or more): it is written, but the misspelling
    may mean another tag, so a person confirms. When two or more tags are
    close, the message suggests the closest and there is no fix.
    """

    code = "DL302"
    name = "unknown-tag"
    fixable = "sometimes"
    fix_changes = frozenset({"classification"})

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row, cell, _ in _tag_cells(context):
            parsed = parse_tags(cell.value)
            if not parsed.tags:
                continue
            known = known_tags(context, table)
            if not known:
                continue
            by_normal = _by_normal(context, table, known)
            for tag in parsed.tags:
                if tag in known:
                    continue
                exact = by_normal.get(normal_tag(tag))
                fix = None
                if exact is not None:
                    suggestion = exact
                    fixed = format_tags([exact if t == tag else t for t in parsed.tags])
                    fix = context.cell_fix(row, cell, fixed, "safe", f"write {exact!r}")
                else:
                    close = close_tags(tag, known)
                    suggestion = close[0] if close else ""
                    if len(close) == 1:  # one answer only: offered, but a misspelling may mean another tag
                        fixed = format_tags([suggestion if t == tag else t for t in parsed.tags])
                        fix = context.cell_fix(row, cell, fixed, "unsafe", f"write {suggestion!r}")
                hint = f"; did you mean {suggestion!r}?" if suggestion else "; use a tag from the vocabulary"
                offset = cell.value.find(tag)
                within = (offset, offset + len(tag)) if offset >= 0 else None
                yield context.cell_violation(self, row, cell, f"unknown tag {tag!r}{hint}", fix, within=within)


class EmptyClassification(Rule):
    """The Classification cell is empty or `[]`.

    Every paper gets at least one tag; `Other` exists for papers that fit nowhere.

    Why it matters: a paper with no tag is missing from every filter by tag.

    Example:

        []

    Correction:

        ['Other']

    Fix: none; choosing a tag needs a person.
    """

    code = "DL303"
    name = "empty-classification"
    explains = ("DL303",)

    def check(self, context: Context) -> Iterator[Violation]:
        for _, row, cell, finding in context.findings_for(self.explains):
            context.claim(row, finding.column)
            yield context.cell_violation(
                self, row, cell, "the classification is empty; give at least one tag (or 'Other')"
            )


class DuplicateTag(Rule):
    """The same tag twice in one Classification list.

    Why it matters: the list says one thing twice, and counts by tag are wrong.

    Example:

        ['Multimodal', 'Robotics', 'Multimodal']

    Correction:

        ['Multimodal', 'Robotics']

    Fix safety: safe: the first copy is kept and the others removed, so no
    distinct tag is lost. No fix when the list cannot be read unambiguously
    (DL301's).
    """

    code = "DL304"
    name = "duplicate-tag"
    fixable = "always"

    def check(self, context: Context) -> Iterator[Violation]:
        for _, row, cell, _ in _tag_cells(context):
            parsed = parse_tags(cell.value)
            seen: set[str] = set()
            for tag in parsed.tags:
                if tag not in seen:
                    seen.add(tag)
                    continue
                fixed = format_tags(list(dict.fromkeys(parsed.tags)))
                fix = None if parsed.ambiguous else context.cell_fix(row, cell, fixed, "safe", f"write {fixed}")
                yield context.cell_violation(self, row, cell, f"tag {tag!r} is listed twice; remove one", fix)
                break
