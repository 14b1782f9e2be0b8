"""The result cache: a warm run reuses results, and no change ever gets a stale one."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import digestlint.runner
from digestlint.cache import CACHE_FOLDER, ResultCache, StoredRecords
from digestlint.checker import check_text
from digestlint.cli import main
from digestlint.fixer import applicable
from digestlint.layouts import builtin_schema_dir
from digestlint.records import PaperRecord
from digestlint.runner import Report, RunOptions, run
from digestlint.settings import Settings
from tests.conftest import SEEDS, as_reported

DEFECTS = Path(__file__).resolve().parent / "data" / "defects.md"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small archive in its own folder, which is also the current folder (where the cache goes)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "archive"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.md")):
        shutil.copyfile(seed, folder / seed.name)
    shutil.copyfile(DEFECTS, folder / "2024-10-23.md")
    # The same paper on two days: DL406 needs the records of cached files too.
    row = (SEEDS / "003_0419e020d2a675aa.md").read_text(encoding="utf-8").splitlines()[6]
    assert "2410.17247" in row
    (folder / "2024-10-25.md").write_text(
        "## Papers for 2024-10-25\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
        f"|-------|---------|---------|----------------|-------------|-----------------|\n{row}\n",
        encoding="utf-8",
    )
    return folder


def _summary(report: Report) -> list[tuple[object, ...]]:
    return [
        (outcome.path, outcome.error, as_reported(outcome.violations), tuple(outcome.records), outcome.new_text)
        for outcome in report.files
    ]


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths actually checked (not served from the cache)."""
    checked: list[str] = []
    process = digestlint.runner.process_source

    def counting(source: object, path: str, settings: Settings, options: RunOptions) -> object:
        checked.append(path)
        return process(source, path, settings, options)  # type: ignore[arg-type]

    monkeypatch.setattr(digestlint.runner, "process_source", counting)
    yield checked


def _run(archive: Path, settings: Settings | None = None, **options: object) -> Report:
    return run([archive], settings or Settings(), RunOptions(cache_root=archive.parent, jobs=1, **options))  # type: ignore[arg-type]


def test_a_warm_run_reuses_every_result_and_reports_the_same(archive: Path, checks: list[str]) -> None:
    cold = _run(archive)
    assert len(checks) == 7
    checks.clear()
    warm = _run(archive)
    assert checks == []
    assert _summary(warm) == _summary(cold)
    assert any(violation.code == "DL406" for violation in warm.violations)
    uncached = run([archive], Settings(), RunOptions(jobs=1))
    assert _summary(uncached) == _summary(cold)


def test_a_changed_file_is_checked_again(archive: Path, checks: list[str]) -> None:
    _run(archive)
    target = archive / "003_0419e020d2a675aa.md"
    target.write_text(target.read_text(encoding="utf-8").replace("cca-llava.git", "cca-llava"), encoding="utf-8")
    checks.clear()
    report = _run(archive)
    assert checks == [target.relative_to(archive.parent).as_posix()]
    assert _summary(report) == _summary(run([archive], Settings(), RunOptions(jobs=1)))
    assert not any(violation.code == "DL206" and "003_" in violation.path for violation in report.violations)


def test_a_byte_order_mark_is_part_of_the_key(archive: Path, checks: list[str]) -> None:
    _run(archive)
    target = archive / "000_515fa1aceb584d49.md"
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())
    checks.clear()
    _run(archive)
    assert checks == [target.relative_to(archive.parent).as_posix()]


def test_other_settings_do_not_reuse_results(archive: Path, checks: list[str]) -> None:
    _run(archive)
    checks.clear()
    report = _run(archive, Settings(ignore=("DL206",)))
    assert len(checks) == 7
    assert not any(violation.code == "DL206" for violation in report.violations)


