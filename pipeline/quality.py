"""Data-quality checks over the core tables of one load, as plain functions.

They run on the frames about to be loaded; the Dagster layer turns each into an asset check,
the blocking ones guarding publication of the warehouse.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

QUALITY_TOML = Path(__file__).parent / "data" / "quality.toml"


@cache
def thresholds() -> dict:
    return tomllib.loads(QUALITY_TOML.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict[str, float | int | str] = field(default_factory=dict)


FACT_TABLES = ("fact_funding", "fact_high_tech_enterprises", "fact_patents", "fact_training")


def facts_have_documents(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """Every fact must be traceable to a report of core.documents."""
    ids = frames["documents"]["document_id"]
    orphans = sum(frames[t].filter(~pl.col("document_id").is_in(ids.implode())).height for t in FACT_TABLES)
    return CheckOutcome(orphans == 0, f"{orphans} facts without a document", {"orphans": orphans})


def evidence_matches_spans(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """The evidence of a fact is exactly the span of the report text it points to."""
    texts = frames["documents"].select("document_id", "text")
    bad = 0
    for table in FACT_TABLES:
        joined = (
            frames[table]
            .join(texts, on="document_id")
            .with_columns(
                span=pl.col("text").str.slice(pl.col("span_start"), pl.col("span_end") - pl.col("span_start"))
            )
        )
        bad += joined.filter(pl.col("span") != pl.col("evidence")).height
    return CheckOutcome(bad == 0, f"{bad} facts whose evidence is not their span", {"mismatches": bad})


def no_duplicate_facts(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """The same figure, with the same qualifiers, must not be extracted twice from the same clause."""
    dups = 0
    for table in FACT_TABLES:
        frame = frames[table]
        dups += frame.height - frame.drop("fact_id").unique().height
    return CheckOutcome(dups == 0, f"{dups} duplicate facts", {"duplicates": dups})


def money_plausible(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """No single money figure above the ceiling of its region level (data/quality.toml)."""
    ceilings = thresholds()["max_amount_cny"]
    docs = frames["documents"].select(
        "document_id",
        level=pl.when(pl.col("county").is_not_null())
        .then(pl.lit("county"))
        .when(pl.col("city").is_not_null())
        .then(pl.lit("city"))
        .otherwise(pl.lit("province")),
    )
    funding = frames["fact_funding"].join(docs, on="document_id", how="left")
    ceiling = pl.col("level").replace_strict(ceilings, default=ceilings["province"], return_dtype=pl.Float64)
    over = funding.filter(pl.col("amount_cny") > ceiling)
    examples = "; ".join(over["evidence"].head(3).to_list())
    return CheckOutcome(
        over.height == 0,
        f"{over.height} money figures above their region level's ceiling",
        {"implausible": over.height, "examples": examples},
    )


def no_rejected_inputs(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """Warn when raw files were quarantined: the run goes on with the others, but someone should look."""
    rejected = frames["rejected_inputs"]
    listing = "; ".join(f"{f}: {r}" for f, r in rejected.select("source_file", "reason").head(10).iter_rows())
    return CheckOutcome(rejected.height == 0, f"{rejected.height} raw files quarantined", {"files": listing})


def coverage(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """Warn when too many counted reports have no province or no figure at all."""
    limits = thresholds()["max_share"]
    docs = frames["documents"].filter(pl.col("duplicate_of").is_null())
    n = docs.height
    if n == 0:
        return CheckOutcome(False, "no counted documents", {"documents": 0})
    with_facts = pl.concat([frames[t].select("document_id") for t in FACT_TABLES])["document_id"]
    no_province = docs["province"].null_count() / n
    no_figures = docs.filter(~pl.col("document_id").is_in(with_facts.implode())).height / n
    passed = no_province <= limits["documents_without_province"] and no_figures <= limits["documents_without_figures"]
    return CheckOutcome(
        passed,
        f"{no_province:.0%} of reports without a province, {no_figures:.0%} without any figure",
        {
            "documents": n,
            "share_without_province": round(no_province, 3),
            "share_without_figures": round(no_figures, 3),
        },
    )
