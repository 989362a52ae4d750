"""No money of the labelled sets' non-S&T classes (balances, output, budgets, investment totals, sales,
fines, prices, award caps) reaches the funding facts.

`money_kinds.tsv` beside a set lists each such figure as written in its file, with its class; a funding
fact of the same file whose evidence holds that figure is a leak.
"""

import csv
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import analysed

SETS = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "labelled").glob("set*/money_kinds.tsv"))


def funding_evidence(raw: Path, cache_dir: Path) -> pl.DataFrame:
    resolved, facts, _rejected = analysed(raw, cache_dir)
    return (
        facts.filter(pl.col("indicator") == "funding")
        .join(resolved.select("document_id", "source_file"), on="document_id")
        .collect()
    )


@pytest.mark.parametrize("labelled", SETS, ids=lambda p: p.name)
def test_no_money_of_other_kinds_is_funding(labelled: Path, tmp_path: Path) -> None:
    with open(labelled / "money_kinds.tsv", encoding="utf-8", newline="") as fh:
        money = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    funding = funding_evidence(labelled / "raw", tmp_path)
    leaks = [
        (row["file"], row["money"], row["class"])
        for row in money
        if funding.filter(
            (pl.col("source_file") == row["file"]) & pl.col("evidence").str.contains(row["money"], literal=True)
        ).height
    ]
    assert len(money) >= 40
    assert not leaks, leaks
