"""Shortcuts in the check never change what it reports.

- A rule that is not enabled is not run (unless its claims on schema findings matter).
- A row failing the layout schema is reported from the compiled fast path when
  that gives what jsonschema gives, so jsonschema is not imported for it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestlint.checker import check_text
from digestlint.layouts import load_layouts
from digestlint.rules import RULES
from digestlint.settings import Settings
from tests.conftest import SEEDS

DEFECTS = Path(__file__).resolve().parent / "data" / "defects.md"
SAMPLES = [DEFECTS, *sorted(SEEDS.glob("*.md"))]


def _findings(settings: Settings) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    for path in SAMPLES:
        result = check_text(path.read_text(encoding="utf-8"), path.name, settings)
        found.extend((v.path, v.line, v.column, v.code, v.message, v.fix) for v in result.violations)
    return found


def test_the_sample_has_findings_of_most_rules() -> None:
    codes = {finding[3] for finding in _findings(Settings(select=("ALL",)))}
    assert len(codes) >= 26


@pytest.mark.parametrize("code", [rule.code for rule in RULES])
def test_ignoring_a_rule_removes_its_findings_and_nothing_else(code: str) -> None:
    everything = _findings(Settings(select=("ALL",)))
    assert _findings(Settings(select=("ALL",), ignore=(code,))) == [f for f in everything if f[3] != code]


def test_selecting_one_family_gives_that_familys_findings() -> None:
    everything = _findings(Settings(select=("ALL",)))
    assert _findings(Settings(select=("DL5",))) == [f for f in everything if str(f[3]).startswith("DL5")]


LAYOUTS = load_layouts()
CELL_PIECES = [
    "", " ", "N/A", "[Link](https://github.com/a/b)", "[Link](https://github.com/a/b.git)", ", ",
    "[Link](https://huggingface.co/x/y)", "https://github.com/a/b", "[T](https://arxiv.org/abs/2410.17243)",
    "(https://arxiv.org/abs/2413.1)", "['Multimodal']", "['A', 'B']", "[]", "[Multimodal]", "'", "Title",
    " (Read more on [arXiv](https://arxiv.org/abs/2410.17243) or [HuggingFace](https://huggingface.co/papers/2410.17243))",
    "[Read more](https://arxiv.org/abs/2410.17243)", "|", "\\", "v2", ")",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(LAYOUTS.layouts),
    st.lists(st.lists(st.sampled_from(CELL_PIECES), max_size=3).map("".join), min_size=6, max_size=6),
)
def test_fast_schema_findings_are_jsonschemas(layout: object, values: list[str]) -> None:
    from digestlint.layouts import Layout

    assert isinstance(layout, Layout) and layout.fast
    cells = {name: value.strip() for name, value in zip(layout.header, values)}
    assert layout.validate(cells) == layout._validate_with_jsonschema(cells)


CHECK_AND_LIST_MODULES = """
import sys
from digestlint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(sorted(name for name in sys.modules if name.split(".")[0] in ("jsonschema", "pydantic", "referencing")))
"""


def test_checking_defects_imports_neither_jsonschema_nor_pydantic() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK_AND_LIST_MODULES, "check", "--isolated", "-q", str(DEFECTS)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "DL201" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _generated_texts(tmp_path: Path) -> list[tuple[str, str]]:
    from benchmarks.archive import generate_archive

    archive = generate_archive(tmp_path, days=25, seed=11, defect_rate=0.08)
    return [(path.name, path.read_text(encoding="utf-8")) for path in archive.files]


def test_a_fix_pass_finds_the_fixes_the_whole_check_finds(tmp_path: Path) -> None:
    from digestlint.checker import Check
    from digestlint.fixer import applicable
    from digestlint.parse import parse

    settings = Settings(select=("ALL",))
    samples = [(path.name, path.read_text(encoding="utf-8")) for path in SAMPLES] + _generated_texts(tmp_path)
    never = {rule.code for rule in RULES if rule.fixable == "never"}
    for name, text in samples:
        document = parse(text, name, settings.layouts)
        check = Check(document, settings)
        fixable = check.fixable()
        result = check.result()
        assert result.violations == check_text(text, name, settings).violations
        for unsafe in (False, True):
            assert [v for v in fixable if applicable(v, unsafe)] == [
                v for v in result.violations if applicable(v, unsafe)
            ]
        assert not [v for v in result.violations if v.code in never and v.fix is not None], "a 'never' rule fixed"


PATH_PARTS = ["a", "b.md", ".git", "drafts", "x*", "[a]", "archive", "2024", "01.md", "node_modules", "é", "a b", "?"]
PATTERNS = ["*.md", "drafts/*", "drafts", "a", "[ab]*", "*/01.md", "**", "?", "x[*]", "archive/2024/*", "[!a]*", "é*"]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=5),
    st.lists(st.sampled_from(PATTERNS), max_size=4),
    st.booleans(),
)
def test_excludes_match_as_fnmatch_does(parts: list[str], patterns: list[str], absolute: bool) -> None:
    from fnmatch import fnmatch

    from digestlint.files import DEFAULT_EXCLUDES, is_excluded

    path = Path(("/" if absolute else "") + "/".join(parts))
    for chosen in (patterns, [*DEFAULT_EXCLUDES, *patterns]):
        expected = any(
            fnmatch(path.as_posix(), pattern)
            or fnmatch(path.name, pattern)
            or any(fnmatch(p, pattern) for p in path.parts)
            for pattern in chosen
        )
        assert is_excluded(path, chosen) == expected
        if not absolute:  # the walk passes relative paths as strings
            assert is_excluded(path.as_posix(), chosen) == expected


@pytest.mark.parametrize(
    "text",
    ["x.md", "./x.md", "sub/x.md", "sub//x.md", "sub/../x.md", "../here/x.md", "../x.md", ".", "/", "/elsewhere/x"],
)
def test_display_path_is_what_pathlib_gives(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint.files import display_path

    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    for path in (Path(text), tmp_path / "here" / text):
        try:
            expected = path.absolute().relative_to(Path.cwd()).as_posix()
        except ValueError:
            expected = path.as_posix()
        assert display_path(path) == expected
