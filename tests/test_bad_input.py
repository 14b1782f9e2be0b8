"""Bad input through the real CLI: a clear finding or one-line error naming the file, the other files
still checked, nothing written for the bad one, and never a traceback."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from digestlint.cli import main
from tests.conftest import SEEDS

CLEAN = (SEEDS / "000_515fa1aceb584d49.md").read_bytes()
BROKEN = (SEEDS / "003_0419e020d2a675aa.md").read_bytes()  # one safe DL206 fix


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("café".encode("latin-1"), "not UTF-8 (byte 0xe9"),
        ("## Papers for 2024-10-23\n".encode("utf-16"), "UTF-16"),
        ("## Papers".encode("utf-16-le"), "binary file"),  # no BOM: NUL bytes
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    ],
)
def test_unreadable_files_get_dl100_and_the_rest_is_checked(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "bad.md").write_bytes(content)
    (tmp_path / "good.md").write_bytes(BROKEN)
    code, output = run(str(tmp_path), "-o", "concise", "--fix")
    assert code == 2
    lines = output.strip().splitlines()
    assert any(line.endswith(f"DL100 {line.split('DL100 ', 1)[-1]}") and reason in line for line in lines)
    assert (tmp_path / "bad.md").read_bytes() == content, "nothing is written for an unreadable file"
    assert b"cca-llava.git" not in (tmp_path / "good.md").read_bytes(), "the other file is still fixed"


@pytest.mark.parametrize("content", [b"", b"\n\n\n", b"   \n\t\n"])
def test_empty_and_blank_files_get_dl108_and_are_not_written(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "empty.md").write_bytes(content)
    code, output = run(str(tmp_path / "empty.md"), "-o", "concise", "--fix")
    assert code == 1
    assert f"{tmp_path / 'empty.md'}:1:1: DL108 the file is " in output
    assert (tmp_path / "empty.md").read_bytes() == content


def test_bom_and_crlf_are_checked_and_kept_by_fix(tmp_path: Path) -> None:
    crlf = b"\xef\xbb\xbf" + BROKEN.replace(b"\n", b"\r\n")
    target = tmp_path / "day.md"
    target.write_bytes(crlf)
    code, output = run(str(target), "-o", "json")
    assert code == 1
    assert [finding["code"] for finding in json.loads(output)] == ["DL206"]
    run("--fix", str(target))
    fixed = target.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert fixed.count(b"\r\n") == crlf.count(b"\r\n") and b"\n" not in fixed.replace(b"\r\n", b"")
    assert fixed == crlf.replace(b"cca-llava.git)", b"cca-llava)")


def test_missing_path_is_an_error_and_other_paths_are_checked(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_bytes(BROKEN)
    code, output = run(str(tmp_path / "nope.md"), str(tmp_path / "good.md"), "-o", "concise")
    assert code == 2
    assert "nope.md" in output and "DL206" in output


def test_directory_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "day.md").write_bytes(CLEAN)
    (tmp_path / "archive" / "loop").symlink_to(tmp_path / "archive", target_is_directory=True)
    assert run(str(tmp_path / "archive")) == (0, "")


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "day.md"
    target.write_bytes(BROKEN)
    target.chmod(0o640)
    run("--fix", str(target))
    assert target.stat().st_mode & 0o777 == 0o640
    assert b"cca-llava.git" not in target.read_bytes()


def test_disk_full_during_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "day.md"
    target.write_bytes(BROKEN)
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        real_fsync(descriptor)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, output = run("--fix", str(target))
    assert code == 2
    assert "day.md" in output and "No space left on device" in output
    assert target.read_bytes() == BROKEN
    assert sorted(path.name for path in tmp_path.iterdir()) == ["day.md"], "the temporary file is removed"


def test_file_deleted_during_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digestlint import files

    (tmp_path / "a.md").write_bytes(CLEAN)
    (tmp_path / "b.md").write_bytes(BROKEN)
    real = files.read_source

    def vanish(path: Path, name: str) -> files.Source:
        if path.name == "a.md":
            path.unlink()
        return real(path, name)

    monkeypatch.setattr(files, "read_source", vanish)
    import digestlint.runner

    monkeypatch.setattr(digestlint.runner, "read_source", vanish)
    code, output = run(str(tmp_path), "-o", "concise")
    assert code == 2
    assert "a.md" in output and "DL206" in output


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("select = ['DL1'\n", "invalid TOML"),
        ("select = 'DL1'\n", "'select'"),
        ("colour = true\n", "'colour': unknown key"),
        ("cross-file-window = -1\n", "'cross-file-window'"),
        ("layouts = ['missing.schema.json']\n", "missing.schema.json"),
    ],
)
def test_broken_config_exits_2_naming_file_and_key(tmp_path: Path, config: str, expected: str) -> None:
    (tmp_path / ".digestlint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "day.md").write_bytes(CLEAN)
    code, output = run(str(tmp_path / "day.md"))
    assert code == 2
    assert ".digestlint.toml" in output or "missing.schema.json" in output
    assert expected in output
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('{"type": 12, "x-digestlint": {"header": ["A"]}}', "not a valid JSON Schema"),
        (
            '{"$ref": "https://example.invalid/evil.json", "x-digestlint": {"header": ["A"]}}',
            "only local refs are allowed",
        ),
    ],
)
def test_bad_user_layout_schema(tmp_path: Path, schema: str, expected: str) -> None:
    (tmp_path / "mine.schema.json").write_text(schema, encoding="utf-8")
    (tmp_path / ".digestlint.toml").write_text("layouts = ['mine.schema.json']\n", encoding="utf-8")
    (tmp_path / "day.md").write_bytes(CLEAN)
    code, output = run(str(tmp_path / "day.md"))
    assert code == 2
    assert "mine.schema.json" in output and expected in output


def test_remote_ref_is_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even past the load-time check, the registry refuses to retrieve anything."""
    import socket

    from digestlint.layouts import _registry

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("digestlint tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    registry = _registry((tmp_path,))
    from referencing.exceptions import Unresolvable

    with pytest.raises(Unresolvable):
        registry.resolver().lookup("https://example.invalid/evil.json")


def test_no_eval_or_pickle_in_the_package() -> None:
    source = "\n".join(path.read_text(encoding="utf-8") for path in Path("digestlint").rglob("*.py"))
    for forbidden in ("eval(", "exec(", "literal_eval", "import pickle", "marshal.loads"):
        assert forbidden not in source, forbidden


def test_huge_and_hostile_files_finish(tmp_path: Path) -> None:
    header = CLEAN.decode().split("\n")
    table = "\n".join(header[:6]) + "\n"
    row = header[6]
    (tmp_path / "rows.md").write_text(table + "\n".join([row] * 20000) + "\n", encoding="utf-8")
    (tmp_path / "line.md").write_text("| " + "x" * 5_000_000 + "\n", encoding="utf-8")
    cell = "| [" + "[" * 100_000 + " | " + "(" * 100_000 + " | " + "[" * 100_000 + "] |\n"
    (tmp_path / "brackets.md").write_text(table + cell, encoding="utf-8")
    tags = "| [T](https://arxiv.org/abs/2410.17243) | A | S | " + "[" * 100_000 + "]" * 100_000 + " | N/A | N/A |\n"
    (tmp_path / "tags.md").write_text(table + tags, encoding="utf-8")
    code, output = run(str(tmp_path), "--statistics")
    assert code == 1
    assert "DL107" in output  # the 20,000 repeated rows


def test_clean_seeds_stay_clean() -> None:
    assert run(*(str(path) for path in sorted(SEEDS.glob("00[01]_*.md")))) == (0, "")


def test_permission_denied_on_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does to a non-root user, simulated so it also holds as root."""
    import tempfile

    target = tmp_path / "day.md"
    target.write_bytes(BROKEN)

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    code, output = run("--fix", str(target))
    assert code == 2
    assert "day.md" in output and "Permission denied" in output
    assert target.read_bytes() == BROKEN


def test_suppression_scan_is_linear_on_unclosed_comments() -> None:
    """A 1 MB line of unclosed `<!-- digestlint-disable` openers: one pass, not a rescan from each.

    No timing is asserted: the former regex rescanned the rest of the line from every opener
    (about 4e10 steps here), so a regression shows as this test never finishing.
    """
    from digestlint.parse import parse

    line = "<!-- digestlint-disable DL1 " * 40_000  # ~1.1 MB, no closing -->
    document = parse(line + "\n<!-- digestlint-disable-file -->\n", "x.md")
    assert [(s.kind, s.line) for s in document.suppressions] == [("file", 2)]


def test_fix_refuses_to_write_through_a_symlink_leaving_the_checked_paths(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(BROKEN)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "inside.md").write_bytes(BROKEN)
    (archive / "link.md").symlink_to(outside)
    (archive / "inner-link.md").symlink_to(archive / "inside.md")
    code, output = run("--fix", "--no-cache", str(archive))
    assert code == 2
    assert f"link.md: is a symlink to {outside}, outside the checked paths; not written" in output
    assert outside.read_bytes() == BROKEN, "the file outside is untouched"
    assert b"cca-llava.git" not in (archive / "inside.md").read_bytes(), "a link inside the checked paths is fine"
    assert (archive / "inner-link.md").is_symlink()
