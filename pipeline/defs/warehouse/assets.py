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
    "load_changes": (
        "Bookkeeping, not the contract: where the reports the last patch removed or wrote are placed, before and "
        "after; the incremental marts rebuild those regions and years."
    ),
}
FACTS_KEY = dg.AssetKey(["core", "indicator_observations"])

# name: (check, asset it guards, blocking). A blocking check that fails stops the run before publishing: only
# integrity checks block. Plausibility flags its figures suspect (core.quality_flags) and the run publishes.
# The first four read the rows this load writes (a patch writes only the reports that changed; the others
# passed them when they were written); the last three read the whole corpus's small columns.
CHECKS = {
    "facts_have_documents": (quality.facts_have_documents, FACTS_KEY, True),
    "evidence_matches_spans": (quality.evidence_matches_spans, FACTS_KEY, True),
    "no_duplicate_facts": (quality.no_duplicate_facts, FACTS_KEY, True),
    "money_plausible": (quality.money_plausible, dg.AssetKey(["core", "fact_funding"]), False),
    "coverage": (quality.coverage, dg.AssetKey(["core", "documents"]), False),
    "no_rejected_inputs": (quality.no_rejected_inputs, dg.AssetKey(["core", "rejected_inputs"]), False),
    "no_analysis_errors": (quality.no_analysis_errors, dg.AssetKey(["core", "documents"]), False),
}
CORPUS_CHECKS = frozenset({"coverage", "no_rejected_inputs", "no_analysis_errors"})


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
    """Write the core tables into the build file: a copy of the published warehouse in which only the
    reports that changed are rewritten, or a fresh file. When the published warehouse already holds exactly
    these rows nothing is written and the steps downstream are skipped. Neither `segmented_reports` nor
    `extracted_indicators` is read whole: the load takes the terms and figures of the reports it writes
    from the memo (`tables.core_frames`)."""
    del segmented_reports, extracted_indicators  # dependencies only: their rows are read from the memo
    state = tables.load_state(resolved_reports, rejected_files).collect()
    fingerprint = state["fingerprint"][0]
    if fingerprint == warehouse.published_fingerprint():
        context.log.info(f"{warehouse.published} already holds these rows ({fingerprint}): nothing to load")
        for name, (_check, asset, blocking) in CHECKS.items():
            yield dg.AssetCheckResult(
                check_name=name, asset_key=asset, passed=True, description="nothing to load",
                severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            )  # fmt: skip
        return
    changes = warehouse.changes(resolved_reports, state)
    inserted = None if changes is None else changes.inserted
    frames = tables.core_frames(resolved_reports, rejected_files, state, warehouse.cache_dir, inserted)
    corpus = {"documents": resolved_reports, "rejected_inputs": rejected_files.lazy()}
    for name, (check, asset, blocking) in CHECKS.items():
        outcome = check(corpus if name in CORPUS_CHECKS else frames)
        yield dg.AssetCheckResult(
            check_name=name,
            asset_key=asset,
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            description=outcome.description,
            metadata=outcome.metadata,
        )
    counts = warehouse.write_build(frames, changes)
    how = (
        "fresh build"
        if changes is None
        else f"published warehouse patched: {len(changes.deleted)} reports out, {len(changes.inserted)} in"
    )
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
