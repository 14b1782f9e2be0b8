"""The speed benchmark: digestlint against the markdown-it-py parse floor and mdformat, as ratios.

    python -m benchmarks.run [--days 563] [--runs 3] [--quick] [--json PATH]

Generates a seeded synthetic archive (`benchmarks/archive.py`: 563 days are
about 9.7 MB, like the real archive the issue measured), then times whole
processes, each the median of several runs, all in this one run so the
ratios compare like with like on a shared, noisy machine:

- the floor: markdown-it-py parsing every file (tables on) in one process;
- `digestlint check --no-cache` (cold), the first run that fills the cache,
  and warm runs (nothing changed since the last run);
- `digestlint check --fix --no-cache` on a fresh copy each time;
- `digestlint format --check --no-cache`;
- one digest as a whole process (what a pre-commit run pays), against
  `python -c "import markdown_it"`;
- `mdformat --extensions tables --check` when it is installed (`pip install -e '.[bench]'`):
  mdformat with mdformat-gfm's table support only, as mdformat-tables was measured before, so
  digestlint's own mdformat plugin (installed with the project) does not time itself;
- peak RSS (of the largest process: the parent or one pool worker);
- growth: archives of 1x, 4x and 16x `--scale-days` days, and single
  digests of 0.6, 2.5 and 10 MB, checked in one process: time and memory
  per row should stay flat;
- where a process pool starts to pay: -j1 against -j2 on small inputs.

It prints the figures and the ratios against the issue's targets, and writes
them as JSON (default `benchmarks/out/results.json`). Nothing is asserted:
timings are never tests. digestlint's bytecode is compiled first, since an
installed package has it and an editable one in an environment with
PYTHONDONTWRITEBYTECODE=1 would recompile every module in every run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.archive import FULL_DELIMITER, FULL_HEADER, generate_archive

FLOOR_SCRIPT = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt
parser = MarkdownIt("commonmark").enable("table")
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    parser.parse(path.read_text(encoding="utf-8"))
"""


