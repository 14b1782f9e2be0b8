"""Checking files in parallel: a process pool, used only when the work is big enough to pay for it.

The rules are CPU-bound Python, so threads would not help and processes do.
A pool costs its start-up (forked workers: a few tens of milliseconds each)
and the pickling of every result back to the parent, so small inputs, like
the handful of files a pre-commit run passes, are checked in this process.
The threshold is measured (see `benchmarks/`): below about `MIN_BYTES` of
Markdown the pool loses to a serial run.

A pool also needs idle CPUs: on a machine already busy (the load average
near the number of CPUs), two workers share one CPU and only add the cost of
sending results back, so the number of workers is what the load leaves idle.

Workers are forked where the platform allows, after the settings are built,
so no worker loads the layouts again; the per-file function and its settings
reach each worker once, through the pool's initializer, not with every file.
Results come back in input order, so the output is that of a serial run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

MIN_BYTES = 1_000_000  # below this much Markdown to check, a pool does not pay for itself
MIN_FILES = 4
MAX_WORKERS = 8


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def system_load() -> float:
    """The one-minute load average (runnable processes), or 0 where there is none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not on Unix
        return 0.0


def worker_count(jobs: int | None, sizes: Sequence[int]) -> int:
    """How many processes to use for files of these sizes: 1 means this one, no pool.

    `jobs` forces a number (1: serial); None decides by the amount of work and the idle CPUs.
    """
    if jobs is not None:
        return max(1, min(jobs, len(sizes)))
    cpus = min(available_cpus(), MAX_WORKERS)
    if cpus < 2 or len(sizes) < MIN_FILES or sum(sizes) < MIN_BYTES:
        return 1
    idle = int(cpus - system_load() + 0.5)
    return max(1, min(cpus, idle, len(sizes)))


_worker_function: Callable[[Any], Any] | None = None


def _start_worker(function: Callable[[Any], Any]) -> None:
    global _worker_function  # noqa: PLW0603 - the worker's one piece of state, set once at start-up
    _worker_function = function


def _call_worker(job: Any) -> Any:
    assert _worker_function is not None
    return _worker_function(job)


def map_in_order(function: Callable[[Job], Result], jobs: Sequence[Job], workers: int) -> list[Result]:
    """`[function(job) for job in jobs]`, spread over `workers` processes when there is more than one."""
    if workers <= 1 or len(jobs) <= 1:
        return [function(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    chunk = max(1, min(32, len(jobs) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(function,)) as pool:
        results: list[Result] = list(pool.map(_call_worker, jobs, chunksize=chunk))
    return results
