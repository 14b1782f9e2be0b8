"""A snapshot of everything digestlint says and writes, to diff before and after a refactoring.

    python -m benchmarks.snapshot OUT.txt [--days 60] [--inputs REPOSITORY]

Runs the installed `digestlint` (as a subprocess, from a scratch folder holding a copy of the
input) over every fixture folder, the seeds and generated benchmark archives (4% and 20% defect
rates): `-o json --select ALL` (stdout, stderr, exit code), then `--fix --select ALL` and
`--fix --unsafe-fixes --select ALL` on copies (their output, exit code and the SHA-256 of every
file afterwards). Writes one text file; two snapshots are compared with `diff`. `--inputs` reads
the fixtures and seeds of another checkout (say, of the commit compared against), so that fixtures
added since do not show up as differences.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.archive import generate_archive

REPOSITORY = Path(__file__).resolve().parent.parent
DIGESTLINT = Path(sys.executable).parent / "digestlint"


def _run(folder: Path, *arguments: str) -> list[str]:
    done = subprocess.run(
        [os.fspath(DIGESTLINT), *arguments, "--no-cache", "--select", "ALL", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return [f"exit {done.returncode}", "stdout:", done.stdout, "stderr:", done.stderr]


def _hashes(folder: Path) -> list[str]:
    return [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder).as_posix()}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


def snapshot_folder(name: str, source: Path, scratch: Path) -> Iterator[str]:
    """The findings, and the files after each kind of fix, of one folder of digests (copied first)."""
    runs = (("check", ("-o", "json")), ("fix", ("--fix", "-o", "json")), ("unsafe", ("--fix", "--unsafe-fixes")))
    for label, arguments in runs:
        copy = scratch / f"{name.replace('/', '_')}-{label}"
        shutil.copytree(source, copy)
        yield f"=== {name} {label}"
        yield from _run(copy, *arguments)
        if label != "check":
            yield from _hashes(copy)
        shutil.rmtree(copy)


def snapshot(days: int, inputs: Path) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as raw:
        scratch = Path(raw)
        for folder in sorted((inputs / "tests" / "fixtures").iterdir()):
            if folder.is_dir():
                yield from snapshot_folder(f"fixtures/{folder.name}", folder, scratch)
        yield from snapshot_folder("seeds", inputs / "seeds", scratch)
        for rate in (0.04, 0.2):
            generated = scratch / f"generated-{rate}"
            generate_archive(generated, days=days, defect_rate=rate)
            yield from snapshot_folder(f"archive-{rate}", generated / "archive", scratch)
            shutil.rmtree(generated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--inputs", type=Path, default=REPOSITORY, help="the checkout whose fixtures and seeds to read")
    arguments = parser.parse_args()
    arguments.out.write_text("\n".join(snapshot(arguments.days, arguments.inputs)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
