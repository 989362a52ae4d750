"""Regression guard per document: genre, region, level, year and period of the labelled sets with a docs.tsv.

Scored as the evaluation scorer's `--docs` does: each file's first report (lowest segment_no) against its
label, only where the label states a value. The `level` column (ours) adds what an empty label cannot say:
a province's document must have no city or county, a city's no county.
"""

import csv
from pathlib import Path

import pytest

from tests.conftest import analysed

SETS = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "labelled").glob("set*/docs.tsv"))
FIELDS = ("genre", "province", "city", "county", "year", "period", "level")
FLOORS = {
    "genre": 0.95,
    "province": 0.95,
    "city": 0.9,
    "county": 0.85,
    "year": 0.9,
    "period": 0.9,
    "level": 0.9,
}


def first_reports(raw: Path, cache_dir: Path) -> dict[str, dict]:
    resolved, _facts, _rejected = analysed(raw, cache_dir)
    first = (
        resolved.collect().sort("source_file", "segment_no").unique("source_file", keep="first", maintain_order=True)
    )
    return {row["source_file"]: row for row in first.iter_rows(named=True)}


def level_of(row: dict) -> str | None:
    if row["county"]:
        return "county"
    if row["city"]:
        return "city"
    return "province" if row["province"] else None


def score(labels: list[dict], got: dict[str, dict]) -> tuple[dict[str, float], list[tuple]]:
    counts = {name: [0, 0] for name in FIELDS}
    errors = []
    for label in labels:
        row = got.get(label["file"], {})
        have = {
            "genre": row.get("doc_kind"),
            "province": row.get("province"),
            "city": row.get("city"),
            "county": row.get("county"),
            "year": None if row.get("year") is None else str(row["year"]),
            "period": row.get("period"),
            "level": level_of(row) if row else None,
        }
        for name in FIELDS:
            want = label.get(name) or ""
            if name == "city" and want == label.get("province"):
                want = ""  # a municipality's district: its city is the municipality, which the contract leaves NULL
            if not want:
                continue
            counts[name][1] += 1
            if want == have[name]:
                counts[name][0] += 1
            else:
                errors.append((label["file"], name, want, have[name]))
    return {name: ok / n for name, (ok, n) in counts.items() if n}, errors


def labels_of(labelled: Path) -> list[dict]:
    """The set's docs.tsv: one label per file."""
    with open(labelled / "docs.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("labelled", SETS, ids=lambda p: p.name)
def test_documents_are_placed_and_classified(labelled: Path, tmp_path: Path) -> None:
    result, errors = score(labels_of(labelled), first_reports(labelled / "raw", tmp_path))
    below = {name: round(value, 3) for name, value in result.items() if value < FLOORS[name]}
    assert not below, f"{labelled.name}: {below}; errors: {errors}"
