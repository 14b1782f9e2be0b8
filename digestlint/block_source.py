"""The text markdown-it reads to find block structure: table rows cut down to a bare pipe.

markdown-it-py pays a Python step per character before it looks at a single
block (`StateBlock.__init__` measures every line's indent char by char), and
in a digest nearly every character is in a table row. The parser only needs
the block structure (code, HTML blocks, headings), and a line that starts
with `|` neither opens nor closes a block: with tables off it is paragraph
text whatever follows the pipe. So each such line is replaced by its
indentation and a `|`; line numbers and block structure stay the same, and
the parse costs per line instead of per character.

A row keeps its text where the rest of the line could still matter:
- when the document could have an HTML block, a line with `>` in it (every
  end condition of HTML blocks 1-5 contains `>`);
- in a paragraph run (lines between blank lines) that could be a setext
  heading's text or a link reference definition, whose content and extent
  depend on the words of the lines;
and a text with a lone carriage return (a line break to markdown-it, not
to us) is parsed whole.
"""

from __future__ import annotations

import re

_CONTAINER_MARKS = " \t>*+-0123456789.)"
# A line that could open an HTML block once container marks (`> `, `- `, `1. `) are read.
_HTML_START = re.compile(r"^[ \t>*+\-0-9.)]*<", re.MULTILINE)


def _blank(line: str) -> bool:
    return not line.strip(" \t\r")


def _risky(line: str) -> bool:
    """Could this line make its paragraph run a setext heading or a link reference definition?"""
    rest = line.strip(_CONTAINER_MARKS + "=\r")
    if not rest and ("-" in line or "=" in line):
        return True  # a setext underline (or something like one)
    return line.lstrip(_CONTAINER_MARKS).startswith("[")


def block_source(text: str) -> str:
    """`text` with the rows that cannot change its block structure reduced to their leading pipe."""
    if "|" not in text or text.count("\r") != text.count("\r\n"):
        return text
    html_possible = _HTML_START.search(text) is not None
    lines = text.split("\n")
    out: list[str] = []
    run_start = 0
    risky = False
    for index, line in enumerate(lines):
        if _blank(line):
            out.extend(_masked_run(lines, run_start, index, risky, html_possible))
            out.append(line)
            run_start, risky = index + 1, False
        elif not risky and _risky(line):
            risky = True
    out.extend(_masked_run(lines, run_start, len(lines), risky, html_possible))
    return "\n".join(out)


def _masked_run(lines: list[str], start: int, end: int, risky: bool, html_possible: bool) -> list[str]:
    if risky:
        return lines[start:end]
    masked: list[str] = []
    for line in lines[start:end]:
        body = line.lstrip(" \t")
        carriage = line.endswith("\r")
        if not body.startswith("|") or (html_possible and ">" in body) or len(body) <= 1 + carriage:
            masked.append(line)
        else:
            masked.append(line[: len(line) - len(body)] + ("|\r" if carriage else "|"))
    return masked
