"""Every output format through the CLI, against golden files; SARIF against its JSON Schema.

Regenerate the golden files after an intended change with
`DIGESTLINT_UPDATE_GOLDEN=1 pytest tests/test_output_formats.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from digestlint import __version__
from digestlint.cli import OUTPUT_FORMATS, main
from digestlint.model import Severity, Violation
from digestlint.reporters.github import escape_data, escape_property, workflow_command
from digestlint.reporters.sarif import rule_descriptors
from tests.conftest import CLEAN_SEEDS, SEEDS

GOLDEN = Path(__file__).resolve().parent / "golden" / "formats"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
ODD_NAME = "odd 100%, v1:2.md"  # every character the github format must escape in a property


def _digests(root: Path) -> None:
    """Findings of every kind the reporters must carry: fixable, unfixable, cross-file, unreadable, odd path."""
    digests = root / "digests"
    digests.mkdir()
    clean = SEEDS / "000_515fa1aceb584d49.md"
    shutil.copyfile(clean, digests / "2024-11-05.md")
    lines = clean.read_text(encoding="utf-8").splitlines(keepends=True)
    (digests / "2024-11-06.md").write_text("".join(lines[:7]).replace("2024-11-05", "2024-11-06"), encoding="utf-8")
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", digests / ODD_NAME)
    shutil.copyfile(SEEDS / "004_374a45687a9b3cbe.md", digests / "page.md")
    (digests / "binary.md").write_bytes(b"## Papers\x00 for 2024-11-07\n")


def _run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args), env={"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": None})
    return result.exit_code, result.stdout


def _normalise(output_format: str, output: str) -> str:
    """SARIF carries every rule's docs and the version: checked against the registry, not frozen here."""
    if output_format != "sarif":
        return output
    log = json.loads(output)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == __version__
    assert driver["rules"] == rule_descriptors()
    driver["version"], driver["rules"] = "<version>", "<rules: digestlint.reporters.sarif.rule_descriptors()>"
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_golden_output(output_format: str, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _digests(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, output = _run(runner, "check", "digests", "--output-format", output_format)
    assert code == 2  # binary.md is unreadable: an error, reported as DL100 and still exit 2
    output = _normalise(output_format, output)
    golden = GOLDEN / f"check.{output_format}"
    if os.environ.get("DIGESTLINT_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


def _validate_sarif(output: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(output)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)
    return log


def test_sarif_is_valid_against_the_schema(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _digests(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, output = _run(runner, "check", "digests", "-o", "sarif")
    log = _validate_sarif(output)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} >= {result["ruleId"] for result in run["results"]}
    for found in run["results"]:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
        assert rules[found["ruleIndex"]]["help"]["text"].strip()
    uris = {found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for found in run["results"]}
    assert "digests/odd%20100%25%2C%20v1%3A2.md" in uris
    assert run["invocations"][0]["executionSuccessful"] is False  # binary.md


def test_sarif_without_findings_is_valid(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS.parent)
    code, output = _run(runner, "check", "seeds/000_515fa1aceb584d49.md", "-o", "sarif")
    assert code == 0
    log = _validate_sarif(output)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_sarif_absolute_paths_are_file_uris(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "cwd").mkdir()
    shutil.copyfile(SEEDS / "004_374a45687a9b3cbe.md", tmp_path / "elsewhere" / "page one.md")
    monkeypatch.chdir(tmp_path / "cwd")
    _, output = _run(runner, "check", str(tmp_path / "elsewhere" / "page one.md"), "-o", "sarif")
    location = _validate_sarif(output)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "file://" + str(tmp_path).replace(" ", "%20") + "/elsewhere/page%20one.md"
    }


def test_junit_has_one_testcase_per_file(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _digests(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, output = _run(runner, "check", "digests", "-o", "junit", "does-not-exist.md")
    root = ElementTree.fromstring(output.encode("utf-8"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {path.as_posix() for path in Path("digests").iterdir()} | {"does-not-exist.md"}
    assert cases["digests/2024-11-05.md"].find("failure") is not None  # DL406 against 2024-11-06.md
    assert cases["digests/binary.md"].find("error") is not None
    assert cases["does-not-exist.md"].find("error") is not None
    assert list(cases["digests/page.md"]) != [] and cases["digests/page.md"].find("failure") is not None
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "4", "2")


_COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_github_commands_round_trip_odd_paths_and_messages() -> None:
    violation = Violation("a, b:c%d.md", 3, 5, 3, 9, "DL999", "test", "50% off\r\nnext: line, more", Severity.WARNING)
    line = workflow_command(violation)
    assert "\n" not in line and "\r" not in line
    match = _COMMAND.match(line)
    assert match is not None, line
    assert match[1] == "warning"
    properties = dict(part.split("=", 1) for part in match[2].split(","))
    assert {key: _unescape(value) for key, value in properties.items()} == {
        "file": "a, b:c%d.md",
        "line": "3",
        "col": "5",
        "endLine": "3",
        "endColumn": "8",
        "title": "DL999",
    }
    assert _unescape(match[3]) == "50% off\r\nnext: line, more"
    assert escape_data("100%\n") == "100%25%0A"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_github_is_the_default_under_github_actions(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS.parent)
    result = runner.invoke(main, ["seeds"], env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": None})
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert lines and all(line.startswith("::error file=seeds/") for line in lines), result.stdout
    explicit = runner.invoke(main, ["seeds", "-o", "text"], env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": None})
    assert explicit.stdout.startswith("seeds/003_0419e020d2a675aa.md:12:1185: DL206")


def test_step_summary_is_appended_with_links(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _digests(tmp_path)
    monkeypatch.chdir(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "maintainer/papers",
        "GITHUB_SHA": "0123abc",
        "GITHUB_WORKSPACE": str(tmp_path),
    }
    result = runner.invoke(main, ["check", "digests"], env=env)
    assert result.exit_code == 2
    assert result.stdout.startswith("::error file=digests/2024-11-05.md,")  # github is the default format
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## digestlint\n")
    golden = GOLDEN / "step-summary.md"
    if os.environ.get("DIGESTLINT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_step_summary_without_findings_or_links(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(SEEDS.parent)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_REPOSITORY": None}
    result = runner.invoke(main, ["check", *(str(path.relative_to(SEEDS.parent)) for path in CLEAN_SEEDS)], env=env)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert summary.read_text(encoding="utf-8") == "## digestlint\n\nChecked 2 files: no findings.\n\n"
    result = runner.invoke(main, ["check", "seeds/004_374a45687a9b3cbe.md"], env=env)
    assert "| seeds/004_374a45687a9b3cbe.md:11:981 | DL210 |" in summary.read_text(encoding="utf-8")


def test_step_summary_that_cannot_be_written_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    env = {"GITHUB_ACTIONS": None, "GITHUB_STEP_SUMMARY": str(tmp_path / "missing" / "summary.md")}
    result = runner.invoke(main, ["check", str(CLEAN_SEEDS[0])], env=env)
    assert result.exit_code == 0
    assert "digestlint: warning: cannot append the job summary" in result.stderr
