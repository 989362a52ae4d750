"""Benchmark: `make run` end to end against bare jieba, as users meet it (every run a new process).

    make benchmark                                                  # the set below: 30 to 40 minutes on two cores
    python -m benchmarks.throughput --reports 3000                  # one size, simplified corpus
    python -m benchmarks.throughput --reports 3000 --corpus raw     # one size, the samples' raw text
    python -m benchmarks.throughput --reports 1000,20000,100000,raw:20000   # what `make benchmark` runs

`--reports` is a comma-separated list of sizes in reports; an item `raw:N` or `simplified:N` names its own
corpus, a bare `N` takes `--corpus` (`both`: each bare size on both corpora). Two corpora, because bare jieba's
speed depends on the text it is given:

- simplified: each sample file of `data/raw` first turned into clean simplified reports by the project's own
  normalization (`pipeline.normalize.normalize_document`: no pinyin glosses, no traditional characters, no site
  boilerplate), the reports' texts joined (title line, then body), i.e. what a bureau's plain report looks like;
- raw: the samples' decoded text as it is (traditional characters with pinyin glosses like 總結(jié), site lines),
  on which bare jieba is slow, so the ratio below flatters the pipeline.

Either way every file is a template whose paragraphs are repeated in place to the length of real reports (about
1,630 characters, where the dev corpus's real reports average 1,655) with every figure redrawn, so every text is
new; written as UTF-8, deterministically from `--seed`. Then, per (corpus, size), each in a new process with a
fresh warehouse and Dagster instance (dbt's project parsed for it beforehand, untimed, as `make manifest` does):

1. bare `jieba.lcut` over the decoded text of every file, in one process (dictionary load included);
2. the full run: `python -m pipeline.run`, as `make run` starts it;
3. the same run again with nothing new;
4. one report of the same corpus added (at least 2.1 s after the last run and the corpus were written, since
   pipeline/run.py does not remember a listing of files changed within 2 s: SETTLE_NS), run again;
and once per invocation, importing the code location alone (`import pipeline.definitions`), the floor under any
run Dagster launches in a new process, before a step starts.

Prints, per (corpus, size): wall times, the ratio of bare jieba's time to the full run's, peak resident memory of
each run's process tree (the run's process and its Dask workers, summed, sampled every 0.1 s), and the per-step
times of the full run and the one-report run (the `  step   2.1 s` lines of pipeline/run.py's summary); then a
markdown table with one row per (corpus, size), and the goals:

- full run vs bare jieba (jieba seconds / full-run seconds) >= 0.6;
- nothing new <= 0.5 s;
- one report added <= 10 s at 100,000 reports, and within 2 s of the 1,000-report figure of the same corpus;
- peak RSS of the full run's process tree <= 1 GB at 400 MB of text (scaled linearly: <= 2.68 bytes per byte
  of text); a line through the two largest sizes of a corpus, extrapolated to 400 MB, is printed beside it.
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
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from pipeline.ingest import decode_bytes, list_raw_files
from pipeline.normalize import normalize_document

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_DIR / "data" / "raw"
# Reports per generated file: compilations in the sample corpus give several (11 reports in 8 files).
REPORTS_PER_FILE = 1.375
CORPORA = ("simplified", "raw")
DEFAULT_REPORTS = "1000,20000,100000,raw:20000"
# pipeline/run.py's SETTLE_NS (2 s) and a margin: files changed within it are listed but not remembered.
SETTLE_S = 2.1
ADDED_PREFIX = "added_report_"
ADDED_RUNS = 3
# The goals of the issue this benchmark answers.
GOAL_RATIO = 0.6
GOAL_NOOP_S = 0.5
GOAL_ADDED_S, GOAL_ADDED_AT = 10.0, 100_000
GOAL_ADDED_OVER_1000_S = 2.0
GOAL_RSS_BYTES, GOAL_RSS_AT_TEXT_BYTES = 2**30, 400e6

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
# What `make manifest` does before `make run`: a run's dbt build reuses a parse made for its warehouse path.
PARSE_DBT = """
import sys
from pathlib import Path
from pipeline.run import parse_dbt_project_if_changed
parse_dbt_project_if_changed(Path(sys.argv[1]))
"""
STEP_TIME_RE = re.compile(r"^  (\S+)\s+(-?\d+\.\d) s$")
STEP_STATUS_RE = re.compile(r"^  (\S+)\s+([a-z_]+)$")
ITEMS_RE = re.compile(r"^  (\S+)\s+(\d+) computed, (\d+) reused$")


@dataclass(frozen=True)
class Case:
    corpus: str
    reports: int

    def __str__(self) -> str:
        return f"{self.corpus} corpus, {self.reports:,} reports"


def parse_cases(spec: str, corpus: str) -> list[Case]:
    """`1000,raw:20000` -> cases, in the order given; a bare size takes `corpus` (`both`: one case per corpus)."""
    cases = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, _, size = item.rpartition(":")
        names = [name] if name else list(CORPORA) if corpus == "both" else [corpus]
        if any(n not in CORPORA for n in names) or not size.replace("_", "").isdigit() or int(size) < 1:
            raise argparse.ArgumentTypeError(f"bad item {item!r}: a size (1000) or a corpus and a size (raw:1000)")
        cases += [Case(n, int(size)) for n in names]
    if not cases:
        raise argparse.ArgumentTypeError("no sizes given")
    return cases


def simplified_text(decoded: str) -> str:
    """A file's clean simplified reports as the pipeline normalizes them, joined: title line, then body.
    Normalizing the result again gives the same reports (a compilation still splits where it did)."""
    texts = []
    for report in normalize_document(decoded):
        text = report.text
        if report.title and not text.startswith(report.title):
            text = f"{report.title}\n{text}"
        texts.append(text)
    return "\n\n".join(texts)


def templates(sample_dir: Path, corpus: str) -> list[str]:
    """The text of every sample file, as the corpus takes it: decoded as is (raw), or normalized (simplified)."""
    decoded = [decode_bytes((sample_dir / f.source_file).read_bytes()).text for f in list_raw_files(sample_dir)]
    if corpus == "simplified":
        decoded = [text for text in map(simplified_text, decoded) if text]
    return decoded


def generate(
    sample_dir: Path,
    out_dir: Path,
    n: int,
    seed: int,
    lengthen: float,
    prefix: str = "gen",
    corpus: str = "raw",
) -> list[Path]:
    """N UTF-8 files, each a sample template whose paragraphs are repeated in place about `lengthen` times
    in all (so every report of a compilation grows, and stays about its own region), with every
    multi-digit figure redrawn. Titles and site lines are kept once, so the reports stay as many."""
    rng = random.Random(seed)
    texts = templates(sample_dir, corpus)

    def redraw(match: re.Match[str]) -> str:
        digits = match.group(0)
        if len(digits) == 4 and digits.startswith("20"):
            return digits  # keep years, so periods still resolve
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        lines = []
        for line in texts[i % len(texts)].splitlines():
            copies = 1
            if len(line) >= 40 and line.rstrip().endswith("。"):  # a paragraph, not a title or a site line
                extra = rng.uniform(0.5, 1.5) * (lengthen - 1)
                copies += int(extra) + (rng.random() < extra % 1)
            lines += [re.sub(r"\d{2,}", redraw, line) for _ in range(copies)]
        path = out_dir / f"{prefix}_{i:05d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written


@dataclass
class Timed:
    seconds: float
    peak_process: int  # bytes: the largest RSS of the run's own process
    peak_tree: int  # bytes: the largest sum of the RSS of the process and its workers
    out: str
    ended: float  # time.time() when the process ended, to let the files it saw settle


def timed(cmd: list[str], env: dict[str, str]) -> Timed:
    """Wall seconds, peak RSS (of the process, and summed over its tree) and output of a new process.
    Memory is sampled in a thread, so the wall time is not rounded up to the sampling period."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        parent = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                own = parent.memory_info().rss
                children = [p.memory_info().rss for p in parent.children(recursive=True) if p.is_running()]
                peaks[0], peaks[1] = max(peaks[0], own), max(peaks[1], own + sum(children))
            except psutil.Error:
                pass
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()  # reads as it goes: a chatty run cannot block on a full pipe
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-3000:]}")
    return Timed(elapsed, peaks[0], peaks[1], out, time.time())


