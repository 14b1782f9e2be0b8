"""The rule registry: every rule, in one place, in code order.

Codes are forever: a retired code is never reused. Families: DL1xx
structure, DL2xx links, DL3xx classification, DL4xx dates and cross-file,
DL5xx formatting.
"""

from __future__ import annotations

from digestlint.rules import classification, dates, formatting, links, structure, suppressions
from digestlint.rules.base import Rule

RULES: tuple[type[Rule], ...] = (
    structure.UnreadableFile,
    structure.UnknownLayout,
    structure.CellCount,
    structure.RowSplit,
    structure.UnescapedPipe,
    structure.DelimiterRow,
    structure.EmptyCell,
    structure.DuplicatePaper,
    structure.EmptyDigest,
    structure.SchemaViolation,
    suppressions.UnknownSuppressionCode,
    suppressions.UnusedSuppression,
    links.ArxivUrl,
    links.PaperIdMismatch,
    links.LinkList,
    links.LinkHost,
    links.GithubNotRepo,
    links.UrlNotCanonical,
    links.DuplicateLink,
    links.UrlWhitespace,
    classification.ClassificationSyntax,
    classification.UnknownTag,
    classification.EmptyClassification,
    classification.DuplicateTag,
    dates.DateHeading,
    dates.InvalidDate,
    dates.PathDate,
    dates.DateOrder,
    dates.PaperFromFuture,
    dates.CrossFileDuplicate,
    formatting.RowFormat,
    formatting.DelimiterFormat,
    formatting.StrictPadding,
    formatting.BlankLines,
    formatting.WhitespaceRun,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in RULES}


def find_rule(code_or_name: str) -> type[Rule] | None:
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


# What the rest of the program needs to know about the rules, derived from their class attributes.
FORMATTING_CODES: tuple[str, ...] = tuple(rule.code for rule in RULES if rule.formatting)
FILE_LEVEL_CODES: frozenset[str] = frozenset(rule.code for rule in RULES if rule.file_level)
UNEXPLAINED_REPORTERS: tuple[type[Rule], ...] = tuple(rule for rule in RULES if rule.reports_unexplained)
CROSS_FILE_RULES: tuple[type[Rule], ...] = tuple(rule for rule in RULES if rule.cross_file)
