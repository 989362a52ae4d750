"""Benchmark: the cost of adding one raw file to a large corpus, against processing the corpus.

    make benchmark                      # 2,000 generated reports
    python -m benchmarks.add_one_file --reports 500

Generates N reports from the sample corpus (each with its figures re-drawn, so every text is new),
materializes every asset into a temporary warehouse (full run, empty memo), adds one report and
materializes again (incremental run). Prints both wall times, their ratio, and what each text stage
computed versus reused. Runs in this process with an ephemeral Dagster instance.
"""

import argparse
import os
import random
import re
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


def run(defs: dg.Definitions) -> tuple[float, dict[str, dict]]:
    job = defs.resolve_implicit_global_asset_job_def()
    start = time.perf_counter()
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral())
    elapsed = time.perf_counter() - start
    stages = {}
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        if "items_computed" in meta:
            stages[event.asset_key.to_user_string()] = {k: meta[k].value for k in ("items_computed", "items_reused")}
    return elapsed, stages


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

        full, full_stages = run(defs)
        generate(PROJECT_DIR / "data" / "raw", Path(tmp) / "extra", 1, args.seed + 1)
        (Path(tmp) / "extra" / "gen_00000.txt").rename(raw / "added_report.txt")
        incremental, incr_stages = run(defs)
    print(f"corpus: {args.reports} generated reports (+1 added)")
    print(f"full run:        {full:8.1f} s   {full_stages}")
    print(f"incremental run: {incremental:8.1f} s   {incr_stages}")
    print(f"incremental / full: {incremental / full:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
