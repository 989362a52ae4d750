"""Region resolution against labelled documents: accuracy per level and the reliability of `confidence`.

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.regions_labelled            # seeds and fixtures
    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.regions_labelled --docs /work/fixtures-staging/set6
    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.regions_labelled --fit      # writes the calibration table

A labelled document is the first report (lowest segment_no) of a labelled file, as the evaluation scorer
takes it: the fixture sets and the dev corpus give its region in gold.jsonl (every figure of a file carries
the file's region), other sets in a docs.tsv (file, source_address, title, genre, province, city, county,
...). A level is scored where the label states it; an empty label is not scored. `--fit` bins the raw
strength of every labelled document, and of three degraded copies of each (no title; only the opening or a
middle excerpt), and writes the share of right answers per bin to pipeline/data/region_calibration.toml,
which `resolve_region` turns into its `confidence`.
"""

import argparse
import csv
import itertools
import json
import tempfile
from pathlib import Path

from pipeline import regions, tables

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "labelled"
# ../shared beside the checkout (a worktree sits one level deeper): the dev corpus and its gold.
SHARED = next((p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), ROOT / "shared")
SEEDS = (SHARED / "corpus", SHARED / "eval" / "dev_gold.jsonl")
LEVELS = ("province", "city", "county")


def _gold_from_jsonl(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.setdefault(row["file"], row.get("region") or {})
    return out


def _gold_from_tsv(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as fh:
        return {
            r["file"]: {lvl: (r.get(lvl) or "").strip() or None for lvl in (*LEVELS, "level")}
            for r in csv.DictReader(fh, delimiter="\t")
        }


def labelled_documents(raw: Path, gold: dict[str, dict]) -> list[dict]:
    """(title, text, page publisher, gold) of the first report of every labelled file under `raw`."""
    with tempfile.TemporaryDirectory(prefix="sti-cache-") as cache:
        reports, _, _ = tables.normalize_files(tables.read_raw_files(raw), Path(cache), raw)
        rows = tables.with_texts(reports, Path(cache)).collect().sort("source_file", "segment_no")
    docs = []
    seen = set()
    for row in rows.iter_rows(named=True):
        name = row["source_file"]
        key = name if name in gold else Path(name).name
        if key in gold and name not in seen:
            seen.add(name)
            docs.append(
                {
                    "set": raw.name,
                    "file": name,
                    "title": row["title"],
                    "text": row["text"],
                    "publisher": row["publisher"],
                    "gold": gold[key],
                }
            )
    return docs


def default_sets() -> list[tuple[Path, dict[str, dict]]]:
    sets = [(d / "raw", _gold_from_jsonl(d / "gold.jsonl")) for d in sorted(FIXTURES.glob("set*"))]
    if SEEDS[0].exists():
        sets.append((SEEDS[0], _gold_from_jsonl(SEEDS[1])))
    return sets


def meta_sets(folder: Path) -> list[tuple[Path, dict[str, dict]]]:
    """Collected real documents: meta_<dir>.tsv beside each <dir>, without header (file, title, genre,
    province, city, county, [an empty column,] year, period, level). For measuring only, never tuning."""
    sets = []
    for meta in sorted(folder.glob("meta_*.tsv")):
        gold = {}
        for line in meta.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 9:
                gold[fields[0]] = {
                    **{lvl: fields[3 + i].strip() or None for i, lvl in enumerate(LEVELS)},
                    "level": fields[-1].strip() or None,
                }
        sets.append((folder / meta.stem.removeprefix("meta_"), gold))
    return sets


def tsv_set(folder: Path) -> tuple[Path, dict[str, dict]]:
    raw = folder / "raw" if (folder / "raw").is_dir() else folder
    return raw, _gold_from_tsv(folder / "docs.tsv")


def right(resolution: regions.RegionResolution, gold: dict) -> bool:
    """Every level the label states is right; where the label gives the document's level (a city's report),
    no level below it is claimed."""
    stated = [lvl for lvl in LEVELS if gold.get(lvl) is not None]
    if gold.get("level") in LEVELS:
        below = LEVELS[LEVELS.index(gold["level"]) + 1 :]
        stated += [lvl for lvl in below if lvl not in stated and not (lvl == "city" and gold.get("county"))]
    return all(getattr(resolution, lvl) == gold.get(lvl) for lvl in stated)


def degraded(docs: list[dict], size: int = 400) -> list[dict]:
    """Harder copies of each document, as scraped pages often arrive: without the title, then only the
    opening or a middle excerpt of `size` characters (a news snippet, a page of a longer report). They give
    the calibration documents with weaker evidence, which the labelled sets alone have few of."""
    out = []
    for doc in docs:
        text = doc["text"]
        middle = max(0, len(text) // 2 - size // 2)
        for name, excerpt in (("untitled", text), ("opening", text[:size]), ("middle", text[middle : middle + size])):
            out.append({**doc, "file": f"{doc['file']}#{name}", "title": None, "text": excerpt})
    return out


def evaluate(docs: list[dict], show_errors: bool) -> list[tuple[float, float, bool]]:
    hits = {lvl: [0, 0] for lvl in LEVELS}
    scored = []
    for doc in docs:
        res, strength = regions.raw_resolution(doc["title"], doc["text"], doc.get("publisher"))
        gold = doc["gold"]
        for lvl in LEVELS:
            if gold.get(lvl):
                hits[lvl][1] += 1
                hits[lvl][0] += getattr(res, lvl) == gold[lvl]
        ok = right(res, gold)
        if not any(gold.get(lvl) for lvl in (*LEVELS, "level")):
            continue  # nothing to judge: the label states no region
        scored.append((regions.calibrated(strength) if res.province else 0.0, strength, ok))
        if show_errors and not ok:
            got = (res.province, res.city, res.county)
            want = tuple(gold.get(lvl) for lvl in LEVELS)
            print(f"  {doc['set']}/{doc['file']}: got {got} want {want} [{res.evidence[:160]}]")
    for lvl, (n_ok, n) in hits.items():
        print(f"{lvl:9s} {n_ok}/{n} = {n_ok / n if n else 0:.3f}")
    return scored


def write_calibration(scored: list[tuple[float, bool]], min_docs: int = 8) -> None:
    """Fit the table: documents sorted by strength, cut into bins of at least `min_docs`, each bin's share
    right (with one pseudo-document each way, so a small bin never says 0 or 1), then adjacent bins
    pooled until the shares rise with strength (pool-adjacent-violators: isotonic regression on bins)."""
    ranked = sorted(scored)
    bins: list[list[tuple[float, bool]]] = []
    for item in ranked:
        if not bins or (len(bins[-1]) >= min_docs and item[0] > bins[-1][-1][0]):
            bins.append([])
        bins[-1].append(item)
    if len(bins) > 1 and len(bins[-1]) < min_docs:
        bins[-2] += bins.pop()
    pooled: list[list[tuple[float, bool]]] = []
    for b in bins:
        pooled.append(b)
        while len(pooled) > 1 and _share(pooled[-2]) >= _share(pooled[-1]):
            last = pooled.pop()
            pooled[-1] = pooled[-1] + last
    edges = [(a[-1][0] + b[0][0]) / 2 for a, b in itertools.pairwise(pooled)] + [1.0]
    lines = [
        "# Calibration of region confidence (pipeline/regions.py): raw strength of the winning evidence -> share",
        "# of labelled documents resolved right (every level the label states). Written by",
        "#   PYTHONPATH=$PWD .venv/bin/python -m benchmarks.regions_labelled --fit [--docs SET ...]",
        f"# from {len(ranked)} labelled documents; a strength up to upper[i] gets right[i].",
        "# Do not edit by hand: refit when the resolver or the labelled sets change.",
        "[bins]",
        "upper = [" + ", ".join(f"{e:.4f}" for e in edges) + "]",
        "right = [" + ", ".join(f"{_share(b):.3f}" for b in pooled) + "]",
        "documents = [" + ", ".join(str(len(b)) for b in pooled) + "]",
    ]
    (regions.DATA / "region_calibration.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _share(items: list[tuple[float, bool]]) -> float:
    return (sum(ok for _, ok in items) + 1) / (len(items) + 2)


def reliability(scored: list[tuple[float, float, bool]], edges: list[float]) -> None:
    print("confidence bin   documents  mean predicted  observed right")
    for lo, hi in itertools.pairwise(edges):
        inside = [(c, ok) for c, _, ok in scored if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            obs = sum(ok for _, ok in inside) / len(inside)
            bracket = "]" if hi == 1.0 else ")"
            print(f"[{lo:.1f}, {hi:.1f}{bracket}      {len(inside):5d}      {mean:.3f}          {obs:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, action="append", help="a folder with docs.tsv (and raw/ or the files)")
    parser.add_argument(
        "--meta", type=Path, action="append", help="a folder of meta_<dir>.tsv and <dir>/ (measure only)"
    )
    parser.add_argument("--only-docs", action="store_true", help="score only the --docs / --meta sets")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--degraded", action="store_true", help="also score degraded copies (always with --fit)")
    parser.add_argument("--fit", action="store_true", help="write pipeline/data/region_calibration.toml")
    args = parser.parse_args()
    sets = [] if args.only_docs else default_sets()
    sets += [tsv_set(folder) for folder in args.docs or []]
    sets += [s for folder in args.meta or [] for s in meta_sets(folder)]
    docs = [doc for raw, gold in sets for doc in labelled_documents(raw, gold)]
    print(f"{len(docs)} labelled documents from {len(sets)} sets")
    scored = evaluate(docs, args.show_errors)
    if args.degraded or args.fit:
        print(f"and {3 * len(docs)} degraded copies (no title; opening or middle {400} characters):")
        scored += evaluate(degraded(docs), show_errors=False)
    unclaimed = sum(raw == 0.0 for _, raw, _ in scored)
    scored = [s for s in scored if s[1] > 0.0]
    print(f"{unclaimed} documents placed nowhere (confidence 0) are left out of the reliability table")
    if args.fit:
        write_calibration([(raw, ok) for _, raw, ok in scored])
        regions.reload_calibration()
        scored = [(regions.calibrated(raw), raw, ok) for _, raw, ok in scored]
    reliability(scored, [0.0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0])
    for threshold in (0.5, 0.6, 0.9):
        kept = [ok for conf, _, ok in scored if conf >= threshold]
        if kept:
            print(f"confidence >= {threshold}: {len(kept)} documents, {sum(kept) / len(kept):.3f} right")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
