"""The public Python API: what the CLI, the language server, the mdformat plugin and scripts call.

Every function takes a text (never a file) and returns a `FileReport`, except `records`,
which returns one record per paper row (`paper_rows.PaperRow`), and `load_settings`. They
touch no files apart from `load_settings`, which reads the configuration that governs a path.
Importing this module imports no command-line code, reporters or process pool::

    from digestlint import api

    settings = api.load_settings("archive/2024/10/23.md")
    report = api.check_text(text, path="archive/2024/10/23.md", settings=settings)
    for finding in report.findings:
        print(finding.line, finding.column, finding.code, finding.message)
    fixed = api.fix_text(text, path="archive/2024/10/23.md", settings=settings).text
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.results import FileReport

if TYPE_CHECKING:
    from digestlint.fixer import Keep
    from digestlint.paper_rows import PaperRow
    from digestlint.settings import Settings

__all__ = ["FileReport", "check_text", "fix_text", "format_text", "load_settings", "records"]

DEFAULT_PATH = "-"


def load_settings(
    path: str | os.PathLike[str] | None = None, *, config: str | os.PathLike[str] | None = None
) -> Settings:
    """The settings that govern `path`: those of the nearest configuration file at or above it.

    The same discovery as the command line (`digestlint.project`): the file's project root
    is the folder of that configuration (or the git work tree, or the current folder), and
    rules read `path` relative to it. `config` names a configuration file to use instead of
    searching. Without `path`, the search starts from the current folder; with no
    configuration file found, the defaults. Raises `digestlint.config.ConfigError` or
    `digestlint.layouts.LayoutError` for a configuration that cannot be used (the message
    names the file and the key).
    """
    from digestlint.project import Resolver

    resolver = Resolver(config=Path(config) if config is not None else None)
    return resolver.for_path(Path(path) if path is not None else Path.cwd()).settings


def _settings(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    from digestlint.settings import Settings

    return Settings()


def check_text(text: str, path: str = DEFAULT_PATH, settings: Settings | None = None) -> FileReport:
    """Check one file's text. `path` is used in findings and for the date a path may carry.

    Guarantees: the text is not changed; findings are sorted by position and come from
    the rules `settings` selects; `records` lists every paper row the layout can read.
    """
    from digestlint.checker import check_text as check

    result = check(text, path, _settings(settings))
    return FileReport(
        path, result.violations, records=result.records, is_digest=result.is_digest, suppressions=result.suppressions
    )


def fix_text(
    text: str, path: str = DEFAULT_PATH, settings: Settings | None = None, *, unsafe: bool = False
) -> FileReport:
    """Apply every safe fix (and, with `unsafe`, every unsafe one) until nothing changes.

    Returns the fixed text in `text` (the input itself when nothing applied), the fixes
    applied in `fixed`, and the findings that remain. Guarantees: the records of the
    returned text equal the input's, except for the fields a listed fix says it changes;
    when that cannot be guaranteed (or fixing does not converge), nothing is changed:
    `text` is the input and `error` says why.
    """
    return _fix(text, path, _settings(settings), unsafe=unsafe)


def _fix(text: str, path: str, resolved: Settings, *, unsafe: bool = False, keep: Keep | None = None) -> FileReport:
    from digestlint.fixer import FixError
    from digestlint.fixer import fix_text as fix

    try:
        outcome = fix(text, path, resolved, unsafe=unsafe, keep=keep)
    except FixError as error:
        report = check_text(text, path, resolved)
        report.text = text
        report.error = str(error)
        return report
    assert outcome.result is not None
    result = outcome.result
    return FileReport(
        path,
        result.violations,
        text=outcome.text,
        fixed=outcome.applied,
        records=result.records,
        is_digest=result.is_digest,
        suppressions=result.suppressions,
    )


def format_text(text: str, path: str = DEFAULT_PATH, settings: Settings | None = None) -> FileReport:
    """Rewrite the text into canonical form: formatting fixes only (rows, delimiters, blank lines).

    Formatting never changes what the text renders to (its HTML): a fix is applied only when the
    text renders as it did with it. A row split over two lines renders as two rows, so joining it is
    a repair, left to `fix_text`, and stays among the `findings` with the other formatting findings
    that remain (none, for a text formatting can handle). A canonical text comes back byte-identical.
    """
    from digestlint.rendering import KeepRendering
    from digestlint.rules import FORMATTING_CODES

    resolved = dataclasses.replace(_settings(settings), restrict=FORMATTING_CODES)
    return _fix(text, path, resolved, keep=KeepRendering())


def records(text: str, path: str = DEFAULT_PATH, settings: Settings | None = None) -> Sequence[PaperRow]:
    """The papers a text lists: one record per paper row, in document order (what `export` writes).

    Guarantees: no paper row is dropped. A row the layout reads in full has empty `problems`;
    a row it cannot (its cells do not line up with the columns, or its table's header is only
    close to a layout) gets what could be read without guessing, empty fields for the rest,
    and `problems` (code and message each): the header's finding for a close header, and
    the row's findings, among them the one that says why, for a row whose cells are off.
    """
    from digestlint.paper_rows import paper_rows

    return paper_rows(text, path, _settings(settings))
