"""Benchmark: one report's analysis time against its length (a scraped folder holds the odd huge page).

    python -m benchmarks.long_report                       # 20,000 to 1,280,000 characters
    python -m benchmarks.long_report --lengths 10000 40000

Builds one report from the normalized sample reports of `data/raw` (their bodies, repeated in turn to the
length wanted, under one bureau title), analyses it in this process as an engine task does (regions,
periods and genre, domain terms, facts), and prints the seconds of each part and the seconds per 10,000
characters: a figure that grows with the length means work that is not linear in it, and one such page
then holds its worker for minutes while the others wait.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline import extract, ingest, normalize, periods, regions, segment

PROJECT_DIR = Path(__file__).resolve().parent.parent
TITLE = "某县科学技术局2023年工作总结"


def sample_bodies(raw: Path) -> list[str]:
    """The text of every sample report without its title line."""
    bodies = []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        try:
            decoded = ingest.decode_bytes(path.read_bytes())
        except ingest.RejectedInput:
            continue
        for report in normalize.normalize_document(decoded.text):
            body = report.text.split("\n", 1)[-1]
            if body.strip():
                bodies.append(body)
    return bodies


def long_text(bodies: list[str], length: int) -> str:
    parts, size, i = [TITLE], len(TITLE), 0
    while size < length:
        parts.append(bodies[i % len(bodies)])
        size += len(parts[-1]) + 1
        i += 1
    return "\n".join(parts)[:length]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=int, nargs="+", default=[20_000, 80_000, 320_000, 1_280_000])
    parser.add_argument("--raw", type=Path, default=PROJECT_DIR / "data" / "raw")
    args = parser.parse_args()
    bodies = sample_bodies(args.raw)
    regions.resolve_region(TITLE, bodies[0])  # dictionaries, gazetteer and rules loaded before timing
    segment.term_counts(bodies[0])
    extract.extract_facts(bodies[0])
    print(f"{'characters':>10} {'regions':>8} {'periods':>8} {'terms':>8} {'facts':>8} {'total s':>8} {'s/10k':>7}")
    for length in args.lengths:
        text = long_text(bodies, length)
        region_s, _ = timed(regions.resolve_region, TITLE, text)
        period_s, _ = timed(periods.resolve_period, TITLE, text)
        terms_s, _ = timed(segment.term_counts, text)
        facts_s, facts = timed(extract.extract_facts, text)
        total = region_s + period_s + terms_s + facts_s
        print(
            f"{len(text):>10,} {region_s:>8.2f} {period_s:>8.2f} {terms_s:>8.2f} {facts_s:>8.2f} {total:>8.2f}"
            f" {total / len(text) * 10_000:>7.3f}   ({len(facts):,} facts)"
        )


if __name__ == "__main__":
    main()
