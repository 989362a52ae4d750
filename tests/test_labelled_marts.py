"""The comparison analysts read: the cells of marts.region_year_measures on every labelled set with a docs.tsv,
against the cells its labels imply under the contract's roll-up rules (the rules of the evaluation's
mart scorer, restated here so the project tests without ../shared).

A label cell is (region at its most specific level, year, indicator, measure, detail) holding the sum of
the core, actual, non-component, non-redacted figures of the one bureau report the marts should use for
that region and year: the most months covered (annual, Q3, H2 over H1, a quarter), then the largest file.
A mart cell is a row with status actual and a year; it matches when its key is equal and its value is
within 0.5%. A `level` label below what the label names (a county report whose county is unknown) has no
cells: any cell shown for it is wrong.
"""

import json
from collections import defaultdict
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import materialize_all
from tests.test_labelled_documents import labels_of
from tests.test_labelled_reports import gold_detail

SETS = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "labelled").glob("set*/docs.tsv"))
PERIOD_RANK = {"annual": 0, "Q3": 1, "H2": 2, "H1": 3, "Q1": 4, "Q2": 4, "Q4": 4}
# Cells F1 per set, a little under what the code reaches (the evaluation table in docs/evaluation.md).
FLOOR = 0.95

Cell = tuple[tuple, int, str, str, str | None]


def region_key(province: str, city: str, county: str) -> tuple:
    city = "" if city == province else city
    level = "county" if county else "city" if city else "province"
    return (level, province, city or None, county or None)


def unnamed(level: str, city: str, county: str) -> bool:
    return (level == "county" and not county) or (level in ("city", "local") and not city and not county)


def label_cells(labelled: Path) -> dict[Cell, float]:
    docs = {d["file"]: d for d in labels_of(labelled)}
    reports: dict[tuple, list[dict]] = defaultdict(list)
    for line in (labelled / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        d = docs.get(g["file"])
        if d is None or d["genre"] != "bureau_report":
            continue
        region = g.get("region") or {}
        province, city, county = (region.get(k) or d.get(k) or "" for k in ("province", "city", "county"))
        year = g.get("year") or (int(d["year"]) if d.get("year") else None)
        if not province or not year or unnamed(d.get("level") or "", city, county):
            continue
        period = g.get("period") or d.get("period")
        reports[(g["file"], region_key(province, city, county), int(year), period)].append(g)
    chosen: dict[tuple, tuple] = {}
    for (file, region, year, period), rows in reports.items():
        rank = (PERIOD_RANK.get(period, 9), -(labelled / "raw" / file).stat().st_size)
        if (region, year) not in chosen or rank < chosen[(region, year)][0]:
            chosen[(region, year)] = (rank, rows)
    cells: dict[Cell, float] = defaultdict(float)
    for (region, year), (_rank, rows) in chosen.items():
        for g in rows:
            if g["grade"] == "core" and g["status"] == "actual" and not g["component"] and g["value"] is not None:
                cells[(region, year, g["indicator"], g["measure"], gold_detail(g))] += float(g["value"])
    return dict(cells)


def mart_cells(warehouse: Path) -> dict[Cell, float]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select region_level, province, city, county, year, indicator, measure, detail, total_value
               from marts.region_year_measures
               where status = 'actual' and year is not null and total_value is not null"""
        ).fetchall()
    return {((r[0], r[1], r[2], r[3]), r[4], r[5], r[6], r[7]): float(r[8]) for r in rows}


def cells_f1(want: dict[Cell, float], got: dict[Cell, float]) -> tuple[float, list[str]]:
    right = {k for k, v in got.items() if k in want and abs(v - want[k]) <= 0.005 * max(abs(want[k]), 1)}
    errors = [f"MISS {k} {want[k]} got {got.get(k)}" for k in sorted(set(want) - right, key=str)]
    errors += [f"EXTRA {k} {got[k]}" for k in sorted(set(got) - set(want), key=str)]
    if not want and not got:
        return 1.0, errors
    precision, recall = len(right) / max(len(got), 1), len(right) / max(len(want), 1)
    return (2 * precision * recall / (precision + recall) if right else 0.0), errors


def test_cells_f1_counts_a_wrong_sum_and_a_missing_cell() -> None:
    key = (("county", "江苏省", "盐城市", "建湖县"), 2021, "high_tech", "enterprises", "stock")
    other = (key[0], 2021, "patent", "grants", None)
    assert cells_f1({key: 88.0}, {key: 88.2}) == (1.0, [])
    f1, errors = cells_f1({key: 88.0, other: 5.0}, {key: 176.0})
    assert f1 == 0.0 and len(errors) == 2


@pytest.mark.parametrize("labelled", SETS, ids=lambda p: p.name)
def test_comparison_cells_of_the_labelled_set(labelled: Path, defs: dg.Definitions, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    assert materialize_all(defs, labelled / "raw", warehouse).success
    f1, errors = cells_f1(label_cells(labelled), mart_cells(warehouse))
    assert f1 >= FLOOR, f"{labelled.name}: cells F1 {f1:.3f}\n" + "\n".join(errors)
