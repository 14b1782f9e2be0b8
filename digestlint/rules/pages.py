"""DL209-DL211: link-cell URLs that are readable but not what the column asks for.

A URL without its scheme, a project page in a repository column, and a Hugging
Face page that names no model, dataset, space or paper. Each is one defect with
one code, so a maintainer can accept a class (say, project pages) by ignoring
its code, and DL203/DL204 keep to malformed lists and genuinely foreign hosts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from digestlint.layouts import ColumnSpec
from digestlint.model import Cell, Row, Violation
from digestlint.rules.base import Context, Rule, quote
from digestlint.urls import canonical_url, find_links, host_of, missing_scheme, path_of, with_scheme

_LINK_CODES = ("DL203",)
# Hugging Face pages that list things rather than being one: alone (no owner/name after them) they name nothing.
_HF_INDEXES = frozenset({"models", "datasets", "spaces", "papers", "collections", "organizations", "docs", "blog"})


def _rejected_link_cells(context: Context) -> Iterator[tuple[ColumnSpec, Row, Cell]]:
    """Link cells the layout schema rejected (a URL without scheme or on a foreign host always fails it)."""
    for table, row, cell, _ in context.findings_for(_LINK_CODES):
        assert table.layout is not None
        spec = table.layout.columns[row.cells.index(cell)]
        if spec.kind == "link-list":
            yield spec, row, cell


def _page_findings(
    rule: Rule,
    context: Context,
    cells: Iterable[tuple[ColumnSpec, Row, Cell]],
    what_of: Callable[[str], str | None],
    advice: Callable[[ColumnSpec], str],
) -> Iterator[Violation]:
    """A finding for each link in `cells` that `what_of` names a page of the wrong kind ("URL is WHAT, ADVICE")."""
    for spec, row, cell in cells:
        for link in find_links(cell.value):
            what = what_of(link.url)
            if what is None:
                continue
            context.claim(row, spec.name)
            message = f"{quote(link.url)} is {what}, {advice(spec)}"
            yield context.cell_violation(rule, row, cell, message, within=(link.start, link.end))


# A Hugging Face URL with at most one path segment (then the end of the URL): what an unspecific page
# looks like, as one cheap scan per cell before any link is parsed. No nested quantifier: linear.
_SHORT_HF_URL = re.compile(r"(?:huggingface|hf)\.co(?:/[^/\s,()\[\]?#]*)?/?(?=[)\s,]|$)", re.IGNORECASE)


def _short_hf_link_cells(context: Context) -> Iterator[tuple[ColumnSpec, Row, Cell]]:
    """Every link cell of a row that fits its layout (as DL104 reads a row with stray pipes) and may
    hold an unspecific Hugging Face URL."""
    for table, row in context.rows_as_read():
        layout = table.layout
        assert layout is not None
        for spec, cell in zip(layout.columns, row.cells):
            if spec.kind == "link-list" and _SHORT_HF_URL.search(cell.value):
                yield spec, row, cell


class UrlMissingScheme(Rule):
    """A link whose URL has no scheme: `hf.co/org/model`, `//huggingface.co/org/model`, `github.com/owner/repo`.

    A URL in a link column that starts with `//` or with a known host
    (`github.com`, `huggingface.co`, `hf.co`, `arxiv.org`, with or without
    `www.`) and no `https://`. It is one defect, reported once under this code,
    not as a malformed list (DL203) or a foreign host (DL204).

    Why it matters: GitHub renders `[Link](hf.co/org/model)` as a link relative
    to the digest itself, so the reader lands on a 404 page.

    Example:

        [Link](hf.co/openai/whisper), [Link](//huggingface.co/openai/whisper-large)

    Correction:

        [Link](https://huggingface.co/openai/whisper), [Link](https://huggingface.co/openai/whisper-large)

    Fix safety: always safe: the fix adds `https://`, which is what every browser
    does with the host already written, so the page linked does not change (DL206
    then writes the canonical host).
    """

    code = "DL209"
    name = "url-missing-scheme"
    fixable = "always"
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        for spec, row, cell in _rejected_link_cells(context):
            for link in find_links(cell.value):
                url = link.url
                if not missing_scheme(url) or any(char.isspace() for char in url):
                    continue
                context.claim(row, spec.name)
                good = with_scheme(url)
                fix = context.span_fix(row, cell, [(link.start, link.end, good)], "safe", f"write {good}")
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(url)} has no scheme, so it links relative to the digest; write {good}",
                    fix,
                    within=(link.start, link.end),
                )


class ProjectPage(Rule):
    """A project page (`*.github.io`) in a column for repositories.

    A `https://OWNER.github.io/...` URL in a link column whose layout accepts
    `github.com` (the "GitHub URLs" column of the built-in `full` layout). It has
    its own code so that an archive that accepts project pages there can ignore
    it (`ignore = ["DL210"]`); foreign hosts stay DL204's.

    Why it matters: the column promises a repository a reader can clone; a
    project page is often all a paper links, but it is not the code.

    Example (the GitHub URLs cell):

        [Link](https://da-code-bench.github.io)

    Correction (the repository the page is built from):

        [Link](https://github.com/yiyihum/da-code)

    Fix: none; which repository builds the page has to be looked up.
    """

    code = "DL210"
    name = "project-page"
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        cells = ((spec, row, cell) for spec, row, cell in _rejected_link_cells(context) if "github.com" in spec.hosts)
        yield from _page_findings(
            self,
            context,
            cells,
            lambda url: None if missing_scheme(url) or not is_project_page(url) else "a project page",
            lambda spec: (
                f"not a repository; link its repository https://github.com/OWNER/REPO in {spec.name!r} or remove it"
            ),
        )


def is_project_page(url: str) -> bool:
    return host_of(canonical_url(url)).endswith(".github.io")


class HuggingfaceNotSpecific(Rule):
    """A Hugging Face URL that names no model, dataset, space or paper: the home page, an owner, an index.

    `https://huggingface.co/` alone, an owner page (`https://huggingface.co/OrgName`)
    or an index page alone (`/models`, `/datasets`, `/spaces`, `/papers`,
    `/collections`) in a link column: the counterpart of DL205 for GitHub. A URL
    with a query or a fragment (a search) is left alone.

    Why it matters: the cell promises the paper's model or data; an owner page
    makes the reader search for it, and usually means the generator cut the URL
    short.

    Example:

        [Link](https://huggingface.co/openai), [Link](https://huggingface.co/datasets)

    Correction:

        [Link](https://huggingface.co/openai/whisper-large-v3)

    Fix: none; the model or dataset has to be looked up.
    """

    code = "DL211"
    name = "huggingface-not-specific"

    def check(self, context: Context) -> Iterator[Violation]:
        yield from _page_findings(
            self,
            context,
            _short_hf_link_cells(context),
            _unspecific_page,
            lambda spec: "not a model, dataset, space or paper; link https://huggingface.co/OWNER/NAME",
        )


def _unspecific_page(url: str) -> str | None:
    """What kind of unspecific Hugging Face page `url` is, or None when it names one thing (or is not one)."""
    if missing_scheme(url) or any(char.isspace() for char in url) or "?" in url or "#" in url:
        return None
    canonical = canonical_url(url)
    if host_of(canonical) != "huggingface.co":
        return None
    parts = [part for part in path_of(canonical).split("/") if part]
    if not parts:
        return "Hugging Face's home page"
    if len(parts) == 1:
        return f"the {parts[0]!r} index" if parts[0].lower() in _HF_INDEXES else "an owner page"
    return None
