"""Loading the core tables into the build file, and publishing the warehouse once dbt is done."""

import dagster as dg
import polars as pl

from pipeline import quality, tables
from pipeline.defs.marts import assets as marts_assets
from pipeline.defs.metadata import preview
from pipeline.defs.settings import DUCKDB_WRITE_POOL
from pipeline.defs.warehouse.resources import WarehouseResource

GROUP = "warehouse"

CORE_DESCRIPTIONS = {
    "documents": "One row per report: source file, title, encoding, region, year, period, duplicate_of.",
    "rejected_inputs": "Quarantine: raw files that could not be read, with the reason.",
    "fact_funding": "Money figures in yuan with their funding kind.",
    "fact_high_tech_enterprises": "High-tech enterprise counts with their action and names.",
    "fact_patents": "Patent applications and grants.",
    "fact_training": "Training sessions and participants.",
    "document_terms": "Domain-term counts per report.",
    "quality_flags": "Every suspect figure and why: flagged at extraction, or money above its region level's ceiling.",
    "indicator_observations": "The four facts in one long view, counted reports only (the scorer reads it).",
}
FACTS_KEY = dg.AssetKey(["core", "indicator_observations"])

# name: (check, asset it guards, blocking). A blocking check that fails stops the run before publishing: only
# integrity checks block. Plausibility flags its figures suspect (core.quality_flags) and the run publishes.
CHECKS = {
    "facts_have_documents": (quality.facts_have_documents, FACTS_KEY, True),
    "evidence_matches_spans": (quality.evidence_matches_spans, FACTS_KEY, True),
    "no_duplicate_facts": (quality.no_duplicate_facts, FACTS_KEY, True),
    "money_plausible": (quality.money_plausible, dg.AssetKey(["core", "fact_funding"]), False),
    "coverage": (quality.coverage, dg.AssetKey(["core", "documents"]), False),
    "no_rejected_inputs": (quality.no_rejected_inputs, dg.AssetKey(["core", "rejected_inputs"]), False),
    "no_analysis_errors": (quality.no_analysis_errors, dg.AssetKey(["core", "documents"]), False),
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", name],
            description=description,
            group_name=GROUP,
            kinds={"duckdb"},
            skippable=True,
            deps=["resolved_reports", "rejected_files", "segmented_reports", "extracted_indicators"],
        )
        for name, description in CORE_DESCRIPTIONS.items()
    ],
    check_specs=[
        dg.AssetCheckSpec(name, asset=asset, blocking=blocking, description=check.__doc__)
        for name, (check, asset, blocking) in CHECKS.items()
    ],
    pool=DUCKDB_WRITE_POOL,
)
def core_tables(
    context: dg.AssetExecutionContext,
    resolved_reports: pl.LazyFrame,
    rejected_files: pl.DataFrame,
    segmented_reports: pl.LazyFrame,
    extracted_indicators: pl.LazyFrame,
    warehouse: WarehouseResource,
):
    """Write the core tables into a fresh build file, unless the published warehouse already
    holds exactly these rows: then nothing is written and the steps downstream are skipped."""
    frames = tables.core_frames(resolved_reports, rejected_files, segmented_reports, extracted_indicators)
    for name, (check, asset, blocking) in CHECKS.items():
        outcome = check(frames)
        yield dg.AssetCheckResult(
            check_name=name,
            asset_key=asset,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            description=outcome.description,
            metadata=outcome.metadata,
        )
    fingerprint = frames["load_state"].collect()["fingerprint"][0]
    if fingerprint == warehouse.published_fingerprint():
        context.log.info(f"{warehouse.published} already holds these rows ({fingerprint}): nothing to load")
        return
    counts, rewritten = warehouse.write_build(frames)
    # A patched copy of the published warehouse says how many reports it rewrote; a fresh build, none.
    how = "fresh build" if rewritten is None else f"published warehouse patched: {rewritten} reports rewritten"
    context.log.info(f"{warehouse.build}: {how}")
    for name in CORE_DESCRIPTIONS:
        metadata: dict = {"build_file": str(warehouse.build), "fingerprint": fingerprint, "load": how}
        if name in counts:
            metadata["dagster/row_count"] = counts[name]
        if name == "rejected_inputs":
            metadata["preview"] = preview(frames[name], ["source_file", "reason"])
        if name == "quality_flags":
            metadata["preview"] = preview(frames[name], ["check_name", "reason", "evidence"])
        if name == "indicator_observations":
            metadata["dagster/row_count"] = sum(counts[t] for t in quality.FACT_TABLES)
        yield dg.MaterializeResult(asset_key=["core", name], metadata=metadata)


@dg.asset(group_name=GROUP, kinds={"duckdb"}, deps=list(marts_assets.sti_dbt_models.keys), pool=DUCKDB_WRITE_POOL)
def published_warehouse(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The build file, with its core tables and every dbt model built and tested, swapped atomically
    over the published warehouse that dashboards read."""
    warehouse.publish()
    return dg.MaterializeResult(
        metadata={"path": str(warehouse.published), "fingerprint": warehouse.published_fingerprint() or ""}
    )
