"""Progress of the long stages: a bar on the terminal that runs `make run`, a line in the run's log."""

import sys
import time
from collections.abc import Callable

import dagster as dg
from tqdm import tqdm

from pipeline.engine import Progress


def progress_bars(context: dg.AssetExecutionContext, timings: dict[str, float]) -> Progress:
    """A tqdm bar per stage (items done, rate, time left) on stderr when it is a terminal, and the
    stage's items and seconds in the run log and in `timings` (for the materialization's metadata)."""

    def start(stage: str, total: int) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=f"{stage:<10}", unit=" items", file=sys.stderr, disable=not sys.stderr.isatty())
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
