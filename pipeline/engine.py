"""Where the per-item stages run: on Dask, in worker processes of this machine or of a cluster.

Normalizing a file and analysing a report are pure functions of one item, so they go out in batches to
Dask workers and come back as Polars tables, as they finish. By default a `distributed.LocalCluster`
with one single-threaded worker process per core (jieba and the rules are pure Python, so threads would
share one core); `STI_DASK_SCHEDULER=tcp://host:8786` sends the same tasks to a running Dask cluster
instead, whose workers have this project installed and can read `STI_RAW_DIR` at the same path.
`STI_WORKERS` sets the local worker count (1: everything in the run's process).

A handful of items (an incremental run) is computed in the run's process: starting workers, each loading
jieba's dictionary and the gazetteer, would cost more than the work. Only the stages' pure functions run
remotely; the memo files and the DuckDB load are written by the run's process alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

R = TypeVar("R")
# progress(stage, total items) gives the function to call with the number of items each finished batch held.
Progress = Callable[[str, int], Callable[[int], None]]

# Below this many items a run computes in its own process: importing distributed and starting a
# LocalCluster of two workers took 1.2 s here, and each worker then loads jieba's dictionary and the
# gazetteer again (a new process analysed its first 20 reports in 2.0 s here); at 12-17 ms a report, fewer
# than some 200 reports gain nothing.
MIN_ITEMS_FOR_WORKERS = 200
# Batches in flight per worker: enough to keep every worker busy, few enough that the run's process
# holds only a few batches of inputs and results at a time.
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class EngineConfig:
    scheduler: str | None  # address of a running Dask scheduler, or None for workers of this machine
    workers: int  # local worker processes (ignored with a scheduler)

    @classmethod
    def from_env(cls) -> EngineConfig:
        workers = int(os.environ.get("STI_WORKERS") or os.cpu_count() or 1)
        return cls(os.environ.get("STI_DASK_SCHEDULER") or None, max(1, workers))

    def describe(self) -> str:
        return f"dask scheduler {self.scheduler}" if self.scheduler else f"{self.workers} local worker process(es)"


def map_batches(
    fn: Callable[..., R],
    parts: Sequence[object],
    *args: object,
    n_items: int,
    on_done: Callable[[object], None] | None = None,
) -> Iterator[R]:
    """`fn(part, *args)` for every part, results as they finish (in no particular order).

    `fn` must be importable by the workers (a module-level function of this package). `on_done(part)`
    is called as each part's result arrives, for progress reporting."""
    config = EngineConfig.from_env()
    if not parts:
        return
    if config.scheduler is None and (config.workers == 1 or n_items < MIN_ITEMS_FOR_WORKERS):
        for part in parts:
            result = fn(part, *args)
            if on_done:
                on_done(part)
            yield result
        return
    with _client(config) as client:
        from distributed import as_completed

        pending = list(reversed(parts))
        window = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info()["workers"]))
        running = as_completed()  # takes more futures while it is iterated
        part_of = {}

        def submit() -> None:
            part = pending.pop()
            future = client.submit(fn, part, *args, pure=False)
            part_of[future.key] = part
            running.add(future)

        for _ in range(min(window, len(pending))):
            submit()
        for future in running:
            part = part_of.pop(future.key)
            result = future.result()
            future.release()
            if on_done:
                on_done(part)
            yield result
            if pending:
                submit()


@contextmanager
def _client(config: EngineConfig) -> Iterator[object]:
    from distributed import Client, LocalCluster

    if config.scheduler:
        with Client(config.scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=config.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
