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

from digestlint.fixer import fix_text
from digestlint.settings import Settings
from tests.conftest import ROOT, SEEDS

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
            cwd=ROOT,
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


def test_no_eval_exec_or_pickle_in_the_package() -> None:
    forbidden_calls = {"eval", "exec", "compile", "literal_eval", "__import__"}
    forbidden_modules = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}
    for path in sorted((ROOT / "digestlint").rglob("*.py")):
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
