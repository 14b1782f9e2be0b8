"""What a fix does to what a digest renders to: `format` applies a fix only when it changes nothing
a reader of the rendered Markdown sees (its HTML), as mdformat demands of its plugins.

`KeepRendering` is the fixer's `keep`. Most formatting fixes rebuild one row of a table, and whether
the row renders the same can be read off that row alone when Markdown (CommonMark with GFM tables, as
markdown-it reads it) takes every line from the table's header to that row as one row each: then the
row is rendered once as it is and once fixed, under the table's header, three lines. A fix that joins
such a row with the next line (a split row) always changes the rendering: one row fewer, or cells
that were not there. A table's lines past the first one Markdown may not read as a row show their
text as written: a fix of them is refused unread (cautious: it waits for --fix). Any other fix
(blank lines around a heading) is judged by rendering the whole text before and after.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from digestlint.model import Document, Fix, Table

# A line whose first character (after up to three spaces) is one of these may open a block that ends
# a table (a fence, quote, rule, list, HTML block or heading): where one appears, the table as
# Markdown reads it may stop, so the rows after it are judged by rendering the whole text.
_MAY_END_A_TABLE = frozenset("`~>*-+_#<0123456789")
_SPACE_RUN = re.compile(r"[ \t]+")
# A text's blocks (type, tag, info, hidden, attributes, inline text) and its link reference definitions.
Rendering = tuple[tuple[tuple[str, str, str, bool, tuple[tuple[str, str], ...], str], ...], str]


@cache
def _structure_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    parser.core.ruler.disable(["inline", "text_join"], ignoreInvalid=True)
    return parser


@lru_cache(maxsize=4)  # a pass compares one text with the text its fixes make
def rendering(text: str) -> Rendering:
    """What a Markdown text (CommonMark with tables) renders to, cheaply: two texts with the same
    rendering give the same HTML once whitespace runs are folded, as mdformat's own check folds them.

    It is the block structure (each block's type, tag, attributes and visibility) with each block's
    inline text, a soft line break read as the space it renders to, and the link reference
    definitions: what the HTML is made from, read at a third of the cost of rendering it. Any other
    change to the text counts, even one the HTML would fold away (two spaces for one): a formatter
    asking "may I?" gets no for an answer it did not need, never yes for one it did.
    """
    env: dict[str, Any] = {}
    blocks = tuple(
        (
            token.type,
            token.tag,
            token.info,
            token.hidden,
            tuple(sorted((str(key), str(value)) for key, value in token.attrs.items())),
            _folded(token.content),
        )
        for token in _structure_parser().parse(text, env)
    )
    return (blocks, repr(sorted(env.get("references", {}).items())))


def _folded(content: str) -> str:
    """A block's text as the HTML shows it once whitespace is folded: a soft line break (and the
    spaces around it) read as one space, a hard break (two spaces or a backslash before it) kept as
    written, and a run of spaces or tabs as one space. Where a backtick may open a code span, spaces
    at its edges count (one is stripped from each side when both have one): such a text is kept as it
    is; where a `<` may open a link target (`[a](<b  c>)`), so is a run of spaces."""
    if "`" in content:
        return content
    if "\n" in content:
        lines = content.split("\n")
        parts: list[str] = []
        line = lines[0]
        for following in lines[1:]:
            if line.endswith(("  ", "\\")):
                parts.append(line + "\0")
                line = following
            else:
                parts.append(line.rstrip(" \t") + " ")
                line = following.lstrip(" \t")
        parts.append(line)
        content = "".join(parts)
    return content if "<" in content else _SPACE_RUN.sub(" ", content)


def same_rendering(before: str, after: str) -> bool:
    """Whether two texts render alike (`rendering`)."""
    return rendering(before) == rendering(after)


class KeepRendering:
    """The fixer's `keep` for `format`: may this fix be applied? True or False when the document's
    tables tell (`verdict`), else by rendering the texts (`same`)."""

    def __init__(self) -> None:
        self._read: tuple[Document, _Lines] | None = None  # the last document's tables

    same = staticmethod(same_rendering)

    def verdict(self, document: Document, fix: Fix) -> bool | None:
        """True: the fix leaves the rendering as it was; False: it changes it; None: cannot tell here."""
        lines = self._regular(document)
        first = document.position(fix.start)[0]
        last = document.position(max(fix.start, fix.end - 1))[0] if fix.end > fix.start else first
        table = lines.get(first)
        in_line = first == last and all(
            not _breaks(document, edit.start, edit.end, edit.replacement) for edit in fix.edits
        )
        if table is None:
            # A table's line Markdown may not read as a row of it (after a split row's `- item` line or
            # a blank line): its text shows as written. A fix of its text, or one joining it with the
            # next line, is refused unread (a refusal only leaves the fix to --fix).
            if first in lines.irregular and (in_line or _joins_a_row(document, fix, first)):
                return False
            return None
        if in_line:
            return _row_renders_alike(document, table, first, fix)
        if _joins_a_row(document, fix, first):
            return False  # a table row joined with the next line: one row fewer, or new cells
        return None

    def _regular(self, document: Document) -> _Lines:
        if self._read is None or self._read[0] is not document:
            self._read = (document, _regular_tables(document))
        return self._read[1]


class _Lines(dict[int, "Table"]):
    """Line (1-based) -> table, for each line Markdown reads as one row of that table; in `irregular`,
    the other lines of digestlint's tables."""

    irregular: set[int]


