"""DL2xx: arXiv links, link lists and the URLs in them.

The layout schema is the gate: a cell that matches its column's pattern is
fine. The rules here look only at cells the schema rejected (for DL201 and
DL203) and say precisely what is wrong, with a fix where one is certain.
"""

from __future__ import annotations

from collections.abc import Iterator

from digestlint.layouts import ColumnSpec
from digestlint.linklists import format_links, is_canonical_list, recover_links
from digestlint.model import Applicability, Cell, Fix, Row, Violation
from digestlint.records import compact_wrapper, parse_compact_title, title_link
from digestlint.rules.base import Context, Rule, quote
from digestlint.urls import (
    arxiv_id_in,
    canonical_url,
    find_links,
    github_repo_parts,
    host_of,
    id_like_in,
    is_valid_arxiv_id,
    missing_scheme,
    path_of,
    strip_version,
)

_ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
_LINK_CODES = ("DL203",)


def _paper_url(spec_kind: str, value: str) -> tuple[str, int] | None:
    """The arXiv URL of a title/link cell and its offset within the value."""
    if spec_kind == "arxiv-title":
        parsed = title_link(value)
        if parsed is None:
            return None
        return parsed[1], value.rfind("](") + 2
    if spec_kind == "compact-title":
        _, url, _ = parse_compact_title(value)
        if url is None:
            return None
        return url, value.rfind(url)
    links = find_links(value)
    return (links[0].url, links[0].start) if links else None


class ArxivUrl(Rule):
    """The paper link is not a valid arXiv abstract URL.

    Every row links its paper as `https://arxiv.org/abs/ID`, where ID is a
    new-style `YYMM.NNNNN` (4 or 5 digits, optional `vN`) or an old-style
    `archive/YYMMNNN`, with a month 01-12. A compact title whose links sit in
    another wrapper (`T - read more on [arXiv](…) or [HuggingFace](…)`) is
    reported as the wrapper; its arXiv ID is read all the same.

    Why it matters: the paper's arXiv ID is read from this link; a PDF link, an
    old host or an impossible ID breaks de-duplication, exports and the link
    itself.

    Example:

        [T](https://arxiv.org/pdf/2410.17243)

    Correction:

        [T](https://arxiv.org/abs/2410.17243)

    Fix safety: safe for `http://`, `www.` and `export.` hosts: the same page at
    its canonical address. Unsafe for `/pdf/ID` -> `/abs/ID`: another page of
    the same paper. No fix for an impossible ID (`2413.17243`): the right one
    must be looked up.
    """

    code = "DL201"
    name = "arxiv-url"
    fixable = "sometimes"
    explains = ("DL201",)

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row, cell, finding in context.findings_for(self.explains):
            assert table.layout is not None
            spec = table.layout.columns[row.cells.index(cell)]
            value = cell.value
            if spec.kind == "compact-title":
                wrapped = _loose_wrapper(self, context, row, cell)
                if wrapped is not None:
                    context.claim(row, finding.column)
                    yield wrapped
                    continue
            found = _paper_url(spec.kind, value)
            if found is None:
                context.claim(row, finding.column)
                yield context.cell_violation(
                    self, row, cell, f"{quote(value)} has no arXiv link; expected {_expected(spec.kind)}"
                )
                continue
            url, offset = found
            if any(char.isspace() for char in url):
                continue  # DL208 reports whitespace inside the URL
            within = (offset, offset + len(url))
            host = host_of(url).lower()
            arxiv_id = arxiv_id_in(url)
            path = path_of(url)
            if host not in _ARXIV_HOSTS:
                message = f"{quote(url)} is not an arXiv URL; link the paper as https://arxiv.org/abs/ID"
                yield context.cell_violation(self, row, cell, message, within=within)
                context.claim(row, finding.column)
                continue
            if arxiv_id is None:
                candidate = id_like_in(url)
                reason = f"{candidate!r} is not a valid arXiv ID" if candidate else "it has no arXiv ID"
                message = f"{quote(url)}: {reason} (YYMM.NNNNN with month 01-12, or archive/YYMMNNN)"
                yield context.cell_violation(self, row, cell, message, within=within)
                context.claim(row, finding.column)
                continue
            good = f"https://arxiv.org/abs/{arxiv_id}"
            if url == good:
                continue  # the title text or the rest of the cell is what failed
            is_pdf = path.startswith("pdf/")
            applicability: Applicability = "unsafe" if is_pdf else "safe"
            new_value = value[:offset] + good + value[offset + len(url) :]
            fix = context.cell_fix(row, cell, new_value, applicability, f"link {good}")
            what = "a PDF link" if is_pdf else "not the canonical abstract URL"
            yield context.cell_violation(self, row, cell, f"{quote(url)} is {what}; use {good}", fix, within=within)
            context.claim(row, finding.column)


