"""An archive with two nested configs, and how to read findings as (absolute path, line, column, code).

- `pyproject.toml` at the top: `per-file-ignores = {"archive/2024/11/*" = ["DL206"]}`, `exclude = ["drafts"]`.
- `archive/2024/11/22.md`: the issue's reproduction, a digest whose heading says 2024-10-23: DL403
  (the path says 2024-11-22), and its DL206 is ignored, from every folder.
- `archive/special/.digestlint.toml` governs `archive/special/`: `per-file-ignores = {"old/*" = ["DL210"]}`.
  `2024-10-14.md` has a DL210; `old/2024-10-17.md` (heading 2024-10-14) has DL403, its DL210 ignored.
- `archive/2024/11/drafts/23.md`: excluded (found by walking only).
- `docs/maintainers.md`: Markdown with a small table, not a digest: skipped.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import SEEDS

SEED_DL206 = SEEDS / "003_0419e020d2a675aa.md"  # 2024-10-23, DL206 on line 12
SEED_DL210 = SEEDS / "004_374a45687a9b3cbe.md"  # 2024-10-14, DL210 on line 11
MAINTAINERS = "# Maintainers\n\n| Name | Role |\n| --- | --- |\n| Ann | editor |\n"
FINDING = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+):(?P<column>[0-9]+): (?P<code>DL[0-9]{3})\b", re.MULTILINE)

Finding = tuple[str, int, int, str]

# The digests, relative to the archive's top, and what each must report from anywhere.
DIGESTS = ("archive/2024/11/22.md", "archive/special/2024-10-14.md", "archive/special/old/2024-10-17.md")


def build(top: Path) -> Path:
    top.mkdir(parents=True, exist_ok=True)
    (top / "pyproject.toml").write_text(
        '[project]\nname = "papers"\n\n[tool.digestlint]\n'
        'per-file-ignores = { "archive/2024/11/*" = ["DL206"] }\nexclude = ["drafts"]\n',
        encoding="utf-8",
    )
    _copy(SEED_DL206, top / "archive/2024/11/22.md")
    _copy(SEED_DL206, top / "archive/2024/11/drafts/23.md")
    special = top / "archive/special"
    special.mkdir(parents=True)
    # DL406 off here: the two files list the same papers, on purpose (each shows another config rule).
    (special / ".digestlint.toml").write_text(
        'per-file-ignores = { "old/*" = ["DL210"] }\ncross-file-window = 0\n', encoding="utf-8"
    )
    _copy(SEED_DL210, special / "2024-10-14.md")
    _copy(SEED_DL210, special / "old/2024-10-17.md")
    (top / "docs").mkdir()
    (top / "docs/maintainers.md").write_text(MAINTAINERS, encoding="utf-8")
    return top


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def parse_findings(output: str, cwd: Path) -> set[Finding]:
    """The findings a text or concise report lists, each path made absolute from the folder it ran in."""
    found: set[Finding] = set()
    for match in FINDING.finditer(output):
        path = Path(match["path"])
        absolute = (path if path.is_absolute() else cwd / path).resolve()
        found.add((str(absolute), int(match["line"]), int(match["column"]), match["code"]))
    return found


def expected(top: Path) -> set[Finding]:
    top = top.resolve()
    return {
        (str(top / "archive/2024/11/22.md"), 3, 1, "DL403"),
        (str(top / "archive/special/2024-10-14.md"), 11, 981, "DL210"),
        (str(top / "archive/special/old/2024-10-17.md"), 3, 1, "DL403"),
    }


def only(findings: set[Finding], top: Path, names: tuple[str, ...]) -> set[Finding]:
    wanted = {str((top / name).resolve()) for name in names}
    return {finding for finding in findings if finding[0] in wanted}