def test_a_changed_config_file_is_not_served_stale_results(archive: Path, runner: CliRunner) -> None:
    first = runner.invoke(main, ["check", "archive", "-o", "json"])
    assert any(finding["code"] == "DL206" for finding in json.loads(first.output))
    (archive.parent / ".digestlint.toml").write_text('ignore = ["DL206"]\n', encoding="utf-8")
    second = runner.invoke(main, ["check", "archive", "-o", "json"])
    assert not any(finding["code"] == "DL206" for finding in json.loads(second.output))


def _user_layout(folder: Path, pattern: str) -> Path:
    schema = json.loads((builtin_schema_dir() / "linked.schema.json").read_text(encoding="utf-8"))
    schema["title"] = "mine"
    schema["$id"] = "mine.schema.json"
    schema["properties"]["Authors"]["allOf"].append(
        {"pattern": pattern, "x-digestlint": {"code": "DL109", "message": "{column} is not like the others"}}
    )
    path = folder / "mine.schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return path


def test_a_changed_layout_schema_is_not_served_stale_results(archive: Path, runner: CliRunner) -> None:
    layouts = archive.parent / "layouts"
    layouts.mkdir()
    _user_layout(layouts, "^E\\.")  # the linked rows' authors are E. and F.: F. fails
    (archive.parent / ".digestlint.toml").write_text('layouts = ["layouts/mine.schema.json"]\n', encoding="utf-8")
    first = runner.invoke(main, ["check", "archive", "-o", "json"])
    assert [f["line"] for f in json.loads(first.output) if f["code"] == "DL109"] == [27]
    _user_layout(layouts, "^[EF]\\.")
    second = runner.invoke(main, ["check", "archive", "-o", "json"])
    assert [f["line"] for f in json.loads(second.output) if f["code"] == "DL109"] == []


def test_a_changed_file_next_to_a_layout_changes_the_fingerprint(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    path = _user_layout(layouts, "^E\\.")
    from digestlint.cache import fingerprint
    from digestlint.layouts import load_layouts

    settings = Settings(layouts=load_layouts([path]))
    before = fingerprint(settings)
    (layouts / "tags.schema.json").write_text('{"enum": ["Mine"]}', encoding="utf-8")  # what a `$ref` may read
    assert fingerprint(settings) != before


def test_no_cache_writes_nothing_and_reports_the_same(archive: Path, runner: CliRunner) -> None:
    uncached = runner.invoke(main, ["check", "archive", "--no-cache"])
    assert not (archive.parent / CACHE_FOLDER).exists()
    cached = runner.invoke(main, ["check", "archive"])
    warm = runner.invoke(main, ["check", "archive"])
    assert (archive.parent / CACHE_FOLDER).is_dir()
    assert uncached.output == cached.output == warm.output
    assert uncached.exit_code == cached.exit_code == warm.exit_code == 1


def test_the_cache_folder_ignores_itself(archive: Path) -> None:
    _run(archive)
    root = archive.parent / CACHE_FOLDER
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (root / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert not list(root.rglob("*.digestlint-tmp")), "a temporary file was left behind"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"not json\n" + data,
        lambda data: data.replace(b'"DL', b'"XX', 1) if b'"DL' in data else b"[]",
        lambda data: data.rsplit(b"\n", 1)[0] + b"\n[[1]]",  # other records
        lambda data: b'{"path": 1}\n[]',
        lambda data: b"\xff\xfe",
    ],
)
def test_a_corrupt_entry_is_ignored_and_rewritten(archive: Path, checks: list[str], damage: object) -> None:
    expected = _summary(_run(archive))
    entries = sorted((archive.parent / CACHE_FOLDER).rglob("*.json"))
    assert len(entries) == 7
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    checks.clear()
    damaged = _run(archive)
    assert _summary(damaged) == expected
    checks.clear()
    assert _summary(_run(archive)) == expected
    assert checks == [], "the damaged entries were rewritten"