def _loose_wrapper(rule: Rule, context: Context, row: Row, cell: Cell) -> Violation | None:
    """A compact title whose links sit in a wrapper the generator does not write: the finding, or None."""
    value = cell.value
    wrapper = compact_wrapper(value)
    if wrapper is None or wrapper[1]:
        return None
    title, arxiv_url, hf_url = parse_compact_title(value)
    if arxiv_url is None or not title.strip():
        return None
    fix = None
    if hf_url is not None:  # the canonical wrapper names both links; inventing one is not a safe repair
        canonical = f"{title.rstrip()} (Read more on [arXiv]({arxiv_url}) or [HuggingFace]({hf_url}))"
        fix = context.cell_fix(row, cell, canonical, "safe", "write the wrapper as ' (Read more on ...)'")
    message = (
        f"{quote(value[wrapper[0] :])} is not the generator's link wrapper; write "
        "`Title (Read more on [arXiv](https://arxiv.org/abs/ID) or [HuggingFace](https://huggingface.co/papers/ID))`"
    )
    return context.cell_violation(rule, row, cell, message, fix, within=(wrapper[0], len(value)))


def _expected(kind: str) -> str:
    return {
        "arxiv-title": "`[Title](https://arxiv.org/abs/ID)`",
        "compact-title": "`Title (Read more on [arXiv](https://arxiv.org/abs/ID) or "
        "[HuggingFace](https://huggingface.co/papers/ID))`",
    }.get(kind, "`[Read more](https://arxiv.org/abs/ID)`")


class PaperIdMismatch(Rule):
    """Two IDs for one row disagree: the arXiv link and the Hugging Face papers link.

    Compact rows link the paper twice; a HuggingFace URLs cell may link
    `huggingface.co/papers/ID` too. Both must name the same paper.

    Why it matters: one of the two links leads to another paper, and which
    one the row is about is unknown.

    Example:

        T (Read more on [arXiv](https://arxiv.org/abs/2410.17243) or [HuggingFace](https://huggingface.co/papers/2410.17244))

    Correction:

        T (Read more on [arXiv](https://arxiv.org/abs/2410.17243) or [HuggingFace](https://huggingface.co/papers/2410.17243))

    Fix: none; which ID is right needs a person.
    """

    code = "DL202"
    name = "paper-id-mismatch"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows():
            record = context.record_as_read(table, row)  # a stray pipe hides no mismatch
            if record is None or not record.arxiv_id:
                continue
            others = [record.huggingface_paper_id] if record.huggingface_paper_id else []
            others += [arxiv_id_in(url) or "" for url in record.huggingface_urls if path_of(url).startswith("papers/")]
            for other in others:
                if other and is_valid_arxiv_id(other) and strip_version(other) != strip_version(record.arxiv_id):
                    yield context.row_violation(
                        self,
                        row,
                        f"the arXiv link says {record.arxiv_id} but the Hugging Face link says {other}; "
                        "make them name the same paper",
                    )


def _link_cells(context: Context, codes: tuple[str, ...] = _LINK_CODES) -> Iterator[tuple[ColumnSpec, Row, Cell]]:
    for table, row, cell, _ in context.findings_for(codes):
        assert table.layout is not None
        spec = table.layout.columns[row.cells.index(cell)]
        if spec.kind == "link-list":
            yield spec, row, cell


