"""Suppression comments through the CLI: unknown codes (DL190), unused comments (DL191, opt-in) and their fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from digestlint.checker import check_text
from digestlint.cli import main
from digestlint.settings import Settings
from tests.conftest import ROOT
from tests.linearity import assert_linear, repeat_to

FIXTURES = ROOT / "tests" / "fixtures"
DIGEST = (FIXTURES / "DL206" / "git-suffix.md").read_text(encoding="utf-8")  # one DL206 on line 5
CLEAN = DIGEST.replace("PyramidDrop.git)", "PyramidDrop)")
HEADING = "## Papers for 2024-10-23\n"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", "--isolated", *args], env={"GITHUB_ACTIONS": None})


def _codes(result: Result) -> list[tuple[int, str]]:
    return [(finding["line"], finding["code"]) for finding in json.loads(result.stdout)]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "comment", ["<!-- digestlint-disable-file dl206 -->", "<!-- digestlint-disable-file please -->"]
)
def test_a_comment_naming_no_rule_silences_nothing(folder: Path, comment: str) -> None:
    """Such words used to be dropped, leaving a comment with no codes: one that silenced everything."""
    (folder / "day.md").write_text(f"{comment}\n{DIGEST}", encoding="utf-8")
    result = _invoke("-o", "json", "day.md")
    assert result.exit_code == 1
    assert _codes(result) == [(1, "DL190"), (6, "DL206")]
    if "dl206" in comment:
        assert "did you mean DL206?" in json.loads(result.stdout)[0]["message"]


def test_unknown_codes_are_reported_in_every_form_of_comment(folder: Path) -> None:
    text = DIGEST.replace(
        HEADING,
        "<!-- digestlint-disable-next-line DL4O1 -->\n" + HEADING + "<!-- digestlint-disable DL2, DL77 -->\n",
    )
    text += "<!-- digestlint-enable DL2 DL-2 -->\n<!-- digestlint-disable-file ALL -->\n"
    (folder / "day.md").write_text(text, encoding="utf-8")
    result = _invoke("-o", "json", "day.md")
    assert _codes(result) == [(1, "DL190"), (3, "DL190"), (9, "DL190"), (10, "DL190")]
    messages = [finding["message"] for finding in json.loads(result.stdout)]
    assert "did you mean DL401?" in messages[0]
    assert "no rule code starts with 'DL77'" in messages[1]
    assert "'ALL' is not a code here" in messages[3]


def test_unused_suppressions_are_off_by_default_and_fixed_when_selected(folder: Path) -> None:
    text = (
        "<!-- digestlint-disable-next-line DL401 -->\n"
        + DIGEST.replace(HEADING, HEADING + "\n<!-- digestlint-disable DL206, DL302 -->")
        + "<!-- digestlint-enable -->\n"
    )
    day = folder / "day.md"
    day.write_text(text, encoding="utf-8")
    assert (_invoke("day.md").exit_code, day.read_text(encoding="utf-8")) == (0, text)
    result = _invoke("-o", "json", "--extend-select", "DL191", "day.md")
    assert _codes(result) == [(1, "DL191"), (4, "DL191")]
    fixed = _invoke("--fix", "--extend-select", "DL191", "day.md")
    assert fixed.exit_code == 0, fixed.output
    assert (
        day.read_text(encoding="utf-8")
        == DIGEST.replace(HEADING, HEADING + "\n<!-- digestlint-disable DL206 -->") + "<!-- digestlint-enable -->\n"
    )


def test_fixing_never_removes_a_comment_used_only_by_a_rule_without_fixes(folder: Path) -> None:
    """Fix passes run only rules that can fix; with DL191 on, they run every rule, or DL403's comment would go."""
    day = folder / "2024-10-24.md"
    text = "<!-- digestlint-disable-next-line DL403 -->\n" + CLEAN
    day.write_text(text, encoding="utf-8")
    result = _invoke("--fix", "--extend-select", "DL191", "2024-10-24.md")
    assert (result.exit_code, day.read_text(encoding="utf-8")) == (0, text)


def test_a_comment_that_names_dl191_keeps_itself_and_silences_dl191(folder: Path) -> None:
    text = "<!-- digestlint-disable-file DL191 -->\n<!-- digestlint-disable-next-line DL401 -->\n" + CLEAN
    (folder / "day.md").write_text(text, encoding="utf-8")
    result = _invoke("--extend-select", "DL191", "day.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_suppression_of_cross_file_duplicates_on_paper_rows_is_kept(folder: Path) -> None:
    """Whether a DL406 suppression is used depends on the other files: one over paper rows is not judged."""
    (folder / "a.md").write_text(
        CLEAN.replace(HEADING, HEADING + "\n<!-- digestlint-disable DL406 -->") + "<!-- digestlint-enable -->\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text("<!-- digestlint-disable-next-line DL406 -->\n" + CLEAN, encoding="utf-8")
    result = _invoke("-o", "json", "--extend-select", "DL191", ".")
    findings = [(finding["path"], finding["line"], finding["code"]) for finding in json.loads(result.stdout)]
    # b.md's comment covers its heading only: it cannot silence DL406, which b.md reports on its rows.
    assert findings == [("b.md", 1, "DL191"), ("b.md", 6, "DL406"), ("b.md", 7, "DL406")]


COMMENT_FLOODS = [
    "<!-- digestlint-disable DL206 -->\n",  # ranges never closed, each unused
    "<!-- digestlint-disable DL2O6 DL-9 -->\n",  # unknown codes: DL190 and its did-you-mean
    "<!-- digestlint-disable-next-line DL206 DL302 -->\n",  # a stack: every comment silences the line below it
    "Text <!-- digestlint-disable-file -->\n",  # blanket comments sharing lines with text
]


@pytest.mark.slow
@pytest.mark.parametrize("comment", COMMENT_FLOODS)
def test_judging_many_comments_is_linear(comment: str) -> None:
    settings = Settings(extend_select=("DL191",))
    assert_linear(
        f"check: {comment.strip()}",
        lambda size: repeat_to(comment, size, DIGEST),
        lambda text: check_text(str(text), "x.md", settings),
        large_size=1 << 18,
    )
