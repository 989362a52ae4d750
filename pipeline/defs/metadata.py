"""Asset metadata shown in the Dagster UI: row counts, memo reuse and a preview of the rows."""

import dagster as dg
import polars as pl

from pipeline.engine import EngineConfig
from pipeline.memo import MemoStats


def preview(frame: pl.DataFrame | pl.LazyFrame, columns: list[str], rows: int = 8) -> dg.MetadataValue:
    """The first rows as a Markdown table, long strings shortened (of a lazy table, only those are read)."""
    with pl.Config(
        tbl_formatting="MARKDOWN",
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        fmt_str_lengths=40,
        tbl_rows=rows,
        tbl_cols=-1,
    ):
        return dg.MetadataValue.md(str(frame.lazy().select(columns).head(rows).collect()))


def memo_metadata(stats: MemoStats) -> dict[str, int]:
    """How much of the stage was reused from earlier runs: a new file alone should be computed."""
    return {"items_reused": stats.reused, "items_computed": stats.computed, "items_dropped": stats.dropped}


def stage_metadata(stats: MemoStats, timings: dict[str, float]) -> dict:
    """Memo reuse, the stage's seconds and where it ran: the counts and timings `make run` prints."""
    return {**memo_metadata(stats), **timings, "engine": EngineConfig.from_env().describe()}