class LinkList(Rule):
    """A link cell that is not `N/A` or a comma-separated list of `[Link](url)`.

    Bare URLs, other separators, other link texts and other spellings of "none"
    (`n/a`, `None`, `-`, an empty cell) are all reported.

    Why it matters: tools that read the archive split link cells by this one
    form; anything else loses links or reads text as a URL.

    Example:

        [Link](https://github.com/a/b); https://github.com/c/d

    Correction:

        [Link](https://github.com/a/b), [Link](https://github.com/c/d)

    Fix safety: safe when every URL is recovered unchanged: the cell is rewritten
    in the canonical form. No fix when a URL cannot be told apart from the text
    around it.
    """

    code = "DL203"
    name = "link-list"
    fixable = "sometimes"
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        for spec, row, cell in _link_cells(context):
            value = cell.value
            if is_canonical_list(value):
                continue
            context.claim(row, spec.name)
            urls = recover_links(value)
            fix = None
            if urls is not None:
                fix = context.cell_fix(row, cell, format_links(urls), "safe", "rewrite as " + quote(format_links(urls)))
            shown = quote(value) if value else "an empty cell"
            yield context.cell_violation(
                self,
                row,
                cell,
                f"{shown} is not `N/A` or a comma-separated list of `[Link](url)`; write it in that form",
                fix,
            )


def _urls_of(cell: Cell) -> Iterator[tuple[str, int]]:
    for link in find_links(cell.value):
        yield link.url, link.start


class LinkHost(Rule):
    """A URL in a column it does not belong to.

    "GitHub URLs" holds GitHub repositories only: another host belongs elsewhere
    (a gist is DL205's, a project page `*.github.io` is DL210's, a URL without
    its scheme is DL209's). "HuggingFace URLs" holds Hugging Face links only.
    The hosts a column accepts are in its layout schema (`x-digestlint.hosts`);
    the message names a column only when the file's layout has one for the host.

    Why it matters: readers and tools expect a repository behind every link in
    the GitHub column and a model, dataset or space behind every Hugging Face
    one.

    Example (the GitHub URLs and HuggingFace URLs cells of a `full` row):

        | [Link](https://huggingface.co/org/model) | N/A |

    Correction:

        | N/A | [Link](https://huggingface.co/org/model) |

    Fix safety: always unsafe: the URL is moved to the column the layout has for
    its host, which changes two cells and guesses that the link belongs to the
    paper at all. No fix when the layout has no column for that host, nor on a
    row with stray pipes until they are escaped (DL104): the move rewrites the
    whole row.
    """

    code = "DL204"
    name = "link-host"
    fixable = "sometimes"
    fix_changes = frozenset({"github_urls", "huggingface_urls"})
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        for spec, row, cell in _link_cells(context):
            if not spec.hosts:
                continue
            move_tried = False
            for url, offset in _urls_of(cell):
                if missing_scheme(url):
                    continue  # DL209's: the host is right, the scheme is missing
                host = canonical_url(url).split("://", 1)[-1].split("/", 1)[0]
                if host in spec.hosts or (host == "gist.github.com" and "github.com" in spec.hosts):
                    continue  # a gist in a GitHub column is DL205's: it is not a repository
                if host.endswith(".github.io") and "github.com" in spec.hosts:
                    continue  # a project page in a repository column is DL210's
                context.claim(row, spec.name)
                target = _column_for_host(context, row, host)
                # A move rewrites the whole row, so one per cell per pass is all that can apply; making one
                # for every misplaced URL of a long cell would cost time quadratic in the cell's length.
                fix = None
                if target and not move_tried:
                    move_tried = True
                    fix = _move_fix(context, row, cell, url, spec, host)
                # Only what the file's layout offers: a column that takes the host, else removal.
                advice = f"move it to {target}" if target else "remove it"
                what = f"not a {' or '.join(spec.hosts)} URL"
                if host.endswith(".github.io"):
                    what = f"a project page, {what}"
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(url)} is {what}; {advice}",
                    fix,
                    within=(offset, offset + len(url)),
                )


