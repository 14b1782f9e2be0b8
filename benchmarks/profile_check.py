"""Profile one in-process `digestlint check` (or `--fix`) over some paths: where does the time go?

    python -m benchmarks.profile_check archive/ [--fix] [--top 30]

Prints the functions with the most time of their own, then by cumulative
time. No cache and no process pool, so the profile is of the work itself.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--fix", action="store_true", help="profile --fix (nothing is written)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path, help="also write the raw profile here (for snakeviz and the like)")
    args = parser.parse_args(argv)

    from digestlint.runner import RunOptions, run
    from digestlint.settings import Settings

    settings = Settings()
    options = RunOptions(fix=args.fix, write=False, jobs=1)
    profiler = cProfile.Profile()
    profiler.enable()
    report = run(args.paths, settings, options)
    profiler.disable()
    print(f"{len(report.files)} files, {len(report.violations)} findings", file=sys.stderr)
    if args.save:
        profiler.dump_stats(args.save)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
