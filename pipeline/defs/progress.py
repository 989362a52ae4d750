"""Progress of the long stages: a bar on the terminal that runs `make run`, a line in the run's log.

Dagster captures a step's stdout and stderr for its compute logs, so inside a step neither is the
terminal: `pipeline/run.py` hands over a duplicate of the terminal's descriptor, taken before the run
(`attach_terminal`). Runs launched from the UI have none and log the counts only.
"""

import time
from collections.abc import Callable
from typing import TextIO

import dagster as dg
from tqdm import tqdm

from pipeline.engine import Progress

_terminal: list[TextIO] = []


def attach_terminal(stream: TextIO) -> None:
    """Draw the bars on `stream` (a terminal) from now on in this process."""
    _terminal[:] = [stream]


def progress_bars(context: dg.AssetExecutionContext, timings: dict[str, float]) -> Progress:
    """A tqdm bar per stage (items done, rate, time left) on the attached terminal, if any, and the
    stage's items and seconds in the run log and in `timings` (for the materialization's metadata)."""

    def start(stage: str, total: int) -> Callable[[int], None]:
        out = _terminal[0] if _terminal else None
        bar = tqdm(total=total, desc=f"{stage:<10}", unit=" items", file=out, disable=out is None)
        started = time.perf_counter()
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            bar.update(n)
            if done >= total:
                bar.close()
                timings[f"{stage}_seconds"] = round(time.perf_counter() - started, 2)
                context.log.info(f"{stage}: {total} items in {timings[f'{stage}_seconds']} s")

        return advance

    return start
