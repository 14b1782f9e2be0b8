"""--fix killed at random moments: every file is always its whole old or its whole new text."""

from __future__ import annotations

import ast
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import digestlint
from digestlint.fixer import fix_text
from digestlint.settings import Settings
from tests.conftest import SEEDS

FIXABLE = SEEDS / "003_0419e020d2a675aa.md"


@pytest.mark.slow
def test_kill_during_fix_leaves_whole_old_or_whole_new_files(tmp_path: Path) -> None:
    original = FIXABLE.read_bytes()
    # Bigger files take longer to write, so kills land during writes too.
    old = original + original.split(b"\n", 6)[6] * 40
    new = fix_text(old.decode(), "x.md", Settings()).text.encode()
    assert new != old
    rng = random.Random(8)
    kills_during_run = 0
    deadline = time.monotonic() + 4
    runs = 0
    while time.monotonic() < deadline or runs < 5:
        runs += 1
        folder = tmp_path / f"run{runs}"
        folder.mkdir()
        for index in range(12):
            (folder / f"{index:02d}.md").write_bytes(old)
        process = subprocess.Popen(
            [sys.executable, "-m", "digestlint", "--fix", "-q", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        time.sleep(rng.uniform(0.2, 1.2))  # startup is ~0.3 s: most kills land mid-run
        if process.poll() is None:
            kills_during_run += 1
            process.send_signal(signal.SIGKILL)
        process.wait()
        for path in folder.glob("*.md"):
            assert path.read_bytes() in (old, new), f"{path} is neither its old nor its new text"
        leftovers = [path.name for path in folder.iterdir() if not path.name.endswith(".md")]
        # A kill between creating the temporary file and renaming it leaves it behind: never a .md, so
        # never checked, and named after the file it was for.
        assert all(name.endswith(".digestlint-tmp") for name in leftovers), leftovers
        shutil.rmtree(folder)
    assert kills_during_run >= 3


# Runs `digestlint --fix` in a process that dies (os._exit: no clean-up, like SIGKILL) at one chosen step
# of writing the second file. `naive` swaps the atomic writer for a plain overwrite, to show the check
# can tell a torn file from a whole one.
_DIE_AT = """
import os, sys
from digestlint import cli, files
point, naive, folder = sys.argv[1], sys.argv[2] == "naive", sys.argv[3]
writes = []
def die():
    os._exit(137)
if naive:
    def plain(path, data, mode, **options):
        writes.append(path)
        with open(path, "wb") as handle:
            if len(writes) == 2:
                handle.write(data[: len(data) // 2]); handle.flush(); die()
            handle.write(data)
        return path.parent
    files.write_atomic = plain
else:
    real_fdopen, real_replace = os.fdopen, os.replace
    class Torn:
        def __init__(self, handle): self.handle = handle
        def __enter__(self): return self
        def __exit__(self, *exc): return self.handle.__exit__(*exc)
        def write(self, data):
            self.handle.write(data[: len(data) // 2]); self.handle.flush(); die()
        def __getattr__(self, name): return getattr(self.handle, name)
    def fdopen(descriptor, *args, **kwargs):
        handle = real_fdopen(descriptor, *args, **kwargs)
        writes.append(descriptor)
        return Torn(handle) if point == "mid-write" and len(writes) == 2 else handle
    def replace(source, target):
        if len(writes) == 2 and point == "before-rename":
            die()
        real_replace(source, target)
        if len(writes) == 2 and point == "after-rename":
            die()
    os.fdopen, os.replace = fdopen, replace
sys.argv = ["digestlint", "--fix", "--no-cache", "-q", "-j1", folder]
cli.main()
"""


@pytest.mark.parametrize("point", ["mid-write", "before-rename", "after-rename"])
def test_a_crash_at_each_step_of_a_write_leaves_whole_files(tmp_path: Path, point: str) -> None:
    old = FIXABLE.read_bytes()
    new = fix_text(old.decode(), "x.md", Settings()).text.encode()
    for index in range(3):
        (tmp_path / f"{index}.md").write_bytes(old)
    process = subprocess.run([sys.executable, "-c", _DIE_AT, point, "atomic", str(tmp_path)], check=False)
    assert process.returncode == 137, "the process died where it was told to"
    contents = [path.read_bytes() for path in sorted(tmp_path.glob("*.md"))]
    assert all(content in (old, new) for content in contents)
    assert contents[0] == new and contents[2] == old  # the first was written, the third never reached
    assert contents[1] == (new if point == "after-rename" else old)


def test_the_crash_check_sees_a_torn_file_from_a_plain_overwrite(tmp_path: Path) -> None:
    old = FIXABLE.read_bytes()
    for index in range(3):
        (tmp_path / f"{index}.md").write_bytes(old)
    subprocess.run([sys.executable, "-c", _DIE_AT, "mid-write", "naive", str(tmp_path)], check=False)
    torn = (tmp_path / "1.md").read_bytes()
    assert torn != old and old.startswith(torn), "a plain overwrite killed mid-write leaves half a file"


def test_no_eval_exec_or_pickle_in_the_package() -> None:
    forbidden_calls = {"eval", "exec", "compile", "literal_eval", "__import__"}
    forbidden_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}
    files = sorted(Path(digestlint.__file__).resolve().parent.rglob("*.py"))  # the package imported, from anywhere
    assert len(files) > 20, "the package's modules were not found"
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                receiver = getattr(getattr(node.func, "value", None), "id", "")
                if name == "compile" and receiver == "re":
                    continue
                assert name not in forbidden_calls, f"{path}:{node.lineno} calls {name}"
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not {name.split(".")[0] for name in names} & forbidden_modules, f"{path}:{node.lineno}"


def test_layout_registry_cannot_retrieve() -> None:
    from referencing.exceptions import Unresolvable

    from digestlint.layouts import _registry, builtin_schema_dir

    registry = _registry((builtin_schema_dir(),))
    with pytest.raises(Unresolvable):
        registry.resolver().lookup("https://json-schema.org/draft/2020-12/schema#/does-not-matter")


def test_folders_are_synced_once_each_after_all_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digestlint.runner
    from digestlint.runner import RunOptions, run

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    for name in ("a/1.md", "a/2.md", "b/3.md"):
        (tmp_path / name).write_bytes(FIXABLE.read_bytes())
    synced: list[list[Path]] = []
    monkeypatch.setattr(digestlint.runner, "sync_folders", lambda folders: synced.append(list(folders)))
    report = run([tmp_path], Settings(), RunOptions(fix=True, jobs=1))
    assert all(outcome.changed and not outcome.error for outcome in report.files)
    assert synced == [[(tmp_path / "a").resolve(), (tmp_path / "b").resolve()]]