def _column_for_host(context: Context, row: Row, host: str) -> str | None:
    table = context.table_of(row)
    if table is not None and table.layout is not None:
        for spec in table.layout.columns:
            if spec.kind == "link-list" and host in spec.hosts:
                return repr(spec.name)
    return None


def _move_fix(context: Context, row: Row, cell: Cell, url: str, spec: ColumnSpec, host: str) -> Fix | None:
    """An unsafe fix moving `url` from this cell to the cell of the column that accepts its host."""
    from digestlint.render import rebuild_row

    table = context.table_of(row)
    if row.is_split or table is None or table.layout is None:
        return None
    if any(id(each) in context.merged_cells for each in row.cells):
        return None  # a row with stray pipes: rebuilding it would escape them, DL104's guess to make
    columns = table.layout.columns
    targets = [index for index, other in enumerate(columns) if other.kind == "link-list" and host in other.hosts]
    if len(targets) != 1 or len(row.cells) != len(columns):
        return None
    values = row.values()
    source = row.cells.index(cell)
    source_urls = recover_links(values[source])
    target_urls = recover_links(values[targets[0]])
    if source_urls is None or target_urls is None or url not in source_urls:
        return None
    source_urls.remove(url)
    target_urls.append(url)
    values[source] = format_links(source_urls)
    values[targets[0]] = format_links(target_urls)
    return rebuild_row(row, values, table.layout, "unsafe", f"move {url} to {columns[targets[0]].name}")


class GithubNotRepo(Rule):
    """A GitHub URL that is not a repository: an owner only, `github.com` alone, or a gist.

    Why it matters: the GitHub column promises a paper's code; an owner page or
    a gist does not lead to it.

    Example:

        [Link](https://github.com/apple)

    Correction:

        [Link](https://github.com/apple/ml-aim)

    Fix: none; the repository has to be looked up.
    """

    code = "DL205"
    name = "github-not-repo"
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        for spec, row, cell in _link_cells(context):
            if "github.com" not in spec.hosts:
                continue
            for url, offset in _urls_of(cell):
                canonical = canonical_url(url)
                host = host_of(canonical)
                if host == "gist.github.com":
                    what = "a gist"
                elif host == "github.com" and len(github_repo_parts(canonical)) < 2:
                    what = "an owner page" if github_repo_parts(canonical) else "GitHub's home page"
                else:
                    continue
                context.claim(row, spec.name)
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(url)} is {what}, not a repository; link https://github.com/OWNER/REPO",
                    within=(offset, offset + len(url)),
                )


class UrlNotCanonical(Rule):
    """A URL not in its canonical form.

    Canonical: `https://` (for known hosts and `*.github.io` pages), a
    lower-case host without `www.`, `huggingface.co` rather than `hf.co`, no
    `.git` suffix on a repository, no trailing slash on a path. The query and
    the fragment are never touched (`#/` stays), and a bare host keeps its root
    slash (`https://huggingface.co/`).

    Why it matters: two spellings of one URL defeat de-duplication and make
    diffs noisy.

    Example:

        [Link](https://github.com/xing0047/cca-llava.git)

    Correction:

        [Link](https://github.com/xing0047/cca-llava)

    Fix safety: always safe: the canonical form names the same page, and only
    the URL changes.
    """

    code = "DL206"
    name = "url-not-canonical"
    fixable = "always"
    explains = _LINK_CODES

    def check(self, context: Context) -> Iterator[Violation]:
        for spec, row, cell in _link_cells(context):
            for url, offset in _urls_of(cell):
                if any(char.isspace() for char in url) or missing_scheme(url):
                    continue  # DL208's and DL209's
                canonical = canonical_url(url)
                if canonical == url:
                    continue
                context.claim(row, spec.name)
                # The URL alone: fixes of other URLs in the cell apply in the same pass.
                fix = context.span_fix(
                    row, cell, [(offset, offset + len(url), canonical)], "safe", f"write {canonical}"
                )
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(url)} is not canonical; write {canonical}",
                    fix,
                    within=(offset, offset + len(url)),
                )