def settle(since: float) -> None:
    """Sleep until SETTLE_S after `since` (a time.time()), so that a run remembers what it lists."""
    time.sleep(max(0.0, since + SETTLE_S - time.time()))


def step_lines(out: str) -> tuple[dict[str, str], list[str]]:
    """A run's summary: {step: "2.1" seconds or its status ("skipped")}, and its "N computed, M reused" lines."""
    steps, items = {}, []
    for line in out.splitlines():
        if line.startswith("run succeeded") or line.startswith("run FAILED"):
            break  # what follows is the warehouse's summary, not steps
        if m := STEP_TIME_RE.match(line):
            steps[m.group(1)] = m.group(2)
        elif m := ITEMS_RE.match(line):
            items.append(f"{m.group(1)}: {m.group(2)} computed, {m.group(3)} reused")
        elif m := STEP_STATUS_RE.match(line):
            steps[m.group(1)] = m.group(2)
    return steps, items


def step_seconds(steps: dict[str, str]) -> float:
    """The steps' seconds summed (a skipped step has none), to show what the wall time spends outside them."""
    return sum(float(v) for v in steps.values() if re.fullmatch(r"-?\d+\.\d", v))


@dataclass
class Result:
    case: Case
    files: int
    reports: int
    traditional: int  # reports normalization found traditional (none, on the simplified corpus)
    mean_chars: float
    n_bytes: int  # UTF-8 bytes of the decoded text of every file
    jieba_seconds: float  # segmentation alone, after decoding and the dictionary's load
    jieba: Timed
    full: Timed
    noop: Timed
    added: Timed  # the median of the one-report runs
    added_seconds: list[float]  # every one-report run, in order

    @property
    def mb(self) -> float:
        return self.n_bytes / 1e6

    @property
    def ratio(self) -> float:
        return self.jieba_seconds / self.full.seconds

    @property
    def noop_ran(self) -> bool:
        """The second run did work: an input changed between the runs (say, pipeline code edited meanwhile)."""
        return "nothing new since the last run" not in self.noop.out

    @property
    def rss_per_byte(self) -> float:
        return self.full.peak_tree / self.n_bytes

    @property
    def rss_at_goal(self) -> float:
        """Peak RSS of the full run's tree scaled linearly to 400 MB of text, bytes."""
        return self.rss_per_byte * GOAL_RSS_AT_TEXT_BYTES


