"""DL19x: the suppression comments themselves (`<!-- digestlint-disable … -->`).

These rules run after every other rule (`judges_suppressions`): whether a
comment silences anything depends on what the others found. A finding about
a comment is never silenced by that same comment, or a comment that names no
rule, or disables everything, could hide the finding that says so.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from digestlint.model import Edit, Fix, Suppression, Violation
from digestlint.rules.base import Context, Rule
from digestlint.rules.codes import code_problem, is_known
from digestlint.rules.dates import CrossFileDuplicate
from digestlint.suppress import BLANKET, Suppressions


class _SuppressionRule(Rule):
    """What the rules about the comments share: they are judged after every other rule."""

    judges_suppressions = True

    def check(self, context: Context) -> Iterator[Violation]:
        return iter(())  # see check_suppressions


class UnknownSuppressionCode(_SuppressionRule):
    """A suppression comment naming a code or prefix that no rule has.

    Any form counts: `disable`, `disable-next-line`, `disable-file` and
    `enable`. A prefix is known when some rule's code starts with it (`DL2`,
    `DL20`); `DL9` is not. Rule names are not codes; `ALL` is not needed (a
    comment with no codes silences every rule).

    Why it matters: a word that names no rule silences nothing, so a mistyped
    code leaves the finding it was meant to silence reported, and a retired or
    invented one hides nothing while it looks as if it did.

    Example (a letter O in the code):

        <!-- digestlint-disable-next-line DL2O4 -->

    Correction:

        <!-- digestlint-disable-next-line DL204 -->

    Fix: none; the message suggests the closest code. Correct it or remove it.
    """

    code = "DL190"
    name = "unknown-suppression-code"

    def check_suppressions(
        self, context: Context, suppressions: Suppressions, findings: Sequence[Violation]
    ) -> Iterator[Violation]:
        rules = _registry()
        problems: dict[str, str | None] = {
            "ALL": "'ALL' is not a code here (a comment with no codes silences every rule)"
        }
        for index, comment in enumerate(suppressions.comments):
            for word, offset in zip(comment.codes, comment.offsets):
                if word not in problems:  # a did-you-mean costs a fuzzy match against every rule: once a word
                    problems[word] = code_problem(word, rules, allow_all=False)
                problem = problems[word]
                if problem is None:
                    continue
                message = f"{problem} (the comment silences nothing by it; correct or remove it)"
                violation = context.violation(self, offset, offset + len(word), message)
                if not suppressions.silenced_by_another(violation, index):
                    yield violation


class UnusedSuppression(_SuppressionRule):
    """(Off by default.) A suppression comment, or a code in one, that silences nothing.

    A code that names no rule is DL190's; a comment in which nothing silences
    anything is reported whole. `enable` comments are not judged. A code that
    could silence a cross-file duplicate (DL406) on a paper row is kept: whether
    it does depends on the other files. A comment that names DL191 itself is
    never judged: that is how to keep one. Turn on with
    `extend-select = ["DL191"]`.

    Why it matters: like ruff's unused-noqa (RUF100), once the finding a comment
    was written for is fixed, the comment stays behind and would silence the
    next, real finding on that line or in that range without anyone noticing.

    Example (around a table with a DL204 finding and no DL206 one):

        <!-- digestlint-disable DL204 DL206 -->

    Correction:

        <!-- digestlint-disable DL204 -->

    Fix safety: always safe. It removes the unused codes, or the whole comment
    when nothing in it is used (the line too when the comment stands alone on it
    next to a blank line or the file's start or end; otherwise the line is left
    blank, so a paragraph or table around it is not joined to its neighbour).
    Nothing it removes silenced anything, so no finding appears or goes.
    """

    code = "DL191"
    name = "unused-suppression"
    default_enabled = False
    fixable = "always"

    def check_suppressions(
        self, context: Context, suppressions: Suppressions, findings: Sequence[Violation]
    ) -> Iterator[Violation]:
        used = suppressions.used(findings)
        rules = _registry()
        paper_lines = _cross_file_lines(context)
        for index, comment in enumerate(suppressions.comments):
            if comment.kind == "enable" or comment.start == comment.end or self.code in comment.codes:
                continue
            covered = suppressions.lines_covered(index)
            may_be_cross_file = covered is not None and _any_between(paper_lines, *covered)

            def keeps(prefix: str, index: int = index, may_be_cross_file: bool = may_be_cross_file) -> bool:
                if (index, prefix) in used:
                    return True
                return may_be_cross_file and CrossFileDuplicate.code.startswith(prefix)

            if not comment.codes:
                if not keeps(BLANKET):
                    yield from self._report(context, suppressions, index, comment, ())
                continue
            # Words that name no rule are DL190's to report; they silence nothing either.
            known = [word for word in comment.codes if is_known(word, rules, allow_all=False)]
            if not any(keeps(word) for word in known):
                yield from self._report(context, suppressions, index, comment, ())
                continue
            unused = tuple(word for word in known if not keeps(word))
            if unused:
                yield from self._report(context, suppressions, index, comment, unused)

    def _report(
        self, context: Context, suppressions: Suppressions, index: int, comment: Suppression, unused: tuple[str, ...]
    ) -> Iterator[Violation]:
        if unused:
            names = " and ".join(repr(word) for word in unused)
            verb = "silences" if len(unused) == 1 else "silence"
            message = f"{names} in this suppression {verb} nothing; remove {'it' if len(unused) == 1 else 'them'}"
            fix = Fix((_without_words(context, comment, unused),), "safe", f"remove {names} from the comment")
        else:
            message = "this suppression silences nothing; remove it"
            fix = Fix((_without_comment(context, comment),), "safe", "remove the comment")
        violation = context.violation(self, comment.start, comment.end, message, fix)
        if not suppressions.silenced_by_another(violation, index):
            yield violation


def _cross_file_lines(context: Context) -> list[int]:
    """Lines of paper rows DL406 may report on after the per-file pass, sorted; empty when it is not in effect."""
    settings = context.settings
    if settings.cross_file_window == 0 or not settings.enabled(CrossFileDuplicate.code, context.path):
        return []
    return sorted({record.line for record in context.all_records() if record.arxiv_id})


def _any_between(lines: list[int], first: int, last: int) -> bool:
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def _without_words(context: Context, comment: Suppression, unused: tuple[str, ...]) -> Edit:
    """The comment's list of codes, rewritten without the unused ones."""
    text = context.document.text
    start = comment.offsets[0]
    end = comment.offsets[-1] + len(comment.codes[-1])
    separator = ", " if "," in text[start:end] else " "
    kept = [word for word in comment.codes if word not in unused]
    return Edit(start, end, separator.join(kept))


def _without_comment(context: Context, comment: Suppression) -> Edit:
    document = context.document
    text = document.text
    line_start = document.line_starts[comment.line - 1]
    line_text = document.line_text(comment.line)
    if line_text.strip() != text[comment.start : comment.end]:
        start = comment.start - 1 if comment.start > line_start and text[comment.start - 1] == " " else comment.start
        return Edit(start, comment.end, "")
    line_end = line_start + len(line_text)
    is_last = comment.line == document.line_count
    next_start = len(text) if is_last else document.line_starts[comment.line]

    def blank(line: int) -> bool:
        return line < 1 or line > document.line_count or not document.line_text(line).strip()

    if blank(comment.line - 1) or blank(comment.line + 1):
        return Edit(line_start, next_start, "")  # the whole line, its line break too
    return Edit(line_start, line_end, "")  # left blank: it keeps what is above apart from what is below


def _registry() -> tuple[type[Rule], ...]:
    """Every rule, to judge the codes a comment names (the registry imports this module: read it late)."""
    from digestlint.rules import RULES

    return RULES
