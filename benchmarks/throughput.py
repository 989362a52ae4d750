"""Benchmark: `make run` end to end against bare jieba, as users meet it (every run a new process).

    make benchmark                                  # 20,000 reports of real length
    python -m benchmarks.throughput --reports 3000  # smaller; --workers 1 for one process

Generates a corpus from the sample files (every figure redrawn, so every text is new; paragraphs
repeated in place to the length of real reports: about 1,630 characters, where the dev corpus's real
reports average 1,655), then, each in a new process with a fresh warehouse and Dagster instance:

1. bare `jieba.lcut` over the decoded text of every file, in one process (dictionary load included);
2. the full run: `python -m pipeline.run`, as `make run` starts it;
3. the same run again with nothing new;
4. one report added, run again;
5. importing the code location alone (`import pipeline.definitions`), the floor under any run Dagster
   launches in a new process, before a step starts.

Prints each wall time, the ratio of bare jieba's time to the full run's (≥ 1.0 means the whole pipeline
is as fast as segmenting the text once), the incremental run as a share of the full one, and the peak
resident memory of each run's process tree (the run's process and its Dask workers, summed, sampled
every 0.1 s).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from pipeline.ingest import decode_bytes, list_raw_files

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Reports per generated file: compilations in the sample corpus give several.
REPORTS_PER_FILE = 1.375

BARE_JIEBA = """
import sys, time
from pathlib import Path
started = time.perf_counter()
import jieba
from pipeline.ingest import decode_bytes
texts = [decode_bytes(p.read_bytes()).text for p in sorted(Path(sys.argv[1]).rglob("*")) if p.is_file()]
decoded = time.perf_counter()
jieba.setLogLevel(60)
jieba.initialize()
for text in texts:
    jieba.lcut(text)
print(time.perf_counter() - decoded, sum(len(t.encode()) for t in texts))
"""


def generate(sample_dir: Path, out_dir: Path, n: int, seed: int, lengthen: float, prefix: str = "gen") -> None:
    """N UTF-8 files, each a sample file whose paragraphs are repeated in place about `lengthen` times
    in all (so every report of a compilation grows, and stays about its own region), with every
    multi-digit figure redrawn. Titles and site lines are kept once, so the reports stay as many."""
    rng = random.Random(seed)
    templates = [decode_bytes((sample_dir / f.source_file).read_bytes()).text for f in list_raw_files(sample_dir)]

    def redraw(match: re.Match[str]) -> str:
        digits = match.group(0)
        if len(digits) == 4 and digits.startswith("20"):
            return digits  # keep years, so periods still resolve
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lines = []
        for line in templates[i % len(templates)].splitlines():
            copies = 1
            if len(line) >= 40 and line.rstrip().endswith("。"):  # a paragraph, not a title or a site line
                extra = rng.uniform(0.5, 1.5) * (lengthen - 1)
                copies += int(extra) + (rng.random() < extra % 1)
            lines += [re.sub(r"\d{2,}", redraw, line) for _ in range(copies)]
        (out_dir / f"{prefix}_{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Timed:
    seconds: float
    peak_process: int  # bytes: the largest RSS of the run's own process
    peak_tree: int  # bytes: the largest sum of the RSS of the process and its workers
    out: str


def timed(cmd: list[str], env: dict[str, str]) -> Timed:
    """Wall seconds, peak RSS (of the process, and summed over its tree) and stdout of a new process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    parent, peak_process, peak_tree = psutil.Process(proc.pid), 0, 0
    while proc.poll() is None:
        try:
            own = parent.memory_info().rss
            children = [p.memory_info().rss for p in parent.children(recursive=True) if p.is_running()]
            peak_process, peak_tree = max(peak_process, own), max(peak_tree, own + sum(children))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read() if proc.stdout else ""
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return Timed(elapsed, peak_process, peak_tree, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lengthen", type=float, default=3.5, help="paragraph repetitions (1: the samples' length)")
    parser.add_argument("--workers", type=int, default=0, help="STI_WORKERS for the runs (0: one per core)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and warehouse in this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sti-throughput-")) if args.keep is None else args.keep
    try:
        raw, extra = tmp / "raw", tmp / "extra"
        shutil.rmtree(raw, ignore_errors=True)
        shutil.rmtree(extra, ignore_errors=True)
        generate(PROJECT_DIR / "data" / "raw", raw, round(args.reports / REPORTS_PER_FILE), args.seed, args.lengthen)
        home = tmp / "dagster_home"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        shutil.copy(PROJECT_DIR / "dagster_home" / "dagster.yaml", home)
        warehouse = tmp / "warehouse.duckdb"
        for old in tmp.glob("warehouse.duckdb*"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        env = {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home)}
        env.pop("STI_DASK_SCHEDULER", None)
        if args.workers:
            env["STI_WORKERS"] = str(args.workers)
        python = sys.executable

        jieba = timed([python, "-c", BARE_JIEBA, str(raw)], env)
        jieba_seconds, n_bytes = float(jieba.out.split()[-2]), int(jieba.out.split()[-1])
        full = timed([python, "-m", "pipeline.run"], env)
        noop = timed([python, "-m", "pipeline.run"], env)
        generate(PROJECT_DIR / "data" / "raw", extra, 1, args.seed + 1, args.lengthen, prefix="added")
        (extra / "added_00000.txt").rename(raw / "added_report.txt")
        added = timed([python, "-m", "pipeline.run"], env)
        floor = timed([python, "-c", "import pipeline.definitions"], env)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            reports, mean_chars = con.execute("select count(*), avg(n_chars) from core.documents").fetchone()
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)

    cores = os.cpu_count()
    print(f"corpus: {reports} reports ({mean_chars:.0f} characters on average), {n_bytes / 1e6:.1f} MB of text")
    print(f"machine: {cores} cores; runs with STI_WORKERS={args.workers or 'one per core'}")
    print("full run's summary:\n" + full.out.strip())
    print("one report added, run's summary:\n" + added.out.strip())
    print(f"{'':<40}{'seconds':>10}{'peak RSS MB: process':>22}{'with workers':>14}")
    for label, run in (
        ("bare jieba.lcut, one process", jieba),
        ("make run, full", full),
        ("make run, nothing new", noop),
        ("make run, one report added", added),
    ):
        seconds = jieba_seconds if run is jieba else run.seconds
        print(f"{label:<40}{seconds:>10.1f}{run.peak_process / 2**20:>22.0f}{run.peak_tree / 2**20:>14.0f}")
    print(f"{'  (bare jieba, its whole process)':<40}{jieba.seconds:>10.1f}")
    print(f"full run vs bare jieba (jieba seconds / run seconds): {jieba_seconds / full.seconds:.2f}x  (goal >= 1.0)")
    print(f"nothing new: {noop.seconds:.1f} s  (goal <= 3 s)")
    print(f"one report added / full run: {added.seconds / full.seconds:.1%}  (goal <= 2%)")
    print(
        f"  floor: importing the code location in a new process {floor.seconds:.1f} s "
        f"= {floor.seconds / full.seconds:.1%} of the full run, before any step"
    )
    print(
        f"peak RSS per MB of text: {full.peak_process / n_bytes:.1f} the run's process, "
        f"{full.peak_tree / n_bytes:.1f} with its workers  (goal: <= 1 GB at 200 MB, i.e. <= 5.4)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
