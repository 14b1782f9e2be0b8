"""The link-list cell grammar, in one place: `N/A` or `[Link](url), [Link](url)`.

Reading a cell's URLs (for records), recovering them from a malformed cell (for
DL203's fix), writing them in the canonical form, and telling whether a cell is
already in it. Like `tags.py` for Classification cells: pure functions over a
cell's text, linear in its length.
"""

from __future__ import annotations

from digestlint.urls import find_links

# What generators write for "no link"; only `N/A` is canonical.
NA_VALUES = frozenset({"n/a", "na", "none", "-", "--", "null", "nil", ""})
CANONICAL_NA = "N/A"


def link_urls(value: str) -> tuple[str, ...]:
    """The URLs a link cell lists, whitespace inside each removed; none for an `N/A`-like cell."""
    if value.strip().casefold() in NA_VALUES:
        return ()
    return tuple("".join(link.url.split()) for link in find_links(value))


def recover_links(value: str) -> list[str] | None:
    """The URLs of a malformed link cell, when the cell holds nothing but links and separators."""
    text = value.strip()
    if text.casefold() in NA_VALUES:
        return []
    links = find_links(text)
    if not links:
        return None
    pieces: list[str] = []
    position = 0
    for link in links:  # the text around the links, in one pass: splicing each link out would be quadratic
        begin = link.start if link.text is None else text.rfind("[", position, link.start)
        pieces.append(text[position : max(begin, position)])
        position = link.end if link.text is None else link.end + 1
    pieces.append(text[position:])
    leftover = " ".join(pieces).replace("<br>", " ").replace("<br/>", " ").replace(",", " ").replace(";", " ")
    if leftover.split() and leftover.split() != ["and"] * len(leftover.split()):
        return None
    urls = [link.url for link in links]
    if any(not url.startswith(("http://", "https://")) or any(c.isspace() for c in url) for url in urls):
        return None
    return urls


def format_links(urls: list[str]) -> str:
    """The canonical cell for `urls`: `[Link](u1), [Link](u2)`, or `N/A` for none."""
    return ", ".join(f"[Link]({url})" for url in urls) if urls else CANONICAL_NA


def is_canonical_list(value: str) -> bool:
    """Whether a cell is written exactly as `format_links` writes its links."""
    if value == CANONICAL_NA:
        return True
    links = find_links(value)
    return (
        bool(links)
        and all(link.text == "Link" for link in links)
        and value == format_links([link.url for link in links])
    )
