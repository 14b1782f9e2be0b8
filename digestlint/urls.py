"""URLs in digest cells: finding them, the arXiv ID in them, and their canonical form.

All scanning is done with `str.find` or anchored patterns without nested
quantifiers, so a hostile cell costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEW_ARXIV_ID = r"[0-9]{2}(?:0[1-9]|1[0-2])\.[0-9]{4,5}(?:v[1-9][0-9]*)?"
OLD_ARXIV_ID = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}(?:v[1-9][0-9]*)?"
# Searching for an old-style ID starts only where a run of letters starts: a match starting inside a run
# (after a letter, or after `letter-`) implies one starting earlier, and without this a long run of
# letters is rescanned from each of its characters, which is quadratic.
_RUN_START = r"(?<![a-z])(?<![a-z]-)"
# The arXiv ID, defined here once: every layout schema's ID pattern must agree (tests/test_cell_grammars.py).
ARXIV_ID = rf"(?:{NEW_ARXIV_ID}|{OLD_ARXIV_ID})"
_ARXIV_ID_FULL = re.compile(rf"^{ARXIV_ID}$")
# Anything that looks like an ID, valid or not, so a bad month is reported rather than missed.
_ID_LIKE = re.compile(
    rf"[0-9]{{4}}\.[0-9]{{4,6}}(?:v[0-9]+)?|{_RUN_START}[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{{2}})?/[0-9]{{7}}(?:v[0-9]+)?"
)
_URL_START = re.compile(r"https?://|(?<![\w.])(?:www\.)?(?:github\.com|huggingface\.co|hf\.co|arxiv\.org)/", re.I)
_VERSION = re.compile(r"v[0-9]+$")


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a cell: its text (None for a bare URL), target, and offsets of the target."""

    text: str | None
    url: str
    start: int
    end: int


def find_links(value: str) -> list[Link]:
    """Markdown links `[text](url)` and bare URLs, in order; linear in the cell's length."""
    links: list[Link] = []
    position = 0
    length = len(value)
    brackets = True  # False once no `](` remains: stop looking for Markdown links
    bare = _URL_START.search(value)
    # The next `[` and `](` are searched again only once `position` passes them: searching afresh for
    # every bare URL before a distant `[` would rescan the same stretch each time (quadratic).
    bracket = close = -1
    while position < length:
        if bare is not None and bare.start() < position:
            bare = _URL_START.search(value, position)
        if brackets and bracket < position:
            bracket = value.find("[", position)
            if bracket != -1 and close < bracket:
                close = value.find("](", bracket)
        if bracket == -1 or close == -1:
            brackets = False
            bracket = -1
        if bracket == -1 and bare is None:
            break
        if bare is not None and (bracket == -1 or bare.start() < bracket):
            end = bare.start()
            while end < length and not value[end].isspace() and value[end] not in ",;|<>()[]":
                end += 1
            links.append(Link(None, value[bare.start() : end], bare.start(), end))
            position = max(end, bare.start() + 1)
            continue
        target_end = value.find(")", close + 2)
        if target_end == -1:
            links.append(Link(value[bracket + 1 : close], value[close + 2 :], close + 2, length))
            break
        links.append(Link(value[bracket + 1 : close], value[close + 2 : target_end], close + 2, target_end))
        position = target_end + 1
    return links


def host_of(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    return rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def path_of(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    return rest.split("/", 1)[1] if "/" in rest else ""


def arxiv_id_in(url: str) -> str | None:
    """The arXiv ID an `arxiv.org/abs|pdf/...` or `huggingface.co/papers/...` URL points at, if valid."""
    path = path_of(url)
    for prefix in ("abs/", "pdf/", "papers/"):
        if path.startswith(prefix):
            candidate = path[len(prefix) :].removesuffix(".pdf").rstrip("/")
            return candidate if _ARXIV_ID_FULL.match(candidate) else None
    return None


def id_like_in(url: str) -> str | None:
    match = _ID_LIKE.search(path_of(url))
    return match.group(0) if match else None


def strip_version(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id) if "v" in arxiv_id else arxiv_id


def is_valid_arxiv_id(candidate: str) -> bool:
    return _ARXIV_ID_FULL.match(candidate) is not None


def missing_scheme(url: str) -> bool:
    """Whether a URL lacks its scheme: `//host/...`, or a known host written bare (`hf.co/org/model`)."""
    if "://" in url:
        return False
    if url.startswith("//"):
        return True
    host = url.split("/", 1)[0].lower()
    return host.removeprefix("www.") in KNOWN_HOSTS or host == "hf.co"


def with_scheme(url: str) -> str:
    """`url` with `https://` in front when it has no scheme (see `missing_scheme`), else `url` itself."""
    return "https://" + url.lstrip("/") if missing_scheme(url) else url


def canonical_url(url: str) -> str:
    """The canonical form of a URL: https, lower-case host without `www.`, `hf.co` spelled out,
    no `.git` suffix on GitHub repositories, no trailing slash on a path.

    Only hosts we know (and `*.github.io` project pages) are rewritten in scheme and name; any
    URL loses a trailing slash on its path. The query and the fragment are never touched, and a
    bare host keeps its root slash (`https://huggingface.co/` is the site's page, as written).
    A URL without its scheme (`hf.co/org/model`) is read with `https://`.
    """
    url = with_scheme(url)
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = len(rest)
    for mark in ("?", "#"):
        found = rest.find(mark)
        if found != -1:
            cut = min(cut, found)
    rest, tail = rest[:cut], rest[cut:]
    host, slash, path = rest.partition("/")
    lowered = host.lower()
    if lowered.startswith("www.") and lowered[4:] in KNOWN_HOSTS:
        lowered = lowered[4:]
    if lowered == "hf.co":
        lowered = "huggingface.co"
    if lowered in KNOWN_HOSTS or lowered.endswith(".github.io"):
        scheme = "https"
    host = lowered
    if host == "github.com" and path.rstrip("/").count("/") <= 1:
        path = path.rstrip("/").removesuffix(".git")
    path = path.rstrip("/") if path.rstrip("/") or not slash else path
    canonical = f"{scheme.lower()}://{host}"
    if path:
        canonical += "/" + path
    elif slash and not path:
        canonical += "/"  # the root slash of a bare host stays: removing it changes no page and pleases no pattern
    return canonical + tail


KNOWN_HOSTS = frozenset({"github.com", "huggingface.co", "arxiv.org"})


def github_repo_parts(url: str) -> list[str]:
    return [part for part in path_of(url).split("/") if part]
