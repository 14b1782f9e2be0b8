"""The language server's logic without a client: positions, edits, settings, DL406, errors, debouncing."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digestlint.model import Edit
from digestlint.results import RULES_DOCS_URL, rule_url
from digestlint.server.convert import LineIndex, Position, TextEdit, apply_text_edits, minimal_edits, utf16_length
from digestlint.server.session import Session
from tests.conftest import SEEDS

NON_CANONICAL_SEED = SEEDS / "003_0419e020d2a675aa.md"
BAD_URL = "https://github.com/xing0047/cca-llava.git"


def test_utf16_positions_count_astral_characters_twice() -> None:
    text = "ab\n漢😀x\n"
    index = LineIndex(text)
    assert utf16_length("漢😀x") == 4
    assert index.offset_position(text.index("x")) == Position(1, 3)
    assert index.column_position(2, 3) == Position(1, 3)  # digestlint's column 3 is the code point 'x'
    assert index.offset_position(len(text)) == Position(2, 0)  # the end of a text that ends in a newline


def test_text_edits_round_trip_through_apply() -> None:
    text = "| a 😀 | b |\n| c | d |\n"
    edits = [Edit(text.index("b"), text.index("b") + 1, "B"), Edit(len(text), len(text), "tail\n")]
    assert apply_text_edits(text, LineIndex(text).text_edits(edits)) == "| a 😀 | B |\n| c | d |\ntail\n"


def test_minimal_edits_touch_only_changed_lines() -> None:
    old = "one\ntwo\nthree\nfour\n"
    new = "one\nTWO\nthree\nfour\nfive\n"
    edits = minimal_edits(old, new)
    assert [(old[edit.start : edit.end], edit.replacement) for edit in edits] == [("two\n", "TWO\n"), ("", "five\n")]
    assert apply_text_edits(old, LineIndex(old).text_edits(edits)) == new
    assert minimal_edits(old, old) == []


def test_rule_url_points_at_the_rule_anchor() -> None:
    assert rule_url("DL206") == f"{RULES_DOCS_URL}#dl206-url-not-canonical"
    assert rule_url("DL999") == RULES_DOCS_URL
    assert "## DL206 url-not-canonical" in (Path(__file__).parent.parent / "docs" / "rules.md").read_text("utf-8")


def _project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / ".digestlint.toml").write_text(config, encoding="utf-8")
    return tmp_path


def _open(session: Session, path: Path) -> list[str]:
    session.open(path.as_uri(), path.read_text(encoding="utf-8"))
    findings, error = session.check(path.as_uri())
    assert error is None
    return [finding.code for finding in findings]


def test_settings_follow_the_config_and_are_reloaded_when_it_changes(tmp_path: Path) -> None:
    folder = _project(tmp_path, 'ignore = ["DL206"]\n')
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    session = Session()
    assert _open(session, day) == []

    config = folder / ".digestlint.toml"
    config.write_text("cross-file-window = 0\n", encoding="utf-8")  # the copy below repeats every paper
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new mtime, however coarse
    findings, _ = session.check(day.as_uri())
    assert [finding.code for finding in findings] == ["DL206"]

    # A config created nearer the file is seen after a watched-files notification.
    sub = folder / "sub"
    sub.mkdir()
    nested = sub / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, nested)
    assert _open(session, nested) == ["DL206"]
    (sub / ".digestlint.toml").write_text('ignore = ["DL2"]\ncross-file-window = 0\n', encoding="utf-8")
    session.file_changed(str(sub / ".digestlint.toml"))
    findings, _ = session.check(nested.as_uri())
    assert findings == []


def test_cross_file_duplicates_against_the_workspace_follow_other_files(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    text = NON_CANONICAL_SEED.read_text(encoding="utf-8").replace(BAD_URL, "https://github.com/xing0047/cca-llava")
    first_row = next(line for line in text.splitlines() if line.startswith("| [PyramidDrop"))
    day = folder / "2024-10-23.md"
    day.write_text(text, encoding="utf-8")
    other = folder / "2024-10-24.md"
    header = text[: text.index("| [")].replace("2024-10-23", "2024-10-24")
    other.write_text(f"{header}{first_row}\n", encoding="utf-8")

    session = Session()
    session.open(day.as_uri(), text)
    findings, _ = session.check(day.as_uri())
    assert [(finding.code, str(other) in finding.message) for finding in findings] == [("DL406", True)]

    # The other file no longer lists the paper: after the watched-files notification, DL406 is gone.
    other.write_text(header.rstrip("\n") + "\n", encoding="utf-8")
    session.file_changed(str(other))
    findings, _ = session.check(day.as_uri())
    assert findings == []

    # An open document counts with its unsaved text.
    session.open(other.as_uri(), f"{header}{first_row}\n")
    session.check(other.as_uri())
    findings, _ = session.check(day.as_uri())
    assert [finding.code for finding in findings] == ["DL406"]


def test_an_exception_in_a_rule_is_reported_once_and_the_session_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digestlint.rules.links import UrlNotCanonical

    def broken(self: object, context: object) -> object:
        raise RuntimeError("rule exploded")

    folder = _project(tmp_path)
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    session = Session()
    session.open(day.as_uri(), day.read_text(encoding="utf-8"))
    with monkeypatch.context() as patch:
        patch.setattr(UrlNotCanonical, "check", broken)
        findings, message = session.check(day.as_uri())
        assert findings == []
        assert message is not None and "RuntimeError: rule exploded" in message
        assert session.check(day.as_uri()) == ([], None)  # reported once
    findings, message = session.check(day.as_uri())
    assert [finding.code for finding in findings] == ["DL206"]
    assert message is None


def test_a_change_cancels_the_check_still_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint.server.app import DigestServer

    server = DigestServer()
    server.debounce = 0.05
    published: list[str] = []
    monkeypatch.setattr(server, "publish", published.append)

    async def type_three_keys() -> None:
        for _ in range(3):
            server.schedule("file:///day.md")
            await asyncio.sleep(0)
        assert len(server.pending) == 1
        await asyncio.sleep(0.2)

    asyncio.run(type_three_keys())
    assert published == ["file:///day.md"]


def test_the_core_and_the_cli_never_import_pygls() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from digestlint.cli import main\n"
        f"CliRunner().invoke(main, ['--isolated', {str(NON_CANONICAL_SEED)!r}, '-o', 'json'])\n"
        "print(','.join(name for name in ('pygls', 'lsprotocol', 'digestlint.server') if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_code_actions_offer_fix_fix_all_and_disable_and_honour_only(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    session = Session()
    uri = day.as_uri()
    text = day.read_text(encoding="utf-8")
    session.open(uri, text)
    (finding,) = session.findings(uri)
    line = finding.line - 1
    titles = [(action.kind, action.title) for action in session.code_actions(uri, line, line)]
    assert titles == [
        ("quickfix", "DL206: write https://github.com/xing0047/cca-llava"),
        ("quickfix", "Disable DL206 for this table"),
        ("source.fixAll.digestlint", "Fix all digestlint findings"),
    ]
    assert [action.kind for action in session.code_actions(uri, line, line, ["source"])] == ["source.fixAll.digestlint"]
    assert session.code_actions(uri, 0, 0, ["quickfix"]) == []  # nothing on the heading line
    (fix_all,) = session.code_actions(uri, 0, 0, ["source.fixAll"])
    fixed = apply_text_edits(text, fix_all.edits)
    assert BAD_URL not in fixed


def test_unsafe_fix_is_labelled(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    text = NON_CANONICAL_SEED.read_text(encoding="utf-8").replace(BAD_URL, "https://github.com/xing0047/cca-llava")
    # A stray pipe in a summary: DL104, whose repair is unsafe.
    row = next(line for line in text.splitlines() if line.startswith("| [PyramidDrop"))
    broken_row = row.replace(" redundancy ", " redundancy |x| ", 1)  # unpadded: plainly inside the text
    assert broken_row != row
    day = folder / "2024-10-23.md"
    day.write_text(text.replace(row, broken_row), encoding="utf-8")
    session = Session()
    session.open(day.as_uri(), day.read_text(encoding="utf-8"))
    findings = session.findings(day.as_uri())
    unsafe = [f for f in findings if f.fix is not None and f.fix.applicability == "unsafe"]
    assert unsafe, findings
    line = unsafe[0].line - 1
    titles = [action.title for action in session.code_actions(day.as_uri(), line, line, ["quickfix"])]
    assert any(title.startswith(unsafe[0].code) and title.endswith("(unsafe)") for title in titles)


def test_positions_of_text_edit_type() -> None:
    edit = TextEdit(Position(0, 1), Position(0, 2), "x")
    assert apply_text_edits("abc", [edit]) == "axc"


def test_an_exception_in_a_request_is_shown_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint.server.app import DigestServer

    server = DigestServer()
    shown: list[object] = []
    monkeypatch.setattr(server, "window_show_message", shown.append)
    for _ in range(2):
        server.report_error("formatting", RuntimeError("boom"))
    server.report_error("formatting", ValueError("other"))
    assert len(shown) == 2


def test_server_without_pygls_is_a_usage_error_naming_the_extra() -> None:
    script = (
        "import sys\n"
        "for name in ('pygls', 'pygls.lsp', 'pygls.lsp.server', 'lsprotocol', 'lsprotocol.types'):\n"
        "    sys.modules[name] = None  # as if the lsp extra were not installed\n"
        "from digestlint.cli import main\n"
        "main(['server'])\n"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'digestlint[lsp]'" in done.stderr


def test_dl406_outside_any_project_compares_within_the_workspace_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No config and no git work tree: the root would be the server's current folder, which may be anything."""
    monkeypatch.chdir(tmp_path)
    workspace = tmp_path / "workspace"
    (workspace / "archive").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    day = workspace / "archive" / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    shutil.copyfile(NON_CANONICAL_SEED, elsewhere / "copy.md")  # every paper again, outside the workspace
    session = Session()
    session.workspace_folders = [str(workspace)]
    assert session.archive_root(str(day)) == workspace
    assert _open(session, day) == ["DL206"]

    session.workspace_folders = []
    assert session.archive_root(str(day)) == day.parent


def test_a_broken_config_is_shown_once_as_the_cli_says_it(tmp_path: Path) -> None:
    folder = _project(tmp_path, 'selcet = ["DL2"]\n')
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    session = Session()
    session.open(day.as_uri(), day.read_text(encoding="utf-8"))
    findings, message = session.check(day.as_uri())
    assert findings == []
    assert message is not None and "selcet" in message and "internal error" not in message
    assert session.check(day.as_uri()) == ([], None)


def test_dl406_skips_what_gitignore_ignores_as_check_does(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    (folder / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    (folder / "drafts").mkdir()
    day = folder / NON_CANONICAL_SEED.name
    shutil.copyfile(NON_CANONICAL_SEED, day)
    shutil.copyfile(NON_CANONICAL_SEED, folder / "drafts" / "copy.md")  # every paper again, but ignored
    assert _open(Session(), day) == ["DL206"]
    (folder / ".digestlint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert "DL406" in _open(Session(), day)
