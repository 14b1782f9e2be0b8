"""Discovering and running the golden fixtures in `tests/fixtures/` (the layout is in its README.md).

Every case is run through the real CLI with click's CliRunner, in a temporary
folder that holds only the case's input files, with that folder as the
current directory: findings then name the bare file, exactly as
`digestlint --isolated -o concise FILE` prints them when run beside it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from digestlint.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXED_SUFFIX = ".fixed.md"
UNSAFE_MARKER = ".unsafe"
REGENERATE = os.environ.get("DIGESTLINT_REGENERATE") == "1"
CONFIG_NAME = ".digestlint.toml"


@dataclass(frozen=True)
class Case:
    """One fixture: a digest `<name>.md`, or a folder `<name>/` of digests checked together."""

    code: str
    name: str
    source: Path  # the case's .md file, or its folder

    @property
    def id(self) -> str:
        return f"{self.code}/{self.name}"

    @property
    def folder(self) -> Path:
        return self.source.parent

    @property
    def is_folder(self) -> bool:
        return self.source.is_dir()

    @property
    def isolated(self) -> bool:
        """Folder cases may bring their own config (and layouts); every other case runs with `--isolated`."""
        return not (self.is_folder and (self.source / CONFIG_NAME).exists())

    @property
    def inputs(self) -> list[Path]:
        """The digests of the case: the file itself, or every input .md in the folder."""
        if not self.is_folder:
            return [self.source]
        return sorted(path for path in self.source.glob("*.md") if not path.name.endswith(FIXED_SUFFIX))

    @property
    def target(self) -> str:
        """The CLI argument, relative to the folder the inputs are copied to."""
        return "." if self.is_folder else self.source.name

    @property
    def expected_path(self) -> Path:
        return self.folder / f"{self.name}.expected"

    @property
    def args(self) -> list[str]:
        options = self.folder / f"{self.name}.args"
        return shlex.split(options.read_text(encoding="utf-8")) if options.exists() else []

    @property
    def unsafe(self) -> bool:
        return self.name.endswith(UNSAFE_MARKER)

    @property
    def fix_args(self) -> list[str]:
        return ["--fix", "--unsafe-fixes"] if self.unsafe else ["--fix"]


def fixed_path(source: Path) -> Path:
    return source.with_name(source.name.removesuffix(".md") + FIXED_SUFFIX)


def discover_cases() -> list[Case]:
    cases: list[Case] = []
    for folder in sorted(path for path in FIXTURES.iterdir() if path.is_dir()):
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                cases.append(Case(folder.name, entry.name, entry))
            elif entry.name.endswith(".md") and not entry.name.endswith(FIXED_SUFFIX):
                cases.append(Case(folder.name, entry.name.removesuffix(".md"), entry))
    return cases


def copy_inputs(case: Case, destination: Path) -> None:
    """Copy the case's files byte for byte (some digests are deliberately not UTF-8), leaving out expectations."""
    destination.mkdir(parents=True, exist_ok=True)
    sources = sorted(case.source.iterdir()) if case.is_folder else [case.source]
    for source in sources:
        if source.is_file() and not source.name.endswith(FIXED_SUFFIX):
            shutil.copyfile(source, destination / source.name)


def invoke(arguments: list[str], cwd: Path) -> Result:
    """Run the CLI in `cwd`; a crash propagates as the exception it is."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, arguments, catch_exceptions=False)
    finally:
        os.chdir(previous)


def check_command(case: Case, output_format: str = "concise") -> list[str]:
    isolated = ["--isolated"] if case.isolated else []
    return ["check", *isolated, "--output-format", output_format, *case.args, case.target]


def fix_command(case: Case, output_format: str = "concise") -> list[str]:
    return [*check_command(case, output_format)[:-1], *case.fix_args, case.target]


def fixable_findings(result: Result, *, unsafe: bool) -> list[str]:
    """The findings of a JSON report that `--fix` (with `unsafe`, `--fix --unsafe-fixes`) would still fix."""
    findings = json.loads(result.stdout)
    return [
        f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} {finding['message']}"
        for finding in findings
        if finding["fix"] is not None and (unsafe or finding["fix"]["applicability"] == "safe")
    ]
