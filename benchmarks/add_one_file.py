"""Benchmark: the cost of adding one raw file to a large corpus, against processing the corpus.

    make benchmark                      # 2,000 generated files
    python -m benchmarks.add_one_file --reports 500

Generates N files from the sample corpus, each with its figures redrawn (so every text is new) and
its paragraphs (sentences of 40 characters or more) repeated in place to the length of real
reports: the samples' reports average about 640 characters, the 18 real reports of the dev corpus
1,655 (median 1,170); `--lengthen 3.5` (the default) gives about 1,630 (median 1,260), and the
output says what the run got. Then it materializes every asset into a temporary warehouse (full
run, empty memo), adds one file and materializes again (incremental run), in this process with an
ephemeral Dagster instance. Prints both wall times, their ratio, each step's time and what each
text stage computed versus reused.

Both runs share the process, as runs of a long-lived worker would: imports, jieba's dictionary
and the gazetteer load once, during the full run. A run launched in a fresh process (as the
Dagster daemon does) pays those few seconds of start-up on top, whatever the corpus.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.ingest import decode_bytes, list_raw_files

PROJECT_DIR = Path(__file__).resolve().parent.parent


def generate(sample_dir: Path, out_dir: Path, n: int, seed: int, lengthen: float) -> None:
    """N UTF-8 files, each a sample file whose paragraphs are repeated in place about `lengthen` times
    in all (so every report of a compilation grows, and stays about its own region), with every
    multi-digit figure redrawn. Titles and site lines are kept once, so the reports stay as many."""
    rng = random.Random(seed)
    templates = [decode_bytes(f.data).text for f in list_raw_files(sample_dir)]

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
        (out_dir / f"gen_{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(defs: dg.Definitions) -> tuple[float, dict[str, float], dict[str, dict]]:
    """Wall time of one run, the seconds of each step, and what each text stage computed or reused."""
    job = defs.resolve_implicit_global_asset_job_def()
    instance = dg.DagsterInstance.ephemeral()
    start = time.perf_counter()
    result = job.execute_in_process(instance=instance)
    elapsed = time.perf_counter() - start
    steps = {s.step_key: s.end_time - s.start_time for s in instance.get_run_step_stats(result.run_id)}
    stages = {}
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        if "items_computed" in meta:
            stages[event.asset_key.to_user_string()] = {k: meta[k].value for k in ("items_computed", "items_reused")}
    return elapsed, steps, stages


def parse_dbt_project() -> None:
    """`dbt parse` with this run's profile, as `make run` does, so dbt build can reuse the parse."""
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=PROJECT_DIR / "sql", check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--lengthen", type=float, default=3.5, help="paragraph repetitions: 1 keeps the samples' length"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sti-bench-") as tmp:
        raw, warehouse = Path(tmp) / "raw", Path(tmp) / "warehouse.duckdb"
        generate(PROJECT_DIR / "data" / "raw", raw, args.reports, args.seed, args.lengthen)
        os.environ["STI_RAW_DIR"], os.environ["STI_WAREHOUSE"] = str(raw), str(warehouse)
        from pipeline.definitions import defs

        parse_dbt_project()
        full, full_steps, full_stages = run(defs)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            documents, mean_chars = con.execute("select count(*), avg(n_chars) from core.documents").fetchone()
        full_size = warehouse.stat().st_size
        generate(PROJECT_DIR / "data" / "raw", Path(tmp) / "extra", 1, args.seed + 1, args.lengthen)
        (Path(tmp) / "extra" / "gen_00000.txt").rename(raw / "added_report.txt")
        incremental, incr_steps, incr_stages = run(defs)
        incremental_size = warehouse.stat().st_size
    print(f"corpus: {args.reports} generated files ({documents} reports of {mean_chars:.0f} characters on average)")
    print("then 1 file added")
    print(f"{'step':<24}{'full s':>10}{'incremental s':>16}")
    for step in full_steps:
        print(f"{step:<24}{full_steps[step]:>10.2f}{incr_steps.get(step, 0.0):>16.2f}")
    print(f"{'whole run (wall)':<24}{full:>10.2f}{incremental:>16.2f}")
    print(f"published file: {full_size / 2**20:.1f} MiB after the full run, {incremental_size / 2**20:.1f} MiB after")
    print(f"text stages, full:        {full_stages}")
    print(f"text stages, incremental: {incr_stages}")
    fixed = "sti_dbt_models"
    print(f"incremental / full, whole run:           {incremental / full:.1%}")
    corpus_full = sum(t for k, t in full_steps.items() if k != fixed)
    corpus_incr = sum(t for k, t in incr_steps.items() if k != fixed)
    print(f"incremental / full, all steps but dbt:   {corpus_incr / corpus_full:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
