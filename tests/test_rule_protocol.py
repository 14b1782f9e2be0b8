"""Every finding comes from a rule: no rule code is written outside `digestlint/rules/`.

What the rest of the program needs to know about rules (which are formatting rules, which report
on the whole file, which need every file) it reads from the rules' class attributes.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

import digestlint
from digestlint import runner
from digestlint.cli import main
from digestlint.model import Violation
from digestlint.rules import CROSS_FILE_RULES, FILE_LEVEL_CODES, FORMATTING_CODES, RULES, UNEXPLAINED_REPORTERS
from digestlint.rules.base import Context, Paper, Rule
from digestlint.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PACKAGE = Path(digestlint.__file__).resolve().parent  # the package tested, wherever pytest runs from
CODE_LITERAL = re.compile(r"""["']DL[0-9]""")
ALLOWED = {
    # removed by the precision branch
    ("fixer.py", 'merge_links = any(violation.code == "DL204" for violation in applied)'),
}


def test_no_rule_code_is_written_outside_the_rules() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "rules":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CODE_LITERAL.search(line) and (relative.as_posix(), line.strip()) not in ALLOWED:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert len(list(PACKAGE.rglob("*.py"))) > 20, "the package was found"
    assert found == []


def test_the_sets_other_modules_use_come_from_class_attributes() -> None:
    assert tuple(rule.code for rule in RULES if rule.formatting) == FORMATTING_CODES
    assert {code[:3] for code in FORMATTING_CODES} == {"DL1", "DL5"}
    assert all(rule.code in FORMATTING_CODES for rule in RULES if rule.code.startswith("DL5"))
    assert FILE_LEVEL_CODES == frozenset(rule.code for rule in RULES if rule.file_level) != frozenset()
    assert len(UNEXPLAINED_REPORTERS) == 1
    assert [rule.name for rule in CROSS_FILE_RULES] == ["cross-file-duplicate"]


class SameTitleAcrossFiles(Rule):
    """A stand-in cross-file rule: every paper whose ID another checked file also lists."""

    code = "DL000"
    name = "stand-in"
    cross_file = True

    def check(self, context: Context) -> Iterator[Violation]:
        return iter(())

    def check_files(
        self, papers_by_file: Mapping[str, Sequence[Paper]], context_papers: Iterable[Paper], settings: Settings
    ) -> Iterator[Violation]:
        for path, papers in papers_by_file.items():
            for paper in papers:
                yield Violation(path, paper.line, 1, paper.line, 1, self.code, self.name, f"seen {len(papers_by_file)}")


def test_the_runner_calls_every_cross_file_rule_with_every_checked_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("2024-10-23.md", "2024-10-24.md"):
        shutil.copy(FIXTURES / "DL406" / "same-paper-on-two-days" / name, tmp_path / name)
    monkeypatch.setattr(runner, "CROSS_FILE_RULES", (SameTitleAcrossFiles,))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--isolated", "-o", "concise", "."])
    lines = result.output.splitlines()
    assert "2024-10-23.md:5:1: DL000 seen 2" in lines
    assert "2024-10-24.md:6:1: DL000 seen 2" in lines
    assert not any("DL406" in line for line in lines), "the cross-file rules are the runner's only source"


def test_format_applies_the_fixes_of_formatting_rules_only(tmp_path: Path) -> None:
    seed = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8")  # a DL206 finding (not formatting)
    (tmp_path / "day.md").write_text(seed + "\n\n", encoding="utf-8")  # blank lines at the end: DL504
    result = CliRunner().invoke(main, ["format", "--isolated", os.fspath(tmp_path / "day.md")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "day.md").read_text(encoding="utf-8") == seed
    assert "cca-llava.git" in seed
