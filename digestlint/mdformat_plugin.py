"""The mdformat plugin: digest tables in the canonical form `digestlint format` writes, from inside mdformat.

Installed with `pip install 'digestlint[mdformat]'` (mdformat 1.x and mdformat-gfm 1.x), it is the
`digestlint` entry of mdformat's `mdformat.parser_extension` group. For each table at the top level
of a document whose header names a layout exactly (the settings of the file being formatted, so
`layouts` from its config count), mdformat writes what `digestlint format` writes for that table:
the layout's delimiter row and padding, link lists as the generator writes them. Every other table
(no layout, inside a list or a quote) is left as mdformat-gfm's table renderer writes it.

It formats, it never repairs. The canonical table is made from the table's own source lines (not
from mdformat's rendering of the cells, which escapes and re-pads them), one fix at a time: a fix is
applied only when the table renders as it did with it (`api.format_text`). A row
split over two lines renders as two rows, so the join `digestlint format` makes waits for
`digestlint --fix`, and so does a stray pipe; the rest of the table is formatted around them, where
mdformat-gfm alone would make the split row's halves rows of their own, or drop the cells after a
stray pipe (HTML ignores cells beyond the header's count, so mdformat's own HTML check does not
notice). Blocks glued to the table with no blank line between go with it: a suppression comment
above or below (formatted with the table, as `digestlint format` sees it, instead of being set apart
by blank lines), and the rest of a split row (which Markdown reads as a paragraph or a list, and whose
lines are formatted only where that changes nothing it shows). A digest table Markdown reads as a
paragraph (its delimiter row missing or malformed) is written as `digestlint format` writes it, with
what is glued to it, which changes nothing it shows. A digest's leading blank lines, which mdformat
would drop, are kept.

How it plugs in: mdformat-gfm registers the renderer for "table"; mdformat 1.x takes the first
plugin's renderer when two define one (in entry-point discovery order, with a "Plugin conflict"
warning), so this plugin defines no renderer. It post-processes "table" (mdformat chains the
post-processors of every plugin), replacing gfm's text for digest tables only, and "root" for the
leading blank lines, and the blocks a table writes with it ("html_block", "paragraph", lists, ...) to
write nothing. A core rule keeps the source text in the parser's `env` to read tables from.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digestlint import api
from digestlint.rendering import rendering

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from mdformat.renderer import RenderContext, RenderTreeNode
    from mdformat.renderer.typing import Postprocess

    from digestlint.settings import Settings

_STDIN = "-"  # the path mdformat names standard input by, and the API's path for a text with none
_SOURCE = "digestlint_source"  # env key: the text being formatted, as markdown-it normalised it
_LINES = "digestlint_lines"  # env key: that text split into lines, computed once
_DIGEST = "digestlint_digest"  # env key: set when a digest table was found
_CLAIMED = "digestlint_claimed"  # env key: ids of the blocks a digest table wrote out with itself
_ABOVE = "digestlint_above"  # env key: table id -> the HTML block glued above it
_EXTENTS = "digestlint_extents"  # env key: digest tables as digestlint reads them (`_extents`)
_COMMENT_ABOVE = "digestlint_comment_above"  # env key: block id -> the digestlint comment glued above it
# Top-level blocks that can follow a table with no blank line between and be the rest of a split row
# (text, a summary's `- item`, `7085) |`, an indented line). Not a heading or an HTML block: a
# `<!-- digestlint-enable -->` glued to its table is meant as it is written.
_BLOCKS = ("paragraph", "bullet_list", "ordered_list", "code_block", "fence", "blockquote", "hr")
# Blocks a digest table may be made of beyond its first, and so write nothing of their own.
_CLAIMABLE = (*_BLOCKS, "html_block", "table")
# Blocks a digestlint comment on the line above stays glued to.
_GLUABLE = (*_BLOCKS, "heading", "table")


def update_mdit(mdit: MarkdownIt) -> None:
    """Enable tables (through mdformat-gfm's "tables" extension) and keep the source text for the renderers."""
    import mdformat.plugins

    tables = mdformat.plugins.PARSER_EXTENSIONS.get("tables")
    extensions = mdit.options["parser_extension"]
    if tables is not None and tables not in extensions:
        extensions.append(tables)
        tables.update_mdit(mdit)
    if _SOURCE not in mdit.core.ruler.get_all_rules():
        mdit.core.ruler.push(_SOURCE, _keep_source)


def _keep_source(state: StateCore) -> None:
    state.env[_SOURCE] = state.src
    # Post-processors run in the order of the extensions: this plugin's go last, so that what it
    # writes byte for byte is not escaped after it (mdformat-gfm escapes `|---|` lines in paragraphs).
    extensions = state.md.options.get("parser_extension")
    this = sys.modules[__name__]
    if isinstance(extensions, list) and this in extensions and extensions[-1] is not this:
        extensions.remove(this)
        extensions.append(this)
    state.env.pop(_LINES, None)
    state.env.pop(_DIGEST, None)
    state.env.pop(_CLAIMED, None)
    state.env.pop(_ABOVE, None)
    state.env.pop(_EXTENTS, None)
    state.env.pop(_COMMENT_ABOVE, None)


def _postprocess_table(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    if _claimed(node, context):
        return ""  # written with the digest table it belongs to (after a blank line inside it)
    canonical = digest_table(node, context)
    return _with_comment_above(text, node, context) if canonical is None else canonical


def _postprocess_root(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    source = context.env.get(_SOURCE)
    if not context.env.get(_DIGEST) or not isinstance(source, str):
        return text
    return source[: len(source) - len(source.lstrip("\n"))] + text


def _postprocess_block(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    if _claimed(node, context):
        return ""
    if node.type == "paragraph":
        # A digest table Markdown reads as a paragraph (its delimiter row missing or malformed), where
        # mdformat alone would escape its links (`\\[Title](…)`) and lose the papers' arXiv IDs.
        canonical = digest_table(node, context)
        if canonical is not None:
            return canonical
    return _with_comment_above(text, node, context)


def _claimed(node: RenderTreeNode, context: RenderContext) -> bool:
    """Whether a digest table wrote this block out with itself (so it writes nothing of its own)."""
    claimed = context.env.get(_CLAIMED)
    return isinstance(claimed, set) and id(node) in claimed


def _lines(context: RenderContext) -> list[str] | None:
    """The source text's lines (split once per document), or None when the source was not kept."""
    lines = context.env.get(_LINES)
    if isinstance(lines, list):
        return lines
    source = context.env.get(_SOURCE)
    if not isinstance(source, str):
        return None
    lines = context.env[_LINES] = source.split("\n")
    return lines


def _postprocess_html_block(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """An HTML block glued above a digest table (a suppression comment) is written with the table; a
    digestlint comment glued above another block (`disable-next-line` above a heading) stays glued,
    where mdformat alone would set it apart by a blank line and the comment would silence that."""
    if _claimed(node, context):
        return ""  # glued below the table before it: written with that table
    below = node.next_sibling
    if not _top_level(node) or below is None or below.map is None or not _glued(node, below):
        return text
    if below.map[0] in _extents(context):
        context.env.setdefault(_CLAIMED, set()).add(id(node))
        context.env.setdefault(_ABOVE, {})[id(below)] = node
        return ""
    if "digestlint-" in text and below.type in _GLUABLE:
        context.env.setdefault(_CLAIMED, set()).add(id(node))
        context.env.setdefault(_COMMENT_ABOVE, {})[id(below)] = text
        return ""
    return text


def _with_comment_above(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """A block with the digestlint comment glued above it, on the line above it."""
    comment = context.env.get(_COMMENT_ABOVE, {}).pop(id(node), None)
    return text if comment is None else f"{comment}\n{text}"


RENDERERS: Mapping[str, Any] = {}
POSTPROCESSORS: Mapping[str, Postprocess] = {
    "table": _postprocess_table,
    "root": _postprocess_root,
    **dict.fromkeys(_BLOCKS, _postprocess_block),
    "html_block": _postprocess_html_block,
    "heading": _with_comment_above,
}


def digest_table(node: RenderTreeNode, context: RenderContext) -> str | None:
    """The text to write for a top-level block that starts a digest table (a table node, or a
    paragraph when Markdown cannot read the table): what `digestlint format` writes for the table;
    None when the block starts no digest table.

    The table is the lines digestlint reads as one: from its header to its last row, through the
    blocks Markdown makes of them after a row split over two lines (a paragraph, or after `2401.0` +
    `7085) |` an ordered list) or a blank line inside the table. Those blocks, and any block glued to
    the last of them (no blank line between), are written with the table, so that mdformat neither
    separates them with blank lines nor rewrites them: `digestlint --fix` can still repair them. HTML
    blocks glued to the table (suppression comments above or below) are formatted with it, as
    `digestlint format` sees them. `digestlint format` never changes what a table renders to (a
    split row stays split), so neither does this.
    """
    lines = _lines(context)
    if not _top_level(node) or lines is None or node.map is None:
        return None
    end = _extents(context).get(node.map[0])
    if end is None:
        end = _unread_end(node, context)
    if end is None:
        return None
    path = _path(context)
    above = context.env.get(_ABOVE, {}).get(id(node))
    first = (above or node).map
    assert first is not None
    following = _following_blocks(node, end)
    context.env.setdefault(_CLAIMED, set()).update(id(block) for block in following)
    last = following[-1].map if following else node.map
    assert last is not None
    text = "\n".join(lines[first[0] : max(last[1], end)]) + "\n"
    report = api.format_text(text, path=path, settings=_settings_for(path))
    formatted = text if report.text is None or report.error is not None else report.text
    if formatted != text and rendering(formatted) != rendering(text):
        formatted = text  # fixes harmless one by one are not together: nothing is safe to write
    context.env[_DIGEST] = True
    return _block_text(formatted)


def _block_text(text: str) -> str:
    """A block's text as mdformat takes it: without the final line break (and only that one: the
    blank lines that end an unclosed code fence are its content)."""
    return text.removesuffix("\n")


def _unread_end(node: RenderTreeNode, context: RenderContext) -> int | None:
    """For a table whose header names a layout but which digestlint does not read as that table (a
    `| x |` line glued above is its header to CommonMark without tables; `===` under it makes it a
    heading), where its lines end: it is formatted on its own, as mdformat will set it apart, and
    what `digestlint format` makes of those lines alone is written. Else None."""
    if node.type != "table" or node.map is None:
        return None
    layouts = _settings_for(_path(context)).layouts
    assert layouts is not None
    return node.map[1] if layouts.detect(_header(node)) is not None else None


def _header(node: RenderTreeNode) -> list[str]:
    """The header cells' text as written (before mdformat's escaping)."""
    for row in node.walk():
        if row.type == "tr":
            return [cell.children[0].content if cell.children else "" for cell in row.children]
    return []


def _extents(context: RenderContext) -> dict[int, int]:
    """Where each digest table starts and ends, as digestlint reads the document: its header's line to
    the line after its last row (0-based), for tables whose header names a layout exactly."""
    extents = context.env.get(_EXTENTS)
    if isinstance(extents, dict):
        return extents
    extents = context.env[_EXTENTS] = {}
    source = context.env.get(_SOURCE)
    if isinstance(source, str) and "|" in source:
        from digestlint.parse import parse

        for table in parse(source, _path(context), _settings_for(_path(context)).layouts).tables:
            if table.layout is not None:
                last = table.rows[-1] if table.rows else table.delimiter or table.header
                extents[table.header.first_line - 1] = last.last_line
    return extents


def _top_level(node: RenderTreeNode) -> bool:
    return node.map is not None and node.parent is not None and node.parent.type == "root"


def _glued(above: RenderTreeNode, below: RenderTreeNode) -> bool:
    """Whether `below` starts on the line after `above` ends: no blank line between."""
    return above.map is not None and below.map is not None and above.map[1] == below.map[0]


def _path(context: RenderContext) -> str:
    return str(context.options.get("mdformat", {}).get("filename") or "") or _STDIN


def _following_blocks(start: RenderTreeNode, end: int) -> list[RenderTreeNode]:
    """The top-level blocks after `start` that belong to its digest table: those that start before
    line `end` (the rest of the table as digestlint reads it), then those glued to the one before."""
    blocks: list[RenderTreeNode] = []
    previous, sibling = start, start.next_sibling
    while sibling is not None and sibling.map is not None and sibling.type in _CLAIMABLE:
        if sibling.map[0] >= end and not _glued(previous, sibling):
            break
        if sibling.map[0] >= end and _introduces(sibling):
            break  # a comment glued to the block after the table (a heading) belongs to that block
        blocks.append(sibling)
        previous, sibling = sibling, sibling.next_sibling
    return blocks


def _introduces(block: RenderTreeNode) -> bool:
    """Whether `block` is an HTML block glued above a block no digest table is made of (a heading)."""
    below = block.next_sibling
    return block.type == "html_block" and below is not None and _glued(block, below) and below.type not in _CLAIMABLE


_SETTINGS: dict[str, Settings] = {}  # by folder: a folder's files share one configuration


def _settings_for(path: str) -> Settings:
    """The settings governing `path` (those of its folder's configuration), read once per folder."""
    folder = str(Path.cwd() if path == _STDIN else Path(path).absolute().parent)
    settings = _SETTINGS.get(folder)
    if settings is None:
        from digestlint.config import ConfigError
        from digestlint.layouts import LayoutError

        try:
            settings = _SETTINGS[folder] = api.load_settings(None if path == _STDIN else path)
        except (ConfigError, LayoutError) as error:
            # A broken configuration stops the run with one line naming the file and the key, as
            # `digestlint` does (exit 1 under mdformat), rather than a traceback or formatting by guess.
            raise SystemExit(f"digestlint: error: {error}") from None
    return settings
