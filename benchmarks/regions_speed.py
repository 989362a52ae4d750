"""Time the region resolver per 1,000 reports (a figure to print, not a test).

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.regions_speed [--reports 1000]

The reports are the labelled fixture reports and the sample corpus (normalized as the pipeline does),
cycled to the number asked for, each made distinct by a suffix so nothing can be cached per text.
Prints the one-off load (gazetteer, automata, jieba's dictionary: the first call) apart from the time
per 1,000 reports after it. Run it with PYTHONPATH pointing at another checkout to compare versions.
"""

import argparse
import tempfile
import time
from pathlib import Path

from pipeline import regions, tables

ROOT = Path(__file__).resolve().parent.parent


def reports() -> list[tuple[str | None, str]]:
    out = []
    folders = [d / "raw" for d in sorted((ROOT / "tests" / "fixtures" / "labelled").glob("set*"))]
    for raw in [*folders, ROOT / "data" / "raw"]:
        with tempfile.TemporaryDirectory(prefix="sti-cache-") as cache:
            frame, _, _ = tables.normalize_files(tables.read_raw_files(raw), Path(cache), raw)
            texts = tables.with_texts(frame, Path(cache)).select("title", "text").collect()
        out += [(r["title"], r["text"]) for r in texts.iter_rows(named=True)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    base = reports()
    batch = [(t, f"{x}\n（第{i}份）") for i, (t, x) in enumerate(base[i % len(base)] for i in range(args.reports))]
    chars = sum(len(x) for _, x in batch)
    start = time.perf_counter()
    regions.resolve_region(*base[0])
    load = time.perf_counter() - start
    start = time.perf_counter()
    for title, text in batch:
        regions.resolve_region(title, text)
    spent = time.perf_counter() - start
    print(f"{len(batch)} reports, {chars / len(batch):.0f} characters on average, from {len(base)} distinct")
    print(f"first call (loads): {load:.2f} s")
    print(f"per 1,000 reports: {spent * 1000 / len(batch):.2f} s ({len(batch) / spent:.0f} reports/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
