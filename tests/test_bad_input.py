"""Bad and hostile input through the real CLI (issue 8). Each bad file gets one finding or a one-line
error naming it, the other files are still checked, nothing is written for it, and no traceback reaches
the user. Also: writes that fail or must be refused, broken configs and layouts, and the package never
evaluating what it reads."""

from __future__ import annotations

import codecs
import errno
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import digestlint
from digestlint.cli import main
from tests.conftest import CLEAN_SEEDS, SEEDS

CLEAN = (SEEDS / "000_515fa1aceb584d49.md").read_bytes()
FIXABLE = (SEEDS / "003_0419e020d2a675aa.md").read_bytes()  # a `.git` URL: one safe fix
HEADER = (
    "## Papers for 2024-11-05\n\n"
    "| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
    "|-------|---------|---------|----------------|-------------|-----------------|\n"
)
ROW = "| [T](https://arxiv.org/abs/2410.17243) | A. Author | S. | ['Multimodal'] | N/A | N/A |\n"


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def findings(result: Result) -> list[dict[str, Any]]:
    out = result.stdout
    return list(json.loads(out[: out.rindex("]") + 1])) if "[" in out else []


BAD_FILES = {
    "latin1.md": ("## Papers for 2024-11-05\n\ncafé\n".encode("latin-1"), "DL100", "not UTF-8 (byte 0xe9"),
    "utf16-bom.md": ("## Papers for 2024-11-05\n".encode("utf-16"), "DL100", "UTF-16"),
    "utf16-no-bom.md": ("## Papers for 2024-11-05\n".encode("utf-16-le"), "DL100", "NUL"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "DL100", "binary"),
    "empty.md": (b"", "DL108", "empty"),
    "blank.md": (b"\n\n  \n\t\n\n", "DL108", "blank"),
    "newlines.md": (b"\n\n\n", "DL108", "blank"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gets_one_finding_and_the_others_are_still_checked(tmp_path: Path, name: str) -> None:
    data, code, words = BAD_FILES[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "z_fixable.md").write_bytes(FIXABLE)
    result = invoke("--fix", "-o", "json", str(tmp_path))
    found = findings(result)
    mine = [finding for finding in found if finding["path"].endswith(name)]
    assert [finding["code"] for finding in mine] == [code]
    assert words in mine[0]["message"] and (mine[0]["line"], mine[0]["column"]) == (1, 1)
    assert (tmp_path / name).read_bytes() == data  # nothing written for it
    assert (tmp_path / "z_fixable.md").read_bytes() != FIXABLE  # the other file was fixed
    assert result.exit_code == (2 if code == "DL100" else 1)


def test_bom_and_crlf_are_checked_normally_and_kept_by_fix(tmp_path: Path) -> None:
    def crlf_bom(data: bytes) -> bytes:
        return codecs.BOM_UTF8 + data.replace(b"\n", b"\r\n")

    (tmp_path / "clean.md").write_bytes(crlf_bom(CLEAN))
    (tmp_path / "fixable.md").write_bytes(crlf_bom(FIXABLE))
    assert invoke(str(tmp_path / "clean.md")).exit_code == 0
    checked = invoke("-o", "json", str(tmp_path / "fixable.md"))
    assert checked.exit_code == 1 and [finding["code"] for finding in findings(checked)] == ["DL206"]
    result = invoke("--fix", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "clean.md").read_bytes() == crlf_bom(CLEAN)
    fixed = (tmp_path / "fixable.md").read_bytes()
    assert fixed.startswith(codecs.BOM_UTF8) and b"cca-llava.git" not in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n")  # every line ending still CRLF
    assert fixed == crlf_bom(FIXABLE.replace(b"cca-llava.git", b"cca-llava"))


def test_crlf_fix_that_inserts_lines_writes_crlf(tmp_path: Path) -> None:
    text = HEADER.replace("|-------|---------|---------|----------------|-------------|-----------------|\n", "")
    path = tmp_path / "d.md"
    path.write_bytes((text + ROW + "\n\n").replace("\n", "\r\n").encode())
    assert invoke("--fix", str(path)).exit_code == 0
    fixed = path.read_bytes()
    assert b"|-------|" in fixed and fixed.count(b"\n") == fixed.count(b"\r\n")


@pytest.mark.slow
def test_ten_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    row = ROW.replace("S.", "S. " + "word " * 400)
    path.write_text(HEADER + row * (10_000_000 // len(row)), encoding="utf-8")
    result = invoke("--statistics", str(path))
    assert result.exit_code == 1 and "DL107" in result.output  # the same paper, listed again and again


@pytest.mark.parametrize(
    "cell",
    ["x" * 5_000_000, "[" * 100_000, "(" * 100_000, "](" * 100_000, "|" * 100_000, "\\" * 100_000],
    ids=["5 MB line", "100k [", "100k (", "100k ](", "100k pipes", "100k backslashes"],
)
def test_huge_cells(tmp_path: Path, cell: str) -> None:
    path = tmp_path / "d.md"
    path.write_text(HEADER + f"| {cell} | A | S | ['Multimodal'] | N/A | N/A |\n", encoding="utf-8")
    result = invoke("--fix", "-o", "json", str(path))
    assert result.exit_code in (1, 2)
    assert findings(result)


def test_classification_of_100000_nested_lists(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    cell = "[" * 100_000 + "'Multimodal'" + "]" * 100_000
    path.write_text(HEADER + ROW.replace("['Multimodal']", cell), encoding="utf-8")
    result = invoke("-o", "json", str(path))
    assert [finding["code"] for finding in findings(result)] == ["DL301"]


def test_100000_rows(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("## Papers for 2024-11-05\n\n| A | B |\n|---|---|\n" + "| a | b |\n" * 100_000, encoding="utf-8")
    result = invoke("--statistics", str(path))
    assert result.exit_code == 1 and "DL101" in result.output


def test_lone_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_bytes(b"a\rb\r## Papers for 2024-11-05\r\r" + ROW.encode())  # mostly lone-CR line breaks
    assert invoke(str(path)).exit_code == 2
    stray = HEADER + ROW.replace("A. Author", "A.\rAuthor") + ROW.replace("S.", "S.\r")
    path.write_bytes(stray.encode())  # a few stray CRs in an LF file: read as spaces, no crash
    result = invoke("-o", "concise", str(path))
    assert result.exit_code in (0, 1) and "DL100" not in result.output


def test_a_file_over_the_size_limit_is_dl100_without_being_read(tmp_path: Path) -> None:
    from digestlint.files import MAX_BYTES

    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is really written
    (tmp_path / "day.md").write_bytes(FIXABLE)
    result = invoke("-o", "concise", "--fix", str(tmp_path))
    assert result.exit_code == 2
    assert f"{path}:1:1: DL100 {MAX_BYTES + 1} bytes is over the {MAX_BYTES}-byte limit" in result.output
    assert path.stat().st_size == MAX_BYTES + 1
    assert (tmp_path / "day.md").read_bytes() != FIXABLE, "the other file is still fixed"


def test_a_file_of_lone_cr_line_breaks_is_dl100(tmp_path: Path) -> None:
    text = (SEEDS / "003_0419e020d2a675aa.md").read_bytes()
    path = tmp_path / "mac.md"
    path.write_bytes(text.replace(b"\n", b"\r"))
    result = invoke("-o", "concise", "--fix", str(path))
    assert result.exit_code == 2
    assert f"{path}:1:1: DL100 line breaks are lone CRs (classic Mac OS)" in result.output
    assert path.read_bytes() == text.replace(b"\n", b"\r")
    path.write_bytes(text.replace(b"\n", b"\r") + b"\r\n")  # one CRLF at the end does not hide them
    assert invoke("-o", "concise", str(path)).exit_code == 2


def test_missing_path_is_an_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(FIXABLE)
    result = invoke("-o", "concise", str(tmp_path / "nope.md"), str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert "nope.md: no such file or directory" in result.stderr
    assert "a.md:12:1185: DL206" in result.stdout


def test_directory_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_bytes(FIXABLE)
    (tmp_path / "d" / "loop").symlink_to(tmp_path)
    (tmp_path / "d" / "self.md").symlink_to(tmp_path / "d" / "self.md")
    result = invoke("-o", "json", str(tmp_path))
    assert result.exit_code == 1
    assert {Path(finding["path"]).name for finding in findings(result)} == {"a.md"}

    from digestlint.files import discover

    assert [p.name for p in discover([tmp_path], (), follow_symlinks=True) if isinstance(p, Path)] == ["a.md"]


def test_symlinked_folders_are_walked_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.md").write_bytes(FIXABLE)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_bytes(FIXABLE)
    (tmp_path / "d" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    default = invoke("-o", "json", str(tmp_path / "d"))
    assert {Path(finding["path"]).name for finding in findings(default)} == {"a.md"}
    followed = invoke("-o", "json", "--follow-symlinks", str(tmp_path / "d"))
    assert followed.exit_code == 1
    assert {finding["path"].removeprefix(str(tmp_path / "d") + "/") for finding in findings(followed)} == {
        "a.md",
        "linked/b.md",
    }
    fixed = invoke("--fix", "--follow-symlinks", str(tmp_path / "d"))
    assert fixed.exit_code == 2
    target = tmp_path / "elsewhere" / "b.md"
    assert f"linked/b.md: leads through a symlinked folder to {target}, outside" in fixed.output
    assert (tmp_path / "elsewhere" / "b.md").read_bytes() == FIXABLE
    assert (tmp_path / "d" / "a.md").read_bytes() != FIXABLE


def test_naming_a_file_does_not_open_its_folder_to_symlinks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    readme = b"## Papers for 2024-11-05\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n"
    (tmp_path / "README.md").write_bytes(readme)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "evil.md").symlink_to("../README.md")
    (tmp_path / "notes.md").write_bytes(FIXABLE)
    result = invoke("--isolated", "--no-cache", "--fix", "--select", "DL5", "docs", "notes.md")
    assert "docs/evil.md: is a symlink to" in result.output and "outside the checked paths" in result.output
    assert (tmp_path / "README.md").read_bytes() == readme
    # A file named directly is written, even through a symlinked folder that leads elsewhere.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.md").write_bytes(FIXABLE)
    (tmp_path / "linkdir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    named = invoke("--isolated", "--no-cache", "--fix", "linkdir/x.md")
    assert named.exit_code == 0, named.output
    assert (tmp_path / "elsewhere" / "x.md").read_bytes() != FIXABLE


def test_file_deleted_or_unreadable_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_bytes(FIXABLE)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "a.md":
            self.unlink()
        if self.name == "b.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = invoke("--fix", "-o", "json", str(tmp_path))
    monkeypatch.undo()
    assert result.exit_code == 2
    messages = {Path(f["path"]).name: f["message"] for f in findings(result) if f["code"] == "DL100"}
    assert "No such file" in messages["a.md"] and "Permission denied" in messages["b.md"]
    assert not (tmp_path / "a.md").exists()  # not recreated by --fix
    assert (tmp_path / "b.md").read_bytes() == FIXABLE
    assert (tmp_path / "c.md").read_bytes() != FIXABLE


def _as_user(monkeypatch: pytest.MonkeyPatch, *, root: bool) -> None:
    """os.access as a user without write permission on files without write bits, or as root."""
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and not root and Path(str(path)).exists() and not Path(str(path)).stat().st_mode & 0o222:
            return False
        return real(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def test_read_only_file_under_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user who may not write the file: the atomic rename must not get past its mode."""
    path = tmp_path / "ro.md"
    path.write_bytes(FIXABLE)
    path.chmod(0o444)
    (tmp_path / "rw.md").write_bytes(FIXABLE)
    _as_user(monkeypatch, root=False)
    result = invoke("--fix", str(tmp_path))
    assert result.exit_code == 2
    assert "ro.md: the file is read-only for this user; not written" in result.stderr
    assert path.read_bytes() == FIXABLE and (path.stat().st_mode & 0o777) == 0o444
    assert (tmp_path / "rw.md").read_bytes() != FIXABLE
    # The file not written keeps its finding in the report (the other one's was fixed).
    assert "ro.md:12:1185: DL206" in result.stdout and "rw.md:12:1185" not in result.stdout
    alone = invoke("--fix", str(path))
    assert alone.exit_code == 2 and "Fixed 0 findings in 0 files; 1 remain." in alone.output


def test_file_changed_between_read_and_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digestlint.runner

    path = tmp_path / "a.md"
    path.write_bytes(FIXABLE)
    real = digestlint.runner.process_guarded

    def edit_meanwhile(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        path.write_bytes(FIXABLE + b"\nsomeone else's edit\n")
        return outcome

    monkeypatch.setattr(digestlint.runner, "process_guarded", edit_meanwhile)
    result = invoke("--fix", str(path))
    assert result.exit_code == 2 and "changed while it was being checked" in result.stderr
    assert path.read_bytes().endswith(b"someone else's edit\n")


def test_disk_full_during_write_keeps_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(FIXABLE)
    (tmp_path / "b.md").write_bytes(FIXABLE)
    real_fsync = os.fsync
    calls = []

    def full_disk(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 1:  # the first file's data: what a full disk reports when the blocks are flushed
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", full_disk)
    result = invoke("--fix", str(tmp_path))
    assert result.exit_code == 2
    assert "a.md: cannot write the fixed file: No space left on device; it is unchanged" in result.stderr
    assert path.read_bytes() == FIXABLE
    assert (tmp_path / "b.md").read_bytes() != FIXABLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]  # no temporary file left


def test_disk_full_on_write_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(FIXABLE)
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])  # half the data made it before the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda *args: FullDisk(real_fdopen(*args)))
    result = invoke("--fix", str(path))
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert path.read_bytes() == FIXABLE
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_fix_refuses_to_write_through_a_symlink_out_of_the_checked_paths(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    checked = tmp_path / "repo" / "docs"
    outside.mkdir()
    checked.mkdir(parents=True)
    (outside / "victim.md").write_bytes(FIXABLE)
    (checked / "inside.md").write_bytes(FIXABLE)
    (checked / "link-out.md").symlink_to(outside / "victim.md")
    (checked / "link-in.md").symlink_to(checked / "inside.md")
    (checked / "dir-out").symlink_to(outside)
    result = invoke("--fix", "--no-cache", str(checked))
    assert result.exit_code == 2
    victim = outside / "victim.md"
    assert f"link-out.md: is a symlink to {victim}, outside the checked paths; not written" in result.stderr
    assert victim.read_bytes() == FIXABLE
    assert (checked / "inside.md").read_bytes() != FIXABLE  # a link inside the checked folder is fine
    assert (checked / "link-in.md").is_symlink()  # written through, not replaced by a file
    # Named directly, as pre-commit does, through a symlinked folder: still refused.
    cwd = Path.cwd()
    os.chdir(tmp_path / "repo")
    try:
        result = invoke("--fix", "docs/dir-out/victim.md", "docs/link-out.md")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert (outside / "victim.md").read_bytes() == FIXABLE


CONFIGS = {  # case: (config, what the message says, the file it names)
    "wrong type": ('select = "DL1"', "'select'", ".digestlint.toml"),
    "unknown key": ('selct = ["DL1"]', "'selct': unknown key", ".digestlint.toml"),
    "invalid TOML": ("select = [", "invalid TOML", ".digestlint.toml"),
    "bad code": ('ignore = ["XX1"]', "'ignore': unknown rule code 'XX1'", ".digestlint.toml"),
    "negative window": ("cross-file-window = -1", "'cross-file-window'", ".digestlint.toml"),
    "missing layout file": ("layouts = ['missing.schema.json']", "missing.schema.json", "missing.schema.json"),
}


@pytest.mark.parametrize("case", sorted(CONFIGS))
def test_broken_config_exits_2_naming_file_and_key(tmp_path: Path, case: str) -> None:
    toml, expected, named = CONFIGS[case]
    (tmp_path / ".digestlint.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "a.md").write_bytes(CLEAN)
    result = invoke(str(tmp_path / "a.md"))
    assert result.exit_code == 2
    assert str(tmp_path / named) in result.stderr and expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


LAYOUTS = {
    "not JSON": ("{bad", "not valid JSON"),
    "not a JSON Schema": ('{"type": 12, "x-digestlint": {"header": ["A"]}}', "not a valid JSON Schema at type"),
    "remote ref": (
        '{"properties": {"A": {"$ref": "https://example.com/x.json"}}, "x-digestlint": {"header": ["A"]}}',
        "only local refs",
    ),
    "unresolvable local ref": (
        '{"properties": {"A": {"$ref": "missing.schema.json"}}, "x-digestlint": {"header": ["A"]}}',
        "'missing.schema.json' does not resolve",
    ),
    "ref to a system file": (
        '{"$defs": {"t": {"$ref": "/etc/passwd"}}, "x-digestlint": {"header": ["A"]}}',
        "'/etc/passwd' does not resolve",
    ),
    "hosts not a list": (
        '{"properties": {"A": {"x-digestlint": {"hosts": 7}}}, "x-digestlint": {"header": ["A"]}}',
        "hosts",
    ),
    "padding not pairs": ('{"x-digestlint": {"header": ["A"], "padding": [5]}}', "padding"),
    "annotation not an object": (
        '{"properties": {"A": {"allOf": [{"pattern": "x", "x-digestlint": "s"}]}}, "x-digestlint": {"header": ["A"]}}',
        "must be an object",
    ),
    "vocabulary leads nowhere": (
        '{"properties": {"A": {"x-digestlint": {"kind": "tag-list", "vocabulary": "#/$defs/nope"}}},'
        ' "x-digestlint": {"header": ["A"]}}',
        "vocabulary '#/$defs/nope'",
    ),
}


@pytest.mark.parametrize("case", sorted(LAYOUTS))
def test_bad_layout_schema_exits_2_naming_the_file(tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("digestlint tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    schema, expected = LAYOUTS[case]
    (tmp_path / "my.schema.json").write_text(schema, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text('layouts = ["my.schema.json"]', encoding="utf-8")
    (tmp_path / "a.md").write_text("## Papers for 2024-11-05\n\n| A |\n|---|\n| x |\n", encoding="utf-8")
    result = invoke(str(tmp_path / "a.md"))
    assert result.exit_code == 2, result.output
    assert str(tmp_path / "my.schema.json") in result.stderr and expected in result.stderr


def test_an_internal_error_in_one_file_is_one_line_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digestlint.runner

    real = digestlint.runner.process_source

    def broken(source: Any, path: str, *args: Any) -> Any:
        if path.endswith("a.md"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source, path, *args)

    monkeypatch.setattr(digestlint.runner, "process_source", broken)
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", tmp_path / "a.md")
    shutil.copyfile(SEEDS / "003_0419e020d2a675aa.md", tmp_path / "b.md")
    result = invoke("--fix", str(tmp_path))
    assert result.exit_code == 2
    assert "a.md: internal error (RecursionError: maximum recursion depth exceeded); nothing was written" in (
        result.stderr
    )
    assert (tmp_path / "a.md").read_bytes() == FIXABLE and (tmp_path / "b.md").read_bytes() != FIXABLE


def test_an_internal_error_in_an_archive_file_does_not_stop_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digestlint.checker

    real = digestlint.checker.read_records

    def broken(text: str, path: str, settings: Any) -> Any:
        if path.endswith("old.md"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, path, settings)

    monkeypatch.setattr(digestlint.checker, "read_records", broken)
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.md").write_bytes(CLEAN)
    (tmp_path / "a.md").write_bytes(CLEAN)
    result = invoke("--archive", str(tmp_path / "archive"), str(tmp_path / "a.md"))
    assert result.exit_code == 0, result.output


def test_a_file_without_write_bits_is_fixed_where_the_user_may_write_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root, as `ruff --fix` and `black` do: the system allows the write, and the mode is kept."""
    path = tmp_path / "ro.md"
    path.write_bytes(FIXABLE)
    path.chmod(0o444)
    _as_user(monkeypatch, root=True)
    result = invoke("--fix", str(tmp_path))
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() != FIXABLE and (path.stat().st_mode & 0o777) == 0o444


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "day.md"
    target.write_bytes(FIXABLE)
    target.chmod(0o640)
    assert invoke("--fix", str(target)).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640
    assert b"cca-llava.git" not in target.read_bytes()


def test_permission_denied_on_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does to a non-root user, simulated so it also holds as root."""
    import tempfile

    target = tmp_path / "day.md"
    target.write_bytes(FIXABLE)

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = invoke("--fix", str(target))
    assert result.exit_code == 2
    assert "day.md" in result.stderr and "Permission denied" in result.stderr
    assert target.read_bytes() == FIXABLE


def test_remote_ref_is_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even past the load-time check, the registry refuses to retrieve anything."""
    import socket

    from referencing.exceptions import Unresolvable

    from digestlint.layouts import _registry

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("digestlint tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    registry = _registry((tmp_path,))
    with pytest.raises(Unresolvable):
        registry.resolver().lookup("https://example.invalid/evil.json")


def test_no_eval_or_pickle_in_the_package() -> None:
    """Found from the package's own location, whatever folder the tests run from."""
    files = sorted(Path(digestlint.__file__).resolve().parent.rglob("*.py"))
    assert len(files) > 20, "the package's modules were not found"
    source = "\n".join(path.read_text(encoding="utf-8") for path in files)
    for forbidden in ("eval(", "exec(", "literal_eval", "import pickle", "marshal.loads"):
        assert forbidden not in source, forbidden


def test_huge_and_hostile_files_together_finish(tmp_path: Path) -> None:
    header = CLEAN.decode().split("\n")
    table = "\n".join(header[:6]) + "\n"
    row = header[6]
    (tmp_path / "rows.md").write_text(table + "\n".join([row] * 20000) + "\n", encoding="utf-8")
    (tmp_path / "line.md").write_text("| " + "x" * 5_000_000 + "\n", encoding="utf-8")
    cell = "| [" + "[" * 100_000 + " | " + "(" * 100_000 + " | " + "[" * 100_000 + "] |\n"
    (tmp_path / "brackets.md").write_text(table + cell, encoding="utf-8")
    tags = "| [T](https://arxiv.org/abs/2410.17243) | A | S | " + "[" * 100_000 + "]" * 100_000 + " | N/A | N/A |\n"
    (tmp_path / "tags.md").write_text(table + tags, encoding="utf-8")
    result = invoke(str(tmp_path), "--statistics")
    assert result.exit_code == 1
    assert "DL107" in result.output  # the 20,000 repeated rows


def test_clean_seeds_stay_clean() -> None:
    result = invoke(*(str(path) for path in CLEAN_SEEDS))
    assert (result.exit_code, result.output) == (0, "")


def test_suppression_scan_is_linear_on_unclosed_comments() -> None:
    """A 1 MB line of unclosed `<!-- digestlint-disable` openers: one pass, not a rescan from each.

    No timing is asserted: the former regex rescanned the rest of the line from every opener
    (about 4e10 steps here), so a regression shows as this test never finishing.
    """
    from digestlint.parse import parse

    line = "<!-- digestlint-disable DL1 " * 40_000  # ~1.1 MB, no closing -->
    document = parse(line + "\n<!-- digestlint-disable-file -->\n", "x.md")
    assert [(s.kind, s.line) for s in document.suppressions] == [("file", 2)]
