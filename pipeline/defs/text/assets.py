"""The text pipeline as Dagster assets: raw files → normalized → analyzed (resolved, segmented, extracted).

Each asset calls one function of pipeline/tables.py and describes its result; nothing else. The per-item
work inside them (pipeline/tasks.py) runs on the engine of pipeline/engine.py (Dask workers).
Tables between assets are lazy Polars frames over Parquet files of the warehouse's cache (`stages/`): the
I/O manager keeps or pickles only the query, never the corpus.
"""

from pathlib import Path

import dagster as dg
import polars as pl

from pipeline import tables
from pipeline.defs.metadata import preview, stage_metadata
from pipeline.defs.progress import progress_bars
from pipeline.defs.text.resources import RawFilesResource
from pipeline.defs.warehouse.resources import WarehouseResource

GROUP = "text"


@dg.asset(group_name=GROUP, kinds={"python", "polars"})
def raw_files(raw_store: RawFilesResource, warehouse: WarehouseResource) -> dg.Output[pl.DataFrame]:
    """Every regular file under STI_RAW_DIR with its SHA-256 (the unit of incremental work); no bytes,
    which the normalize stage reads where it runs."""
    frame = raw_store.read(warehouse.cache_dir)
    return dg.Output(
        frame,
        metadata={
            "dagster/row_count": frame.height,
            "root": raw_store.root,
            "total_bytes": int(frame["size_bytes"].sum()),
            "preview": preview(frame, ["source_file", "size_bytes", "content_hash"]),
        },
    )


@dg.multi_asset(
    group_name=GROUP,
    outs={
        "normalized_reports": dg.AssetOut(
            kinds={"python", "polars"},
            description=(
                "Decoded, simplified and cleaned reports, one row per report (a compilation file gives "
                "several), with the normalization rules that fired and the copy they duplicate."
            ),
        ),
        "rejected_files": dg.AssetOut(
            kinds={"python", "polars"},
            description="Raw files that could not be read (empty, binary, undecodable), with the reason.",
        ),
    },
)
def normalized_reports(
    context: dg.AssetExecutionContext,
    raw_files: pl.DataFrame,
    raw_store: RawFilesResource,
    warehouse: WarehouseResource,
):
    timings: dict[str, float] = {}
    reports, rejected, stats = tables.normalize_files(
        raw_files, warehouse.cache_dir, Path(raw_store.root), progress_bars(context, timings)
    )
    for row in rejected.iter_rows(named=True):
        context.log.warning(f"quarantined {row['source_file']}: {row['reason']}")
    counts = reports.select(
        rows=pl.len(),
        files=pl.col("source_file").n_unique(),
        duplicates=pl.col("duplicate_of").count(),
        converted_from_traditional=pl.col("was_traditional").sum(),
    ).collect()
    yield dg.Output(
        reports,
        output_name="normalized_reports",
        metadata={
            "dagster/row_count": counts["rows"][0],
            "files": counts["files"][0],
            "duplicates": counts["duplicates"][0],
            "converted_from_traditional": counts["converted_from_traditional"][0],
            "rules_fired": preview(
                reports.select("rules")
                .explode("rules")
                .drop_nulls("rules")
                .with_columns(rule=pl.col("rules").str.replace(r":\d+$", ""))
                .group_by("rule")
                .agg(reports=pl.len())
                .sort("reports", descending=True),
                ["rule", "reports"],
                rows=20,
            ),
            **stage_metadata(stats, timings),
            "preview": preview(reports, ["source_file", "segment_no", "title", "source_encoding", "n_chars", "rules"]),
        },
    )
    yield dg.Output(
        rejected,
        output_name="rejected_files",
        metadata={
            "dagster/row_count": rejected.height,
            "preview": preview(rejected, ["source_file", "size_bytes", "reason"]),
        },
    )


@dg.multi_asset(
    group_name=GROUP,
    outs={
        "resolved_reports": dg.AssetOut(
            kinds={"python", "polars"},
            description=(
                "Each report placed in a region (province, city, county, code), a year and a period, and "
                "classified as a bureau report or other text."
            ),
        ),
        "segmented_reports": dg.AssetOut(
            kinds={"python", "polars"},
            description="Domain-term counts per report from jieba with the bureau's user dictionary.",
        ),
        "extracted_indicators": dg.AssetOut(
            kinds={"python", "polars"},
            description=(
                "Every figure of the four indicators, qualified (status, approximation, component, redaction) "
                "and tied to the clause it came from."
            ),
        ),
    },
)
def analyzed_reports(context: dg.AssetExecutionContext, normalized_reports: pl.LazyFrame, warehouse: WarehouseResource):
    """One pass over every report for the per-report stages (regions, periods, genre, segment, extract):
    each report goes to a worker once, on the engine of pipeline/engine.py."""
    timings: dict[str, float] = {}
    frame, terms, facts, stats = tables.analyze_reports(
        normalized_reports, warehouse.cache_dir, progress_bars(context, timings)
    )
    common = stage_metadata(stats, timings)
    placed = frame.select(pl.len(), pl.col("province", "city", "year", "period").count()).collect().row(0, named=True)
    yield dg.Output(
        frame,
        output_name="resolved_reports",
        metadata={
            "dagster/row_count": placed["len"],
            "with_province": placed["province"],
            "with_city": placed["city"],
            "with_year": placed["year"],
            "with_period": placed["period"],
            **common,
            "preview": preview(frame, ["source_file", "segment_no", "province", "city", "county", "year", "period"]),
        },
    )
    # Terms and figures stay lists per report content in the memo, which the load reads for the reports it
    # writes: their rows are counted on the core tables (core/document_terms, core/indicator_observations).
    yield dg.Output(terms, output_name="segmented_reports", metadata=common)
    yield dg.Output(facts, output_name="extracted_indicators", metadata=common)