def measure(case: Case, work: Path, seed: int, lengthen: float, workers: int) -> Result:
    """Generate the case's corpus in `work`, then time the runs, each in a new process."""
    raw, extra, home = work / "raw", work / "extra", work / "dagster_home"
    for folder in (raw, extra, home):
        shutil.rmtree(folder, ignore_errors=True)
    files = generate(SAMPLE_DIR, raw, round(case.reports / REPORTS_PER_FILE), seed, lengthen, corpus=case.corpus)
    written = time.time()
    home.mkdir(parents=True)
    shutil.copy(PROJECT_DIR / "dagster_home" / "dagster.yaml", home)
    warehouse = (work / "warehouse.duckdb").resolve()
    for old in work.glob("warehouse.duckdb*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    env = {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home)}
    env.pop("STI_DASK_SCHEDULER", None)
    if workers:
        env["STI_WORKERS"] = str(workers)
    python = sys.executable

    print(f"\n== {case}: {len(files):,} files generated; running", flush=True)
    timed([python, "-c", PARSE_DBT, str(warehouse)], env)  # not counted: `make run` finds it parsed
    jieba = timed([python, "-c", BARE_JIEBA, str(raw)], env)
    jieba_seconds, n_bytes = float(jieba.out.split()[-2]), int(jieba.out.split()[-1])
    settle(written)  # a small corpus can be written, and jieba done, within SETTLE_NS
    full = timed([python, "-m", "pipeline.run"], env)
    noop = timed([python, "-m", "pipeline.run"], env)
    # One report added, ADDED_RUNS times in a row (a sensor's runs), each a new process: the median is reported,
    # since one run's time on a shared machine varies by a second or two.
    added_runs, last = [], noop.ended
    for i in range(ADDED_RUNS):
        settle(max(last, written))
        (added,) = generate(SAMPLE_DIR, extra, 1, seed + 1 + i, lengthen, prefix=f"added{i}", corpus=case.corpus)
        added.rename(raw / f"{ADDED_PREFIX}{i}.txt")
        added_runs.append(timed([python, "-m", "pipeline.run"], env))
        last = added_runs[-1].ended
    median = sorted(added_runs, key=lambda run: run.seconds)[len(added_runs) // 2]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports, traditional, mean_chars = con.execute(
            "select count(*), count(*) filter (where was_traditional), avg(n_chars) from core.documents "
            "where not starts_with(source_file, ?)",
            [ADDED_PREFIX],
        ).fetchone()
    return Result(
        case, len(files), reports, traditional, mean_chars or 0.0, n_bytes, jieba_seconds, jieba, full, noop, median,
        [run.seconds for run in added_runs],
    )  # fmt: skip


def print_case(r: Result) -> None:
    """Everything measured on one (corpus, size), with the per-step times of the full and one-report runs."""
    print(
        f"corpus: {r.reports:,} reports in {r.files:,} files ({r.mean_chars:.0f} characters on average, "
        f"{r.traditional} found traditional), {r.mb:.1f} MB of text"
    )
    print(f"{'':<40}{'seconds':>10}{'peak RSS MB: process':>22}{'with workers':>14}")
    for label, run, seconds in (
        ("bare jieba.lcut, one process", r.jieba, r.jieba_seconds),
        ("  (bare jieba, its whole process)", r.jieba, r.jieba.seconds),
        ("make run, full", r.full, r.full.seconds),
        ("make run, nothing new", r.noop, r.noop.seconds),
        ("make run, one report added (median)", r.added, r.added.seconds),
    ):
        print(f"{label:<40}{seconds:>10.1f}{run.peak_process / 2**20:>22.0f}{run.peak_tree / 2**20:>14.0f}")
    if r.noop_ran:
        print("  WARNING: the 'nothing new' run did work (an input changed between runs?):\n" + r.noop.out.strip())
    full_steps, _ = step_lines(r.full.out)
    print(f"  one report added, each run: {', '.join(f'{x:.1f}' for x in r.added_seconds)} s")
    added_steps, items = step_lines(r.added.out)
    print(f"  {'step':<36}{'full s':>10}{'one added s':>14}")
    for step in dict.fromkeys([*full_steps, *added_steps]):
        print(f"  {step:<36}{full_steps.get(step, '-'):>10}{added_steps.get(step, '-'):>14}")
    outside = [
        f"{run.seconds - step_seconds(steps):.1f}" for run, steps in ((r.full, full_steps), (r.added, added_steps))
    ]
    print(f"  {'(outside the steps)':<36}{outside[0]:>10}{outside[1]:>14}")
    for line in items:
        print(f"  one added, {line}")
    print(
        f"ratio (jieba s / full run s): {r.ratio:.2f}  (goal >= {GOAL_RATIO}); nothing new {r.noop.seconds:.2f} s "
        f"(goal <= {GOAL_NOOP_S} s); one report added {r.added.seconds:.1f} s, {r.added.seconds / r.full.seconds:.1%} "
        f"of the full run; peak RSS {r.rss_per_byte:.2f} MB per MB of text"
    )


def fitted_rss_at_goal(results: list[Result]) -> float | None:
    """Peak RSS at 400 MB of text on the line through the two largest corpora measured, bytes; None if < 2."""
    sized = sorted({r.n_bytes: r for r in results}.values(), key=lambda r: r.n_bytes)
    if len(sized) < 2:
        return None
    a, b = sized[-2], sized[-1]
    slope = (b.full.peak_tree - a.full.peak_tree) / (b.n_bytes - a.n_bytes)
    return b.full.peak_tree + slope * (GOAL_RSS_AT_TEXT_BYTES - b.n_bytes)


def print_summary(results: list[Result], floor: Timed) -> None:
    """The markdown table, one row per (corpus, size), and each goal met or not."""
    yes = {True: "yes", False: "**no**"}
    print(
        "\n| corpus | reports (MB of text) | full run s | bare jieba s | ratio (≥ 0.6) | peak RSS MB (tree) "
        "| RSS MB per MB of text | ≤ 1 GB at 400 MB | nothing new s (≤ 0.5) | one report added s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for r in results:
        noop = f"{r.noop.seconds:.2f}" + (" (did work)" if r.noop_ran else "")
        print(
            f"| {r.case.corpus} | {r.reports:,} ({r.mb:.1f}) | {r.full.seconds:.1f} | {r.jieba_seconds:.1f} "
            f"| {r.ratio:.2f} | {r.full.peak_tree / 2**20:.0f} | {r.rss_per_byte:.2f} "
            f"| {yes[r.rss_at_goal <= GOAL_RSS_BYTES]} ({r.rss_at_goal / 2**30:.1f} GB) | {noop} "
            f"| {r.added.seconds:.1f} |"
        )
    print(
        f"\nmachine: {os.cpu_count()} cores; importing the code location alone in a new process: "
        f"{floor.seconds:.1f} s (the floor under any launched run, before a step)"
    )
    print("goals:")
    for r in results:
        checks = [
            f"ratio {r.ratio:.2f} >= {GOAL_RATIO}: {yes[r.ratio >= GOAL_RATIO]}",
            f"nothing new {r.noop.seconds:.2f} s <= {GOAL_NOOP_S} s: {yes[r.noop.seconds <= GOAL_NOOP_S]}",
        ]
        if r.case.reports >= GOAL_ADDED_AT:
            checks.append(
                f"one added {r.added.seconds:.1f} s <= {GOAL_ADDED_S:.0f} s: {yes[r.added.seconds <= GOAL_ADDED_S]}"
            )
        base = next((b for b in results if b.case == Case(r.case.corpus, 1000)), None)
        if base is not None and base is not r:
            over = r.added.seconds - base.added.seconds
            checks.append(
                f"one added {over:+.1f} s over 1,000 reports' (<= {GOAL_ADDED_OVER_1000_S:.0f} s): "
                f"{yes[over <= GOAL_ADDED_OVER_1000_S]}"
            )
        checks.append(
            f"peak RSS at 400 MB, scaled linearly, {r.rss_at_goal / 2**30:.1f} GB <= 1 GB: "
            f"{yes[r.rss_at_goal <= GOAL_RSS_BYTES]}"
        )
        print(f"  {r.case}: " + "; ".join(checks))
    for corpus in CORPORA:
        fitted = fitted_rss_at_goal([r for r in results if r.case.corpus == corpus])
        if fitted is not None:
            print(
                f"  {corpus} corpus: peak RSS at 400 MB on the line through its two largest sizes "
                f"{fitted / 2**30:.2f} GB (goal <= 1 GB: {yes[fitted <= GOAL_RSS_BYTES]})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--reports",
        default=DEFAULT_REPORTS,
        help=f"sizes, comma-separated; `raw:N` names its corpus (default {DEFAULT_REPORTS})",
    )
    parser.add_argument(
        "--corpus",
        choices=[*CORPORA, "both"],
        default="simplified",
        help="the corpus of a bare size (default simplified; both: each bare size on both)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lengthen", type=float, default=3.5, help="paragraph repetitions (1: the samples' length)")
    parser.add_argument("--workers", type=int, default=0, help="STI_WORKERS for the runs (0: one per core)")
    parser.add_argument("--keep", type=Path, help="keep each case's corpus and warehouse in this folder")
    args = parser.parse_args()
    try:
        cases = parse_cases(args.reports, args.corpus)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    tmp = Path(tempfile.mkdtemp(prefix="sti-throughput-")) if args.keep is None else args.keep
    results = []
    try:
        for case in cases:
            work = tmp / f"{case.corpus}-{case.reports}"
            results.append(measure(case, work, args.seed, args.lengthen, args.workers))
            print_case(results[-1])
            if args.keep is None:
                shutil.rmtree(work, ignore_errors=True)  # a 100,000-report corpus and its warehouse are large
        floor = timed([sys.executable, "-c", "import pipeline.definitions"], {**os.environ})
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nruns with STI_WORKERS={args.workers or 'one per core'}")
    print_summary(results, floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
