"""Data-quality checks over the core tables of one load, as plain functions.

They run on the frames about to be loaded (the rows of the reports a load writes: lazy tables over the
stage files, or tables in memory), counting in a streaming fashion, or on the corpus's small columns
(coverage, failed analyses, the quarantine); the Dagster layer turns each into an asset check.
Blocking checks guard integrity only (every fact has its document, evidence is its span, no
duplicates): a plausibility problem flags its figures instead (`flag_suspect_figures`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
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
Frames = Mapping[str, pl.LazyFrame | pl.DataFrame]
DOCUMENTS_PER_SLICE = 5_000  # reports whose texts a check holds at a time (about 25 MB of text)


def _count(frame: pl.LazyFrame | pl.DataFrame) -> int:
    return frame.lazy().select(pl.len()).collect(engine="streaming").item()


def facts_have_documents(frames: Frames) -> CheckOutcome:
    """Every fact must be traceable to a report of core.documents."""
    ids = frames["documents"].lazy().select("document_id")
    orphans = sum(_count(frames[t].lazy().join(ids, on="document_id", how="anti")) for t in FACT_TABLES)
    return CheckOutcome(orphans == 0, f"{orphans} facts without a document", {"orphans": orphans})


def evidence_matches_spans(frames: Frames) -> CheckOutcome:
    """The evidence of a fact is exactly the span of the report text it points to."""
    documents = frames["documents"].lazy().select("document_id", "text")
    span = pl.col("text").str.slice(pl.col("span_start"), pl.col("span_end") - pl.col("span_start"))
    bad = 0
    # A slice of the reports' texts at a time: joined with every text at once, 38,640 reports' facts took
    # 460 MB.
    for start in range(0, _count(documents), DOCUMENTS_PER_SLICE):
        texts = documents.slice(start, DOCUMENTS_PER_SLICE).collect()
        ids = texts["document_id"].implode()
        for table in FACT_TABLES:
            facts = frames[table].lazy().filter(pl.col("document_id").is_in(ids))
            bad += _count(facts.join(texts.lazy(), on="document_id").filter(span != pl.col("evidence")))
    return CheckOutcome(bad == 0, f"{bad} facts whose evidence is not their span", {"mismatches": bad})


def no_duplicate_facts(frames: Frames) -> CheckOutcome:
    """The same figure, with the same qualifiers, must not be extracted twice from the same clause."""
    dups = 0
    for table in FACT_TABLES:
        # Distinct rows counted by their 64-bit hashes (8 bytes a row, where the rows themselves took
        # 230 MB for 38,640 reports' money figures); two different rows sharing a hash, about one chance
        # in 10^7 at a million rows, would be reported as a duplicate, never hide one.
        rows = (
            frames[table]
            .lazy()
            .select(n=pl.len(), distinct=pl.struct(pl.all().exclude("fact_id")).hash(seed=0).n_unique())
        )
        n, distinct = rows.collect(engine="streaming").row(0)
        dups += n - distinct
    return CheckOutcome(dups == 0, f"{dups} duplicate facts", {"duplicates": dups})


def _level(documents: pl.LazyFrame) -> pl.LazyFrame:
    """The most specific level each report is placed at; a report with no place counts as a province's."""
    return documents.select(
        "document_id",
        level=pl.when(pl.col("county").is_not_null())
        .then(pl.lit("county"))
        .when(pl.col("city").is_not_null())
        .then(pl.lit("city"))
        .otherwise(pl.lit("province")),
    )


def flag_suspect_figures(frames: Frames) -> dict[str, pl.LazyFrame]:
    """Mark money above its region level's ceiling (data/quality.toml) `is_suspect`, and list every suspect
    figure with its reason in `quality_flags`.

    Plausibility never blocks publishing: one odd file (a loan balance read as money) must not hold back
    every region's reports. A suspect figure stays in core, traceable, and is left out of the marts.
    """
    ceilings = thresholds()["max_amount_cny"]
    ceiling = pl.col("level").replace_strict(ceilings, default=ceilings["province"], return_dtype=pl.Float64)
    funding = frames["fact_funding"].lazy().join(_level(frames["documents"].lazy()), on="document_id", how="left")
    over = (pl.col("amount_cny") > ceiling).fill_null(False)
    implausible = (
        funding.filter(over & ~pl.col("is_suspect"))
        .select(
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
        .collect(engine="streaming")
    )  # a handful of rows
    flagged_at_extraction = pl.concat(
        [
            frames[table]
            .lazy()
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
    out = {name: frame.lazy() for name, frame in frames.items()}
    out["fact_funding"] = out["fact_funding"].with_columns(
        is_suspect=pl.col("is_suspect") | pl.col("fact_id").is_in(implausible["fact_id"].implode())
    )
    out["quality_flags"] = pl.concat([flagged_at_extraction, implausible.lazy()]).sort("document_id", "fact_id")
    return out


def money_plausible(frames: Frames) -> CheckOutcome:
    """Money figures above the ceiling of their region level: flagged suspect and left out of the marts."""
    flags = frames["quality_flags"].lazy().filter(pl.col("check_name") == "money_plausible").collect()
    docs = frames["documents"].lazy().select("document_id", "source_file")
    listing = flags.lazy().join(docs, on="document_id", how="left").head(10).collect()
    examples = "; ".join(
        f"{f}: {e} ({r})" for f, e, r in listing.select("source_file", "evidence", "reason").iter_rows()
    )
    return CheckOutcome(
        flags.height == 0,
        f"{flags.height} money figures above their region level's ceiling, flagged suspect (core.quality_flags)",
        {"implausible": flags.height, "examples": examples},
    )


def no_rejected_inputs(frames: Frames) -> CheckOutcome:
    """Warn when raw files were quarantined: the run goes on with the others, but someone should look."""
    rejected = frames["rejected_inputs"].lazy().collect()  # one row per quarantined file
    listing = "; ".join(f"{f}: {r}" for f, r in rejected.select("source_file", "reason").head(10).iter_rows())
    return CheckOutcome(rejected.height == 0, f"{rejected.height} raw files quarantined", {"files": listing})


def no_analysis_errors(frames: Frames) -> CheckOutcome:
    """Warn when the rules failed on reports: they are kept unplaced and without figures while the others
    publish, but the defect needs fixing."""
    failed = (
        frames["documents"].lazy().filter(pl.col("analysis_error").is_not_null())
        .select("source_file", "segment_no", "analysis_error").collect(engine="streaming")
    )  # fmt: skip
    listing = "; ".join(f"{f} #{n}: {e}" for f, n, e in failed.head(10).iter_rows())
    return CheckOutcome(failed.height == 0, f"{failed.height} reports failed analysis", {"reports": listing})


def coverage(frames: Frames) -> CheckOutcome:
    """Warn when too many counted reports of the corpus have no province or no figure at all (its documents
    with `n_facts`, the number of figures each has)."""
    limits = thresholds()["max_share"]
    docs = frames["documents"].lazy().filter(pl.col("duplicate_of").is_null()).select("province", "n_facts")
    n, no_province, no_figures = (
        docs.select(pl.len(), pl.col("province").is_null().sum(), pl.col("n_facts").fill_null(0).eq(0).sum())
        .collect()
        .row(0)
    )
    if n == 0:
        return CheckOutcome(False, "no counted documents", {"documents": 0})
    no_province, no_figures = no_province / n, no_figures / n
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
