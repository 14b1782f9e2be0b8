"""Do mdformat (with digestlint's plugin) and `digestlint format` agree on the benchmark archive?

    python -m benchmarks.mdformat_agreement [--days 60] [--seed 20241023] [--defect-rate 0.04] [--keep DIR]

Generates the benchmark archive (`benchmarks/archive.py`) and a clean copy of it (`digestlint --fix
--unsafe-fixes`), then for each runs both orders on fresh copies:

- `mdformat` (all installed extensions: gfm and digestlint), then `digestlint format --check`;
- `digestlint format`, then `mdformat --check`;

and prints how many files each second step reports. For comparison, mdformat with mdformat-gfm alone
(`--extensions gfm --extensions tables`, no digestlint plugin) followed by `digestlint format --check`,
and how many paper records mdformat changed (`digestlint export`'s records, whitespace folded, before
and after). On both archives both orders must report nothing: the exit code is 1 when one does.
Neither formatter repairs (a row split over two lines renders as two rows: joining it is
`digestlint --fix`'s), so on the defective archive `digestlint format` also lists, per rule, the
fixes it left for `--fix` after mdformat ran: the repairs the archive still needs.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.archive import generate_archive
from digestlint import api

DIGESTLINT = [sys.executable, "-m", "digestlint"]
MDFORMAT = [sys.executable, "-m", "mdformat"]
GFM_ONLY = ["--extensions", "gfm", "--extensions", "tables"]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


Record = tuple[tuple[str, ...], frozenset[str]]  # a paper's data, whitespace folded; its problems' codes


def snapshot(archive: Path) -> dict[str, tuple[Record, ...]]:
    """Every file's paper records: the data, whitespace folded (what a formatter must not change: all
    but the line), and the codes of the problems that keep a row from being read in full."""
    folded: dict[str, tuple[Record, ...]] = {}
    for path in sorted(archive.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        records = api.records(text, path=str(path), settings=api.load_settings(path))
        folded[path.relative_to(archive).as_posix()] = tuple(
            (
                tuple(
                    " ".join(str(getattr(record, field.name)).split())
                    for field in dataclasses.fields(record)
                    if field.name not in {"path", "line", "problems"}
                ),
                # A problem's message names lines, which a formatter may move: its code is what counts.
                frozenset(problem.code for problem in getattr(record, "problems", ())),
            )
            for record in records
        )
    return folded


def changed_records(before: dict[str, tuple[Record, ...]], archive: Path) -> str:
    """How many of the records in `before` no longer occur in the same file of `archive` with the same
    data; and how many kept their data but gained a problem, or lost one (a defect formatted away)."""
    after = snapshot(archive)
    changed = gained = lost = 0
    for name, records in before.items():
        now = after.get(name, ())
        missing = Counter(data for data, _ in records) - Counter(data for data, _ in now)
        changed += missing.total()
        problems = dict(now)
        for data, codes in records:
            if data not in missing and data in problems:
                gained += bool(problems[data] - codes)
                lost += bool(codes - problems[data])
    return f"{changed} (and {gained} gained a problem, {lost} lost one)"


def named_files(output: str) -> set[str]:
    """The Markdown files a report names (a file `--check` would change, or one it cannot format)."""
    return {word.rstrip(':"') for line in output.splitlines() for word in line.split() if ".md" in word}


def report_files(result: subprocess.CompletedProcess[str]) -> str:
    """`digestlint format --check`'s verdict in figures: files it would change, files it cannot format."""
    changed = named_files(result.stdout)
    refused = named_files(result.stderr)
    return f"{len(changed)} files would change, {len(refused)} cannot be formatted without changing a record"