class DuplicateLink(Rule):
    """The same URL twice in one cell (compared in canonical form).

    Why it matters: the reader sees one link twice, and counts of a paper's
    links are wrong.

    Example:

        [Link](https://github.com/a/b), [Link](https://github.com/a/b/)

    Correction:

        [Link](https://github.com/a/b)

    Fix safety: safe: the first copy is kept and the others removed, so no
    distinct link is lost. No fix when the cell is not a readable link list
    (DL203 comes first).
    """

    code = "DL207"
    name = "duplicate-link"
    fixable = "sometimes"

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row in context.rows_as_read():  # a stray pipe hides no duplicate
            assert table.layout is not None
            for spec, cell in zip(table.layout.columns, row.cells):
                if spec.kind != "link-list" or cell.value.count("](") + cell.value.count("://") < 2:
                    continue
                seen: set[str] = set()
                fix = None
                fix_made = False  # one fix serves every duplicate in the cell: made once, not once per duplicate
                for url, offset in _urls_of(cell):
                    key = canonical_url("".join(url.split()))
                    if key not in seen:
                        seen.add(key)
                        continue
                    if not fix_made:
                        fix_made = True
                        fix = _keep_first_links(context, row, cell)
                    yield context.cell_violation(
                        self,
                        row,
                        cell,
                        f"{quote(url)} is already in this cell; remove the duplicate",
                        fix,
                        within=(offset, offset + len(url)),
                    )


def _keep_first_links(context: Context, row: Row, cell: Cell) -> Fix | None:
    """A fix removing every later copy of a link from a link cell.

    In a cell already in the canonical list form, each copy is removed with the `, ` before it,
    and nothing else in the cell is touched (so a URL made canonical elsewhere in the cell, DL206,
    applies in the same pass). Otherwise the cell is rewritten in the canonical form.
    """
    urls = recover_links(cell.value)
    if urls is None:
        return None
    message = "keep the first of each link"
    seen: set[str] = set()
    if format_links(urls) == cell.value:
        removals: list[tuple[int, int, str]] = []
        position = 0
        for url in urls:
            item = len(f"[Link]({url})")
            key = canonical_url(url)
            if key in seen:
                removals.append((position - 2, position + item, ""))  # the item and the ", " before it
            seen.add(key)
            position += item + 2
        return context.span_fix(row, cell, removals, "safe", message)
    firsts: dict[str, str] = {}
    for candidate in urls:
        firsts.setdefault(canonical_url(candidate), candidate)
    return context.cell_fix(row, cell, format_links(list(firsts.values())), "safe", message)


class UrlWhitespace(Rule):
    """Whitespace or a line break inside a URL.

    Why it matters: a URL cut by a space links to the wrong place, or to
    nothing.

    Example:

        [Link](https://github.com/a/ b)

    Correction:

        [Link](https://github.com/a/b)

    Fix safety: always safe: a URL never contains whitespace, so removing it
    restores the URL the generator wrote.
    """

    code = "DL208"
    name = "url-whitespace"
    fixable = "always"
    explains = (*_LINK_CODES, "DL201")

    def check(self, context: Context) -> Iterator[Violation]:
        for table, row, cell, finding in context.findings_for(self.explains):
            assert table.layout is not None
            value = cell.value
            for link in find_links(value):
                if link.text is None or not any(char.isspace() for char in link.url):
                    continue
                context.claim(row, finding.column)
                compact = "".join(link.url.split())
                new_value = value[: link.start] + compact + value[link.end :]
                fix = context.cell_fix(row, cell, new_value, "safe", f"write {compact}")
                yield context.cell_violation(
                    self,
                    row,
                    cell,
                    f"{quote(link.url)} has whitespace inside it; remove it",
                    fix,
                    within=(link.start, link.end),
                )