def test_an_unwritable_cache_is_not_an_error(archive: Path) -> None:
    (archive.parent / CACHE_FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    report = _run(archive)
    assert not report.has_errors
    assert _summary(report) == _summary(run([archive], Settings(), RunOptions(jobs=1)))


@pytest.mark.parametrize("slots", [True, False], ids=["slot-setters", "init"])
def test_a_stored_result_is_read_back_field_for_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slots: bool
) -> None:
    if not slots:
        monkeypatch.setattr("digestlint.cache._VIOLATION_SETTERS", None)
    settings = Settings(select=("ALL",))
    text = DEFECTS.read_text(encoding="utf-8")
    result = check_text(text, "day.md", settings)
    fixes = [violation.fix for violation in result.violations if violation.fix is not None]
    assert fixes and result.records and all(violation.severity for violation in result.violations)
    cache = ResultCache(tmp_path, settings)
    cache.put("day.md", text, False, result.violations, result.records)
    cached = cache.get("day.md", text, False)
    assert cached is not None
    expected = as_reported(result.violations)
    assert tuple(cached.violations) == expected
    assert [hash(violation) for violation in cached.violations] == [hash(violation) for violation in expected]
    assert all(violation.fix is None or not violation.fix.edits for violation in cached.violations)
    for name in (field.name for field in dataclasses.fields(PaperRecord)):
        assert [getattr(record, name) for record in cached.records] == [getattr(r, name) for r in result.records]
    assert cached.records == result.records
    assert cache.get("day.md", text + "\n", False) is None
    assert cache.get("day.md", text, True) is None
    assert cache.get("other.md", text, False) is None


def test_stored_records_are_built_only_when_read(tmp_path: Path) -> None:
    settings = Settings()
    text = DEFECTS.read_text(encoding="utf-8")
    result = check_text(text, "day.md", settings)
    cache = ResultCache(tmp_path, settings)
    cache.put("day.md", text, False, result.violations, result.records)
    cached = cache.get("day.md", text, False)
    assert cached is not None
    records = cached.records
    assert isinstance(records, StoredRecords)
    assert len(records) == len(result.records)
    assert [(paper.arxiv_id, paper.line, paper.date) for paper in records.papers()] == [
        (record.arxiv_id, record.line, record.date) for record in result.records if record.arxiv_id
    ]
    assert records._records is None  # DL406 and len() did not build them
    assert records[0] == result.records[0]
    assert list(records) == result.records


def test_fixing_after_a_cached_check_fixes_and_remembers_the_fixed_text(
    archive: Path, tmp_path: Path, checks: list[str]
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(archive, reference)
    run([reference], Settings(), RunOptions(fix=True, jobs=1))
    _run(archive)
    checks.clear()
    fixed = _run(archive, fix=True)
    assert sorted(checks) == sorted(outcome.path for outcome in fixed.files if outcome.fixed)
    assert checks, "files with something to fix are fixed, not served from the cache"
    for path in sorted(archive.iterdir()):
        assert path.read_bytes() == (reference / path.name).read_bytes()
    checks.clear()
    again = _run(archive)
    assert checks == [], "the fixed files' results were stored under their new content"
    assert _summary(again) == _summary(run([archive], Settings(), RunOptions(jobs=1)))
    checks.clear()
    refix = _run(archive, fix=True)
    assert [outcome.changed for outcome in refix.files] == [False] * 7
    # Only a file whose fix was refused still has something to fix, and is tried again.
    assert sorted(checks) == sorted(o.path for o in refix.files if any(applicable(v, False) for v in o.violations))


def test_a_cached_file_keeps_its_suppression_comments_for_dl406(archive: Path, checks: list[str]) -> None:
    day = archive / "2024-10-25.md"
    unsuppressed = _run(archive)
    assert "archive/2024-10-25.md" in [
        violation.path for violation in unsuppressed.violations if violation.code == "DL406"
    ]
    day.write_text("<!-- digestlint-disable-file DL406 -->\n" + day.read_text(encoding="utf-8"), encoding="utf-8")
    cold = _run(archive)
    checks.clear()
    warm = _run(archive)
    assert checks == []
    assert _summary(warm) == _summary(cold)
    duplicates = [violation.path for violation in warm.violations if violation.code == "DL406"]
    assert duplicates and "archive/2024-10-25.md" not in duplicates