def pending_formatting(archive: Path) -> Counter[str]:
    """What `digestlint format` would still do, per rule: the codes of the fixes it would apply."""
    counts: Counter[str] = Counter()
    for path in sorted(archive.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        report = api.format_text(text, path=str(path), settings=api.load_settings(path))
        counts.update(f"{finding.code} {finding.name}" for finding in report.fixed)
    return counts


def pending_repairs(archive: Path) -> Counter[str]:
    """What `digestlint format` leaves because it would change the rendering: fixable findings that remain."""
    counts: Counter[str] = Counter()
    for path in sorted(archive.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        report = api.format_text(text, path=str(path), settings=api.load_settings(path))
        counts.update(f"{finding.code} {finding.name}" for finding in report.findings if finding.fix is not None)
    return counts


def compare(label: str, source: Path, work: Path) -> bool:
    """Both orders on copies of `source`; print the figures; whether both orders report nothing."""
    print(f"\n{label}: {len(list((source / 'archive').rglob('*.md')))} digests")
    before = snapshot(source / "archive")

    first = work / f"{label}-mdformat-first"
    shutil.copytree(source, first)
    formatted = run([*MDFORMAT, "archive"], first)
    refused = len(named_files(formatted.stderr))
    print(f"  mdformat + plugin: exit {formatted.returncode}, {refused} files it refused (its HTML check) or failed on")
    after_mdformat = run([*DIGESTLINT, "format", "--check", "--no-cache", "archive"], first)
    mdformat_first = report_files(after_mdformat)
    print(f"  mdformat + plugin, then `digestlint format --check`: {mdformat_first}")
    for rule, count in pending_formatting(first / "archive").most_common():
        print(f"      {count:6d} x {rule}")
    left = pending_repairs(first / "archive")
    if left:
        print("    repairs left for `digestlint --fix` (formatting would change what these render to):")
        for rule, count in left.most_common():
            print(f"      {count:6d} x {rule}")
    print(f"    paper records mdformat + plugin changed: {changed_records(before, first / 'archive')}")

    second = work / f"{label}-digestlint-first"
    shutil.copytree(source, second)
    run([*DIGESTLINT, "format", "--no-cache", "archive"], second)
    mdformat_check = run([*MDFORMAT, "--check", "archive"], second)
    digestlint_first = len(named_files(mdformat_check.stderr + mdformat_check.stdout))
    print(f"  `digestlint format`, then `mdformat --check` (plugin): {digestlint_first} files would change")

    alone = work / f"{label}-gfm-alone"
    shutil.copytree(source, alone)
    run([*MDFORMAT, *GFM_ONLY, "archive"], alone)
    after_alone = run([*DIGESTLINT, "format", "--check", "--no-cache", "archive"], alone)
    print(
        f"  for comparison, mdformat-gfm alone, then `digestlint format --check`: {report_files(after_alone)}; "
        f"paper records it changed: {changed_records(before, alone / 'archive')}"
    )
    return formatted.returncode == 0 and after_mdformat.returncode == 0 and digestlint_first == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20241023)
    parser.add_argument("--defect-rate", type=float, default=0.04)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    if shutil.which("mdformat") is None and run([*MDFORMAT, "--version"], Path.cwd()).returncode != 0:
        print("mdformat is not installed: pip install -e '.[mdformat]'")
        return 2
    version = run([*MDFORMAT, "--version"], Path.cwd()).stdout.strip()
    print(f"{version}")
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        defective = work / "defective"
        generated = generate_archive(defective, days=args.days, seed=args.seed, defect_rate=args.defect_rate)
        papers = len(generated.papers)
        print(f"archive: {len(generated.files)} digests, {papers} papers, defect rate {args.defect_rate}")
        clean = work / "clean"
        shutil.copytree(defective, clean)
        run([*DIGESTLINT, "--fix", "--unsafe-fixes", "--no-cache", "-q", "archive"], clean)
        agreed = {label: compare(label, source, work) for label, source in (("defective", defective), ("clean", clean))}
    for label, agree in agreed.items():
        print(
            f"\n{label} archive: both orders report nothing"
            if agree
            else f"\n{label} archive: the two formatters DISAGREE (see above)"
        )
    return 0 if all(agreed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