@dataclass
class Timing:
    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def run_process(command: Sequence[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB of the process or any child it reaped, exit code)."""
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def measure(
    name: str, command: list[str], cwd: Path, runs: int, before_each: Path | None = None, source: Path | None = None
) -> Timing:
    """Median of `runs` runs; with `before_each`, that folder is a fresh copy of `source` for every run."""
    timing = Timing(name, command)
    for _ in range(runs):
        if before_each is not None and source is not None:
            shutil.rmtree(before_each, ignore_errors=True)
            shutil.copytree(source, before_each)
        seconds, rss, code = run_process(command, cwd)
        timing.seconds.append(seconds)
        timing.peak_rss_mib = max(timing.peak_rss_mib, rss)
        timing.exit_codes.append(code)
    print(f"  {name:<44} {timing.median:8.3f} s  (runs: {', '.join(f'{s:.2f}' for s in timing.seconds)})")
    return timing


def executable(name: str) -> list[str] | None:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else None


def big_digest(archive: Path, target_bytes: int, path: Path) -> int:
    """One `full` table of at least `target_bytes`, from the archive's full-layout days; returns its rows."""
    rows: list[str] = []
    size = 0
    while size < target_bytes:
        before = size
        for day in sorted(archive.rglob("*.md")):
            lines = day.read_text(encoding="utf-8").split("\n")
            if FULL_HEADER not in lines:
                continue
            start = lines.index(FULL_HEADER) + 2
            body = [line for line in lines[start:] if line.strip()]
            rows.extend(body)
            size += sum(len(line) + 1 for line in body)
            if size >= target_bytes:
                break
        if size == before:
            raise RuntimeError("no full-layout days to build a big digest from")
    path.write_text(f"## Papers for 2024-01-01\n\n{FULL_HEADER}\n{FULL_DELIMITER}\n" + "\n".join(rows) + "\n")
    return sum(1 for row in rows if row.lstrip().startswith("|"))


def ratio(numerator: Timing, denominator: Timing) -> float:
    return numerator.median / denominator.median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=563, help="days in the archive (563 is about 9.7 MB)")
    parser.add_argument("--seed", type=int, default=20241023)
    parser.add_argument("--defect-rate", type=float, default=0.04)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--scale-days", type=int, default=50, help="days of the 1x archive in the growth series")
    parser.add_argument("--quick", action="store_true", help="one run each, small growth series, no mdformat")
    parser.add_argument("--workdir", type=Path, help="where to generate (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/out/results.json"))
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs

    digestlint = executable("digestlint") or [sys.executable, "-m", "digestlint"]
    import digestlint as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="digestlint-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"digestlint {package.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs; in {workdir}")

    shutil.rmtree(workdir / "archive", ignore_errors=True)
    generated = generate_archive(workdir, args.days, args.seed, args.defect_rate)
    archive = generated.root
    size = sum(path.stat().st_size for path in generated.files)
    print(
        f"archive: {len(generated.files)} digests, {len(generated.papers)} rows, {size / 1e6:.1f} MB (seed {args.seed})"
    )

    results: dict[str, Timing] = {}

    def timed(name: str, command: list[str], **options: Path) -> Timing:
        results[name] = measure(name, command, workdir, runs, **options)
        return results[name]

    print("whole archive:")
    floor = timed("markdown-it-py parse floor", [sys.executable, "-c", FLOOR_SCRIPT, "archive"])
    cold = timed("check, cold (--no-cache)", [*digestlint, "check", "--no-cache", "-q", "archive"])
    timed("check, cold, one process (-j1)", [*digestlint, "check", "--no-cache", "-j1", "-q", "archive"])
    cache = workdir / ".digestlint_cache"
    first = Timing("check, first run (fills the cache)", [*digestlint, "check", "-q", "archive"])
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        seconds, rss, code = run_process(first.command, workdir)
        first.seconds.append(seconds)
        first.peak_rss_mib = max(first.peak_rss_mib, rss)
        first.exit_codes.append(code)
    results[first.name] = first
    print(f"  {first.name:<44} {first.median:8.3f} s")
    warm = timed("check, warm (nothing changed)", [*digestlint, "check", "-q", "archive"])
    copy = workdir / "fix-copy"
    fix = timed(
        "check --fix (--no-cache, fresh copy)",
        [*digestlint, "check", "--fix", "--no-cache", "-q", "fix-copy/archive"],
        before_each=copy / "archive",
        source=archive,
    )
    timed("format --check (--no-cache)", [*digestlint, "format", "--check", "--no-cache", "archive"])
    mdformat = executable("mdformat")
    md = None
    if mdformat and not args.quick:
        md = timed("mdformat --check (tables only)", [*mdformat, "--extensions", "tables", "--check", "archive"])
    elif not mdformat:
        print("  mdformat is not installed: pip install -e '.[bench]' to compare with it")

    print("one digest as a whole process:")
    one_file = sorted(generated.files, key=lambda path: path.stat().st_size)[len(generated.files) // 2]
    one = one_file.relative_to(workdir).as_posix()
    single_runs = max(runs, 9)
    results["import markdown_it"] = measure(
        "python -c 'import markdown_it'", [sys.executable, "-c", "import markdown_it"], workdir, single_runs
    )
    results["one file"] = measure(
        f"check one digest ({one_file.stat().st_size // 1024} KB)",
        [*digestlint, "check", "--no-cache", one],
        workdir,
        single_runs,
    )

    print("growth (one process, -j1, --no-cache):")
    growth: list[dict[str, float]] = []
    factors = (1, 4) if args.quick else (1, 4, 16)
    for factor in factors:
        folder = workdir / f"scale-{factor}x"
        shutil.rmtree(folder, ignore_errors=True)
        scaled = generate_archive(folder, args.scale_days * factor, args.seed, args.defect_rate)
        timing = measure(
            f"archive {factor}x ({len(scaled.papers)} rows)",
            [*digestlint, "check", "--no-cache", "-j1", "-q", "archive"],
            folder,
            runs,
        )
        rows = len(scaled.papers)
        growth.append(
            {
                "factor": factor,
                "rows": rows,
                "seconds": timing.median,
                "peak_rss_mib": timing.peak_rss_mib,
                "us_per_row": timing.median / rows * 1e6,
            }
        )
    big: list[dict[str, float]] = []
    for megabytes in (0.625, 2.5) if args.quick else (0.625, 2.5, 10.0):
        path = workdir / f"big-{megabytes}MB.md"
        rows = big_digest(archive, int(megabytes * 1e6), path)
        timing = measure(
            f"one {megabytes} MB digest ({rows} rows)",
            [*digestlint, "check", "--no-cache", "-q", path.name],
            workdir,
            runs,
        )
        big.append(
            {
                "megabytes": megabytes,
                "rows": rows,
                "seconds": timing.median,
                "peak_rss_mib": timing.peak_rss_mib,
                "us_per_row": timing.median / rows * 1e6,
            }
        )

    print("where a pool pays (-j1 against -j2, --no-cache):")
    pool: list[dict[str, float]] = []
    for count in (4, 16, 64) if not args.quick else (16,):
        folder = workdir / f"pool-{count}"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "archive").mkdir(parents=True)
        chosen = generated.files[:count]
        for path in chosen:
            shutil.copy(path, folder / "archive" / f"{path.parent.parent.name}-{path.parent.name}-{path.name}")
        nbytes = sum(path.stat().st_size for path in chosen)
        serial = measure(
            f"{count} files, -j1", [*digestlint, "check", "--no-cache", "-j1", "-q", "archive"], folder, runs
        )
        pooled = measure(
            f"{count} files, -j2", [*digestlint, "check", "--no-cache", "-j2", "-q", "archive"], folder, runs
        )
        pool.append({"files": count, "bytes": nbytes, "j1": serial.median, "j2": pooled.median})

    peak = max(results[name].peak_rss_mib for name in ("check, cold (--no-cache)", "check, cold, one process (-j1)"))
    targets = [
        ("cold check / markdown-it parse floor", ratio(cold, floor), "<= 1.0", ratio(cold, floor) <= 1.0),
        ("warm check / cold check", ratio(warm, cold), "<= 0.15", ratio(warm, cold) <= 0.15),
        ("--fix / cold check", ratio(fix, cold), "<= 2.0", ratio(fix, cold) <= 2.0),
        (
            "one digest / import markdown_it",
            ratio(results["one file"], results["import markdown_it"]),
            "<= 1.5",
            ratio(results["one file"], results["import markdown_it"]) <= 1.5,
        ),
        ("peak RSS, whole archive (MiB)", peak, "<= 100", peak <= 100),
    ]
    if md is not None:
        targets.insert(1, ("mdformat --check / cold check", ratio(md, cold), ">= 5.0", ratio(md, cold) >= 5.0))
    print("\ntargets (issue 7):")
    for label, value, target, met in targets:
        print(f"  {label:<40} {value:8.3f}   target {target:<8} {'met' if met else 'NOT MET'}")
    print("\ngrowth: microseconds per row should stay flat")
    for point in growth:
        print(
            f"  archive {point['factor']:>2}x: {point['rows']:>7} rows {point['seconds']:7.2f} s "
            f"{point['us_per_row']:7.1f} us/row  peak {point['peak_rss_mib']:.0f} MiB"
        )
    for point in big:
        print(
            f"  one {point['megabytes']:>5} MB digest: {point['rows']:>6} rows {point['seconds']:7.2f} s "
            f"{point['us_per_row']:7.1f} us/row  peak {point['peak_rss_mib']:.0f} MiB"
        )
    print("\npool: -j2 / -j1 (below 1.0 the pool pays)")
    for point in pool:
        print(f"  {point['files']:>3} files, {point['bytes'] / 1e6:5.2f} MB: {point['j2'] / point['j1']:.2f}")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "digestlint": package.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "archive": {"days": args.days, "files": len(generated.files), "rows": len(generated.papers), "bytes": size},
        "seed": args.seed,
        "runs": runs,
        "timings": {name: asdict(timing) | {"median": timing.median} for name, timing in results.items()},
        "targets": [{"name": n, "value": v, "target": t, "met": m} for n, v, t, m in targets],
        "growth": growth,
        "big_digests": big,
        "pool": pool,
    }
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
