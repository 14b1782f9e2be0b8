"""The one result type for one file: what the API returns and what reporters read.

Depends on the model only, so reporters and callers can import it without
pulling in the checker, the fixer or any command-line code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from digestlint.model import Violation

if TYPE_CHECKING:
    from digestlint.records import PaperRecord
    from digestlint.suppress import Suppressions


@dataclass
class FileReport:
    """What digestlint found in (and, when asked, did to) one file's text.

    - `findings`: the findings that remain (after fixing, those of the fixed text), sorted.
    - `text`: the fixed or formatted text when a fix or format was asked for, else None.
    - `fixed`: the findings whose fixes were applied to produce `text`.
    - `records`: one record per paper row the layout could read, in document order.
    - `is_digest`: whether the text is a digest (`digests.is_digest`: a date heading, or a table whose
      header is close to a layout); a text that is not gets no findings.
    - `error`: why the file could not be checked or fixed (decoding, a fix that was refused), else None.
    - `suppressions`: the text's inline suppression comments, for findings made across files (DL406).
    """

    path: str
    findings: list[Violation] = field(default_factory=list)
    text: str | None = None
    fixed: list[Violation] = field(default_factory=list)
    records: Sequence[PaperRecord] = field(default_factory=list)
    is_digest: bool = True
    error: str | None = None
    suppressions: Suppressions | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """No findings and no error."""
        return not self.findings and self.error is None