def _regular_tables(document: Document) -> _Lines:
    """Each table's lines from its header to the first line that may not be a row (`_Lines`)."""
    rows = _Lines()
    rows.irregular = set()
    if "\r" in document.text.replace("\r\n", ""):
        return rows  # Markdown breaks lines at a lone CR, digestlint's lines do not: render to tell
    for table in document.tables:
        header = table.header.first_line
        last = table.rows[-1] if table.rows else table.delimiter or table.header
        rows.irregular.update(range(header, last.last_line + 1))
        if not _opens_a_table(document, table):
            continue
        rows[header] = rows[header + 1] = table
        line = header + 2
        while line <= document.line_count and _row_like(document.line_text(line)):
            rows[line] = table
            line += 1
    rows.irregular.difference_update(rows)
    return rows


def _opens_a_table(document: Document, table: Table) -> bool:
    """Whether Markdown reads the table's header and delimiter rows as the start of a table at the top
    level: after a blank line, a heading or a one-line comment, both rows at the margin and valid."""
    header, delimiter = table.header.first_line, table.delimiter
    if delimiter is None or delimiter.first_line != header + 1 or table.header.is_split:
        return False
    if header > 1:
        above = document.line_text(header - 1)
        comment = above.startswith("<!--") and "-->" in above
        if above.strip() and not comment and not _is_heading(document, header - 1):
            return False  # glued to a paragraph, a list or a quote above: may be read as their text
    head, rule = document.line_text(header), document.line_text(header + 1)
    return head.startswith("|") and rule.startswith("|") and _is_table(head + "\n" + rule)


def _is_heading(document: Document, line: int) -> bool:
    return any(heading.line == line for heading in document.headings)


def _row_like(line: str) -> bool:
    """Whether Markdown reads this line, inside an open table, as one more row."""
    stripped = line.lstrip(" ")
    return (
        bool(stripped.strip())
        and len(line) - len(stripped) < 4
        and not stripped.startswith("\t")
        and stripped[0] not in _MAY_END_A_TABLE
    )


def _breaks(document: Document, start: int, end: int, replacement: str) -> bool:
    """Whether an edit adds or removes a line break."""
    removed = document.text[start:end]
    return "\n" in replacement or "\r" in replacement or "\n" in removed or "\r" in removed


def _row_renders_alike(document: Document, table: Table, line: int, fix: Fix) -> bool:
    """A fix within one line of a table Markdown reads row by row: the line, fixed and not, under the
    table's header (or, for the header and delimiter rows, the two of them)."""
    from digestlint.fixer import apply_edits

    start = document.line_starts[line - 1]
    old = document.line_text(line)
    new = apply_edits(old, [_shifted(fix, -start)])[0]
    header = table.header.first_line
    head = [document.line_text(header), document.line_text(header + 1)]
    if line - header < 2:  # the header or delimiter row
        changed = list(head)
        changed[line - header] = new
        return new.startswith("|") and _mini(*head) == _mini(*changed)
    return _row_like(new) and _mini(*head, old) == _mini(*head, new)


def _shifted(fix: Fix, by: int) -> Fix:
    from dataclasses import replace

    from digestlint.model import Edit

    return replace(fix, edits=tuple(Edit(edit.start + by, edit.end + by, edit.replacement) for edit in fix.edits))


def _joins_a_row(document: Document, fix: Fix, line: int) -> bool:
    """Whether the fix removes the line break after `line` (a row Markdown reads) and the next line has text."""
    end_of_line = document.line_starts[line] - 1 if line < document.line_count else len(document.text)
    joined = any(edit.start <= end_of_line < edit.end for edit in fix.edits)
    return joined and line < document.line_count and bool(document.line_text(line + 1).strip())


@lru_cache(maxsize=256)
def _mini(*lines: str) -> object:
    return rendering("\n".join(lines) + "\n")


def _is_table(text: str) -> bool:
    return any(block[0] == "table_open" for block in rendering(text)[0])
