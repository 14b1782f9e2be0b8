"""Which Markdown files are digests: the others are skipped, with no findings (`--show-files` says so).

A file is a digest when it has a date heading (`## Papers for YYYY-MM-DD`, or a malformed one
such as `## 2024-10-23` or `# Papers for 2024-1-5`) or a table whose header is a layout's or
close to one (`layouts.is_close`). A `docs/maintainers.md` with a `| Name | Role |` table is not.
An empty file (or one of blank lines only) is a digest a generator failed to write: it gets DL108,
never skipped.
"""

from __future__ import annotations

from digestlint.layouts import LayoutSet
from digestlint.model import Document
from digestlint.rules.dates import is_date_heading

NOT_A_DIGEST = "not a digest: no date heading and no table whose header is close to a layout"


def is_digest(document: Document, layouts: LayoutSet | None) -> bool:
    if not document.text.strip():
        return True
    if any(is_date_heading(heading.text) for heading in document.headings):
        return True
    for table in document.tables:
        if table.layout is not None or (layouts is not None and layouts.close_to(table.columns) is not None):
            return True
    return False
