"""Benchmark: the cost of adding one raw file to a large corpus, against processing the corpus.

    make benchmark                      # 2,000 generated reports
    python -m benchmarks.add_one_file --reports 500

Generates N reports from the sample corpus (each with its figures re-drawn, so every text is new),
materializes every asset into a temporary warehouse (full run, empty memo), adds one report and
materializes again (incremental run). Prints both wall times, their ratio, and what each text stage
computed versus reused, step by step. Runs in this process with an ephemeral Dagster instance.
The dbt step (models and tests over the whole warehouse, plus dbt's own start-up) costs about the
same whatever changed, so the ratio is printed with and without it.
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

from pipeline.ingest import decode_bytes, list_raw_files

PROJECT_DIR = Path(__file__).resolve().parent.parent


def generate(sample_dir: Path, out_dir: Path, n: int, seed: int) -> None:
    """N UTF-8 reports, each a sample report with every multi-digit figure redrawn."""
    rng = random.Random(seed)
    templates = [decode_bytes(f.data).text for f in list_raw_files(sample_dir)]

    def redraw(match: re.Match[str]) -> str:
        digits = match.group(0)
        if len(digits) == 4 and digits.startswith("20"):
            return digits  # keep years, so periods still resolve
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = re.sub(r"\d{2,}", redraw, templates[i % len(templates)])
        (out_dir / f"gen_{i:05d}.txt").write_text(text, encoding="utf-8")


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sti-bench-") as tmp:
        raw, warehouse = Path(tmp) / "raw", Path(tmp) / "warehouse.duckdb"
        generate(PROJECT_DIR / "data" / "raw", raw, args.reports, args.seed)
        os.environ["STI_RAW_DIR"], os.environ["STI_WAREHOUSE"] = str(raw), str(warehouse)
        from pipeline.definitions import defs

        parse_dbt_project()
        full, full_steps, full_stages = run(defs)
        generate(PROJECT_DIR / "data" / "raw", Path(tmp) / "extra", 1, args.seed + 1)
        (Path(tmp) / "extra" / "gen_00000.txt").rename(raw / "added_report.txt")
        incremental, incr_steps, incr_stages = run(defs)
    print(f"corpus: {args.reports} generated reports, then 1 added")
    print(f"{'step':<24}{'full s':>10}{'incremental s':>16}")
    for step in full_steps:
        print(f"{step:<24}{full_steps[step]:>10.2f}{incr_steps.get(step, 0.0):>16.2f}")
    print(f"{'whole run (wall)':<24}{full:>10.2f}{incremental:>16.2f}")
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
