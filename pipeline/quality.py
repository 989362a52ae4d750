"""Data-quality checks over the core tables of one load, as plain functions.

They run on the frames about to be loaded; the Dagster layer turns each into an asset check.
Blocking checks guard integrity only (every fact has its document, evidence is its span, no
duplicates): a plausibility problem flags its figures instead (`flag_suspect_figures`).
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
INDICATORS = ("funding", "high_tech", "patent", "training")
EXTRACTION_REASON = "flagged at extraction: the figure lies in mojibake or repeats a year written in the text"


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


def _level(documents: pl.DataFrame) -> pl.DataFrame:
    """The most specific level each report is placed at; a report with no place counts as a province's."""
    return documents.select(
        "document_id",
        level=pl.when(pl.col("county").is_not_null())
        .then(pl.lit("county"))
        .when(pl.col("city").is_not_null())
        .then(pl.lit("city"))
        .otherwise(pl.lit("province")),
    )


def flag_suspect_figures(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Mark money above its region level's ceiling (data/quality.toml) `is_suspect`, and list every suspect
    figure with its reason in `quality_flags`.

    Plausibility never blocks publishing: one odd file (a loan balance read as money) must not hold back
    every region's reports. A suspect figure stays in core, traceable, and is left out of the marts.
    """
    ceilings = thresholds()["max_amount_cny"]
    ceiling = pl.col("level").replace_strict(ceilings, default=ceilings["province"], return_dtype=pl.Float64)
    funding = frames["fact_funding"].join(_level(frames["documents"]), on="document_id", how="left")
    over = (pl.col("amount_cny") > ceiling).fill_null(False)
    implausible = funding.filter(over & ~pl.col("is_suspect")).select(
        "fact_id",
        "document_id",
        indicator=pl.lit("funding"),
        check_name=pl.lit("money_plausible"),
        reason=pl.format(
            "{} yuan above the {} ceiling of {} yuan",
            pl.col("amount_cny").round(0).cast(pl.Int64),
            "level",
            ceiling.cast(pl.Int64),
        ),
        evidence="evidence",
    )
    flagged_at_extraction = pl.concat(
        [
            frames[table]
            .filter("is_suspect")
            .select(
                "fact_id",
                "document_id",
                indicator=pl.lit(indicator),
                check_name=pl.lit("extraction"),
                reason=pl.lit(EXTRACTION_REASON),
                evidence="evidence",
            )
            for table, indicator in zip(FACT_TABLES, INDICATORS, strict=True)
        ]
    )
    out = dict(frames)
    out["fact_funding"] = frames["fact_funding"].with_columns(
        is_suspect=pl.col("is_suspect") | pl.col("fact_id").is_in(implausible["fact_id"].implode())
    )
    out["quality_flags"] = pl.concat([flagged_at_extraction, implausible]).sort("document_id", "fact_id")
    return out


def money_plausible(frames: dict[str, pl.DataFrame]) -> CheckOutcome:
    """Money figures above the ceiling of their region level: flagged suspect and left out of the marts."""
    flags = frames["quality_flags"].filter(pl.col("check_name") == "money_plausible")
    docs = frames["documents"].select("document_id", "source_file")
    listing = flags.join(docs, on="document_id", how="left").head(10)
    examples = "; ".join(
        f"{f}: {e} ({r})" for f, e, r in listing.select("source_file", "evidence", "reason").iter_rows()
    )
    return CheckOutcome(
        flags.height == 0,
        f"{flags.height} money figures above their region level's ceiling, flagged suspect (core.quality_flags)",
        {"implausible": flags.height, "examples": examples},
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
