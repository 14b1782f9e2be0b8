"""Row -> PaperRecord: what a row says about one paper, read by its layout's column kinds.

Records are plain frozen dataclasses: they are built for every row of every
file, and pydantic's import and validation cost would dominate a check. The
`export` command serialises them through a pydantic model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from digestlint.layouts import Layout
from digestlint.linklists import link_urls
from digestlint.model import Row, fold_whitespace
from digestlint.tags import normal_tag, parse_tags
from digestlint.urls import arxiv_id_in, canonical_url, find_links, id_like_in

COMPACT_MARKER = " (Read more on "


@dataclass(frozen=True, slots=True)
class PaperRecord:
    path: str
    line: int
    date: str | None
    layout: str
    title: str = ""
    arxiv_id: str | None = None
    huggingface_paper_id: str | None = None
    authors: str = ""
    summary: str = ""
    classification: tuple[str, ...] | None = None
    github_urls: tuple[str, ...] = ()
    huggingface_urls: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())

    def comparable(self, changes: frozenset[str] = frozenset()) -> tuple[object, ...]:
        """The record with whitespace folded, URLs canonical and tags normalised: what a fix must keep.

        `changes` names the fields the applied fixes may change (their rules' `fix_changes`): those
        are left out, except that link fields declared together are compared as one set (a fix
        moved a URL from one link column to another).
        """
        github = tuple(dict.fromkeys(canonical_url(url) for url in self.github_urls))
        huggingface = tuple(dict.fromkeys(canonical_url(url) for url in self.huggingface_urls))
        if {"github_urls", "huggingface_urls"} <= changes:
            github, huggingface = tuple(sorted(set(github) | set(huggingface))), ()
            changes = changes - {"github_urls", "huggingface_urls"}
        values: dict[str, object] = {
            "date": self.date,
            "title": fold_whitespace(self.title),
            "arxiv_id": self.arxiv_id,
            "huggingface_paper_id": self.huggingface_paper_id,
            "authors": fold_whitespace(self.authors),
            "summary": fold_whitespace(self.summary),
            "classification": tuple(dict.fromkeys(normal_tag(tag) for tag in self.classification or ())),
            "github_urls": github,
            "huggingface_urls": huggingface,
            "links": tuple(canonical_url(url) for url in self.links),
            "extra": tuple((key, fold_whitespace(value)) for key, value in self.extra),
        }
        return tuple(None if name in changes else value for name, value in values.items())


def unescape_angles(text: str) -> str:
    """`&lt;` and `&gt;` as the `<` and `>` a reader sees: escaping a tag-like `<think>` (DL110) changes no data."""
    return text.replace("&lt;", "<").replace("&gt;", ">")


def title_link(value: str) -> tuple[str, str] | None:
    """`[T](url)` -> (T, url), reading the title up to the last `](` so brackets inside it survive."""
    if not (value.startswith("[") and value.endswith(")")):
        return None
    middle = value.rfind("](")
    if middle == -1:
        return None
    return value[1:middle], value[middle + 2 : -1]


def parse_compact_title(value: str) -> tuple[str, str | None, str | None]:
    """`T (Read more on [arXiv](u) or [HuggingFace](v))` -> (T, arXiv URL, HF URL).

    A wrapper the generator did not write (`T - read more on [arXiv](u) or [HuggingFace](v)`) is
    read too, so the paper's ID is not lost; `compact_wrapper` tells the two apart.
    """
    marker = compact_wrapper(value)
    if marker is None:
        return value, None, None
    title = value[: marker[0]]
    arxiv_url = hf_url = None
    for link in find_links(value[marker[0] :]):
        if link.text == "arXiv":
            arxiv_url = link.url
        elif link.text == "HuggingFace":
            hf_url = link.url
    return title, arxiv_url, hf_url


def compact_wrapper(value: str) -> tuple[int, bool] | None:
    """Where a compact title's link wrapper starts, and whether it is the generator's ` (Read more on `.

    Otherwise the last "read more on" in any case, with the dashes, colons, brackets and spaces
    before it, when an `[arXiv](` link follows it. None when the title has no wrapper.
    """
    marker = value.rfind(COMPACT_MARKER)
    if marker != -1:
        return marker, True
    loose = value.casefold().rfind("read more on") if len(value.casefold()) == len(value) else -1
    if loose == -1 or value.find("[arXiv](", loose) == -1:
        return None
    start = loose
    while start > 0 and value[start - 1] in " -–—:([":
        start -= 1
    return start, False


def _id_of(url: str | None) -> str | None:
    if url is None:
        return None
    compact = "".join(url.split())
    return arxiv_id_in(compact) or id_like_in(compact)


def build_record(path: str, date: str | None, layout: Layout, row: Row) -> PaperRecord | None:
    """The record of a row whose cell count matches its layout; None otherwise."""
    if len(row.cells) != len(layout.columns):
        return None
    values: dict[str, object] = {}
    extra: list[tuple[str, str]] = []
    for spec, cell in zip(layout.columns, row.cells):
        value = cell.value.replace("\\|", "|")  # an escaped pipe in a cell is a literal pipe
        if "&" in value and spec.kind != "link-list":
            value = unescape_angles(value)
        if spec.kind == "arxiv-title":
            parsed = title_link(value)
            if parsed is None:
                values["title"] = value
            else:
                values["title"], url = parsed
                values["arxiv_id"] = _id_of(url)
        elif spec.kind == "compact-title":
            title, arxiv_url, hf_url = parse_compact_title(value)
            values["title"] = title
            values["arxiv_id"] = _id_of(arxiv_url)
            values["huggingface_paper_id"] = _id_of(hf_url)
        elif spec.kind == "arxiv-link":
            links = find_links(value)
            values["arxiv_id"] = _id_of(links[0].url) if links else None
        elif spec.kind == "tag-list":
            values["classification"] = parse_tags(value).tags
        elif spec.kind == "link-list":
            urls = link_urls(value)
            if spec.field in ("github_urls", "huggingface_urls"):
                values[spec.field] = urls
            else:
                values["links"] = tuple(values.get("links", ())) + urls  # type: ignore[arg-type]
        elif spec.field in ("title", "authors", "summary"):
            values[spec.field] = value
        else:
            extra.append((spec.name, value))
    return PaperRecord(
        path=path,
        line=row.first_line,
        date=date,
        layout=layout.name,
        extra=tuple(extra),
        **values,  # type: ignore[arg-type]
    )
