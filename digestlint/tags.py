"""A small, safe parser for classification cells like `['Multimodal', 'Robotics']`.

No eval, no recursion: one pass over the text with a bounded state machine.
Anything that is not a flat list of quoted strings is reported as unparsed,
so a cell of 100,000 nested brackets costs one linear scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TAG_SEPARATORS = re.compile(r"[\s_-]+")


def normal_tag(tag: str) -> str:
    """A tag's normal form, the one place tags are compared: case, spaces, underscores and hyphens folded."""
    return _TAG_SEPARATORS.sub("", tag.casefold())


@dataclass(frozen=True, slots=True)
class ParsedTags:
    tags: tuple[str, ...]
    canonical: bool  # written exactly as `['A', 'B']`
    ambiguous: bool  # could not be read unambiguously as a flat list of tags


def format_tags(tags: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(f"'{tag}'" for tag in tags) + "]"


def parse_tags(value: str) -> ParsedTags:
    """Read a Classification cell.

    A cell is read by its record and by two rules, and the same short lists recur
    on every day: those are cached (long values are not, to keep memory flat).
    """
    return _parse_short_tags(value) if len(value) <= 256 else _parse_tags(value)


@lru_cache(maxsize=4096)
def _parse_short_tags(value: str) -> ParsedTags:
    return _parse_tags(value)


def _parse_tags(value: str) -> ParsedTags:
    text = value.strip()
    if text in ("", "[]"):
        return ParsedTags((), text == "[]", False)
    if text.startswith("[") and text.endswith("]"):
        quoted = _parse_quoted_list(text[1:-1])
        if quoted is not None:
            return ParsedTags(quoted, format_tags(quoted) == text, False)
        inner = text[1:-1]
    else:
        inner = text
    # Unquoted `A, B` (or `[A, B]`): recoverable when nothing in it is list syntax or quotes.
    if any(char in inner for char in "[]'\"\\(){}"):
        return ParsedTags((), False, True)
    tags = tuple(part.strip() for part in inner.split(","))
    if any(not tag for tag in tags):
        return ParsedTags(tuple(tag for tag in tags if tag), False, True)
    return ParsedTags(tags, False, False)


def _parse_quoted_list(inner: str) -> tuple[str, ...] | None:
    """`'A', "B"` -> ('A', 'B'); None when it is anything else."""
    tags: list[str] = []
    position = 0
    length = len(inner)
    expect_item = True
    while True:
        while position < length and inner[position].isspace():
            position += 1
        if position >= length:
            return tuple(tags) if tags else None  # one trailing comma is list syntax too: `['A', 'B',]`
        char = inner[position]
        if expect_item:
            if char not in "'\"":
                return None
            close = inner.find(char, position + 1)
            if close == -1:
                return None
            tag = inner[position + 1 : close]
            if not tag.strip() or any(c in tag for c in "'\"[]\\"):
                return None
            tags.append(tag.strip())
            position = close + 1
            expect_item = False
        else:
            if char != ",":
                return None
            position += 1
            expect_item = True
