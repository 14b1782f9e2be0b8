"""What a table cell looks like: the shapes `digestlint init` infers a layout from.

Each cell gets one shape; a column's shape is the one most of its cells have (`guess_column`). The
patterns of the paper links (arXiv title link, compact title, `[Read more](…)`) are the built-in
layouts' own, so a cell has a shape exactly when the built-in column of that kind would accept it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digestlint.layouts import LayoutSet
from digestlint.linklists import NA_VALUES
from digestlint.tags import parse_tags
from digestlint.urls import find_links, host_of

ARXIV_TITLE = "arxiv-title"
COMPACT_TITLE = "compact-title"
ARXIV_LINK = "arxiv-link"
TAG_LIST = "tag-list"
LINK_LIST = "link-list"
NA = "n/a"
DATE = "date"
CATEGORY = "category"
WORD = "word"  # a short value; a column of few distinct ones is a CATEGORY, else NAMES or TEXT
NAMES = "names"
TEXT = "text"
EMPTY = "empty"

DESCRIPTIONS = {
    ARXIV_TITLE: "arXiv title link `[Title](https://arxiv.org/abs/ID)`",
    COMPACT_TITLE: "compact title with arXiv and Hugging Face links",
    ARXIV_LINK: "arXiv link `[Read more](https://arxiv.org/abs/ID)`",
    TAG_LIST: "tag list `['A', 'B']`",
    LINK_LIST: "link list `[text](url), …` or `N/A`",
    NA: "`N/A`",
    DATE: "date YYYY-MM-DD",
    CATEGORY: "category word",
    WORD: "short text",
    NAMES: "list of names",
    TEXT: "free text",
    EMPTY: "empty",
}
MAX_CATEGORIES = 20
_DATE = re.compile(r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$")
_SENTENCE_END = re.compile(r"[a-z]{2}\.(?:\s|$)")  # a word ending a sentence; an initial (`A. Author`) does not
_LINK_ITEM = re.compile(r"^\[[^\[\]]*\]\(\s*\S+\s*\)$")


@dataclass(frozen=True)
class Shapes:
    """The built-in layouts' patterns for the paper-link shapes."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def from_layouts(cls, layouts: LayoutSet) -> Shapes:
        found: dict[str, re.Pattern[str]] = {}
        for layout in layouts.layouts:
            for column in layout.columns:
                if column.kind in (ARXIV_TITLE, COMPACT_TITLE, ARXIV_LINK) and column.kind not in found:
                    for constraint in layout.constraints.get(column.name, ()):
                        if constraint.pattern is not None and not constraint.negate:
                            found[column.kind] = constraint.pattern
        return cls(tuple(found.items()))

    def of(self, value: str) -> str:
        """The shape of one cell's text."""
        if not value:
            return EMPTY
        if value.casefold() in NA_VALUES:
            return NA
        if _DATE.match(value):
            return DATE
        for shape, pattern in self.patterns:
            if pattern.search(value):
                return shape
        if value.startswith("[") and value.endswith("]") and "](" not in value:
            parsed = parse_tags(value)
            if parsed.tags and not parsed.ambiguous:
                return TAG_LIST
        if "](" in value or "://" in value:
            items = [item.strip() for item in value.split(", ")]
            if all(_LINK_ITEM.match(item) for item in items):
                return LINK_LIST
            return TEXT
        if len(value) <= 40 and "," not in value and len(value.split()) <= 3:
            return WORD
        if _is_names(value):
            return NAMES
        return TEXT


def _is_names(value: str) -> bool:
    """A comma-separated list of short names (`Bin Hu, Junyu Zhang, Ray2333`), not sentences."""
    if _SENTENCE_END.search(value) or value.endswith(".") or len(value) > 2000:
        return False
    parts = [part.strip() for part in value.split(",")]
    return all(part and len(part) <= 60 and len(part.split()) <= 5 for part in parts)


@dataclass
class ColumnGuess:
    name: str
    shape: str
    confidence: float  # the share of the column's cells that have its shape
    categories: tuple[str, ...] = ()
    hosts: frozenset[str] = frozenset()
    field: str | None = None
    empty_share: float = 0.0
    mean_length: float = 0.0
    accepted: frozenset[str] = frozenset()  # the cell shapes the column's shape admits
    link_lists: tuple[str, ...] = ()  # the distinct cells that are link lists
    shapes: Shapes | None = None

    def accepts(self, value: str) -> bool:
        """Whether a cell follows the column's shape (checked on the cell's value alone)."""
        if self.shape == CATEGORY:
            return value in self.categories
        return self.shapes is not None and self.shapes.of(value) in self.accepted


def _accepted(shape: str) -> frozenset[str]:
    if shape == LINK_LIST:
        return frozenset({LINK_LIST, NA})
    if shape == NAMES:
        return frozenset({NAMES, WORD})
    if shape == TEXT:
        return frozenset({TEXT, NAMES, WORD, DATE})  # free text may look like anything short
    return frozenset({shape})


def guess_column(name: str, values: Sequence[str], shapes: Shapes) -> ColumnGuess:
    """The shape most of a column's cells have, and how many have it."""
    total = len(values) or 1
    kinds = Counter(shapes.of(value) for value in values)
    empty_share = kinds[EMPTY] / total
    mean_length = sum(len(value) for value in values) / total
    link_lists = tuple(dict.fromkeys(value for value in values if shapes.of(value) == LINK_LIST))
    hosts = frozenset(
        host_of(link.url).casefold().removeprefix("www.") for value in link_lists for link in find_links(value)
    )
    if kinds[LINK_LIST] and kinds[LINK_LIST] + kinds[NA] >= total / 2:
        shape = LINK_LIST
    else:
        filled = Counter({kind: count for kind, count in kinds.items() if kind != EMPTY})
        shape = filled.most_common(1)[0][0] if filled else TEXT
    categories: tuple[str, ...] = ()
    if shape == WORD:
        words = Counter(value for value in values if shapes.of(value) == WORD)
        frequent = [word for word, count in words.most_common() if count >= 2 or total < MAX_CATEGORIES]
        if len(frequent) <= MAX_CATEGORIES and sum(words[word] for word in frequent) >= 0.9 * sum(words.values()):
            shape, categories = CATEGORY, tuple(sorted(frequent))
        else:
            shape = NAMES if kinds[NAMES] + kinds[WORD] >= 0.6 * total and kinds[NAMES] else TEXT
    elif shape == NAMES and kinds[NAMES] + kinds[WORD] < 0.6 * total:
        shape = TEXT
    guess = ColumnGuess(
        name,
        shape,
        0.0,
        categories=categories,
        hosts=hosts if shape == LINK_LIST else frozenset(),
        link_lists=link_lists if shape == LINK_LIST else (),
        empty_share=empty_share,
        mean_length=mean_length,
        accepted=_accepted(shape),
        shapes=shapes,
    )
    # The share of cells the shape admits; `digestlint init` measures it again against the schema it writes.
    guess.confidence = sum(1 for value in values if guess.accepts(value)) / total
    return guess
