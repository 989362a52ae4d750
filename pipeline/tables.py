"""The text pipeline's stages as functions over Polars tables.

Each function applies a stage (ingest, normalize, regions/periods, segment, extract) item by item
through the content-addressed memo, the items' work running on the engine (`pipeline.tasks`), and
returns the table the next stage reads. Dagster assets call these functions and do nothing else
with the data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import polars as pl

from pipeline import duplicates, engine, ingest, load, quality, tasks
from pipeline.engine import Progress
from pipeline.memo import ROW_GROUP_ROWS, MemoStats, memo_keys, memoized, pipeline_version, write_parquet_atomically

ID_SQL_DIR = load.SQL_DIR / "core"

# source_path: the relative path's bytes, by which a file whose name is not UTF-8 is read (source_file shows it).
RAW_SCHEMA = {
    "source_file": pl.String,
    "source_path": pl.Binary,
    "content_hash": pl.String,
    "size_bytes": pl.Int64,
    "read_error": pl.String,
}
# Items per task sent to the engine: large enough that a task's overhead (a few ms) is noise, small
# enough that the run's process holds little at a time and a progress bar moves.
FILES_PER_BATCH = 100
REPORTS_PER_BATCH = 200


def _stage_path(cache_dir: Path, name: str) -> Path:
    path = cache_dir / "stages" / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _drop_stage(name: str, cache_dir: Path | None) -> None:
    """Remove an intermediate stage file once the step that needed it is done."""
    if cache_dir is not None:
        _stage_path(cache_dir, name).unlink(missing_ok=True)


def _stage(
    frame: pl.LazyFrame, name: str, cache_dir: Path | None, row_group_size: int = ROW_GROUP_ROWS
) -> pl.LazyFrame:
    """`frame` computed once, where the next step reads it: streamed into a Parquet file of the cache
    (`stages/<name>.parquet`), so the run's process never holds the whole corpus; in memory without a
    cache (tests)."""
    if cache_dir is None:
        return frame.collect().lazy()
    path = _stage_path(cache_dir, name)
    write_parquet_atomically(frame, path, row_group_size=row_group_size)
    return pl.scan_parquet(path)


def _with_ids(query: str, view: str, frame: pl.LazyFrame, name: str, cache_dir: Path | None) -> pl.LazyFrame:
    """`frame` (named `view` in `query`) with the id column `query` adds, hashed by DuckDB: ids are
    recomputed for every row of the corpus on each run (a document's depends on which other files share
    its bytes), and 100,000 SHA-256 in Python took 0.4 s. From Parquet to Parquet with a cache, so DuckDB
    streams it."""
    con = load.connect()
    sql = (ID_SQL_DIR / query).read_text(encoding="utf-8")
    if cache_dir is None:
        con.register(view, frame.collect().to_arrow())
        return con.sql(sql).pl().lazy()
    source = _stage_path(cache_dir, f"{name}_without_ids")
    write_parquet_atomically(frame, source)
    con.read_parquet(str(source)).create_view(view)
    path = _stage_path(cache_dir, name)
    write_parquet_atomically(con.sql(sql), path)
    source.unlink()
    return pl.scan_parquet(path)


def read_raw_files(root: Path, cache_dir: Path | None = None) -> pl.DataFrame:
    """Every regular file under `root`, with its content hash (no bytes: the normalize stage reads them
    where it runs). Files unchanged since the last listing (same size, times and inode, remembered in
    `cache_dir`) whose content the memo holds are not read."""
    stat_path = cache_dir / "raw_files.parquet" if cache_dir else None
    known = {}
    if stat_path and stat_path.exists():
        known = {r[0]: (r[1], r[2]) for r in pl.read_parquet(stat_path).iter_rows()}
    now_ns = time.time_ns()
    memo_holds = memo_keys("normalize", cache_dir)
    files = ingest.list_raw_files(root, known, memo_holds)
    rows = [
        {
            "source_file": f.source_file,
            "source_path": f.path,
            "content_hash": f.content_hash,
            "size_bytes": f.size_bytes,
            "read_error": f.read_error,
        }
        for f in files
    ]
    if stat_path:
        listing = pl.DataFrame(
            [
                (f.source_file, f.stat_key, f.content_hash)
                for f in files
                if f.read_error is None and ingest.settled(f, now_ns)
            ],
            schema={"source_file": pl.String, "stat_key": pl.String, "content_hash": pl.String},
            orient="row",
        )
        if {r[0]: (r[1], r[2]) for r in listing.iter_rows()} != known:
            stat_path.parent.mkdir(parents=True, exist_ok=True)
            write_parquet_atomically(listing, stat_path)
    return pl.DataFrame(rows, schema=RAW_SCHEMA)


def _run_batches(
    stage: str,
    fn: Callable,
    todo: pl.DataFrame | pl.LazyFrame,
    n: int,
    size: int,
    *args: object,
    progress: Progress | None,
) -> Iterator[pl.DataFrame]:
    """`fn` over slices of the `n` rows of `todo` on the engine, each slice's result as it arrives."""
    starts = range(0, n, size)
    parts = [todo.slice(i, size) for i in starts]
    sizes = {id(part): min(size, n - i) for part, i in zip(parts, starts, strict=True)}
    advance = progress(stage, n) if progress else None
    on_done = (lambda part: advance(sizes[id(part)])) if advance else None
    yield from engine.map_batches(fn, parts, *args, n_items=n, on_done=on_done)


def normalize_files(
    raw: pl.DataFrame, cache_dir: Path | None, root: Path, progress: Progress | None = None
) -> tuple[pl.LazyFrame, pl.DataFrame, MemoStats]:
    """Decode and normalize each file: (one row per report, one row per rejected file, memo stats).

    Files whose content the memo lacks are read again from `root`, the folder `raw` was listed from;
    one that changed since it was listed stops the run (its new content was never hashed)."""
    unreadable = raw.filter(pl.col("read_error").is_not_null())
    raw = raw.filter(pl.col("read_error").is_null())

    def compute(keys: list[str]) -> Iterator[pl.DataFrame]:
        todo = raw.filter(pl.col("content_hash").is_in(keys)).unique("content_hash", keep="first", maintain_order=True)
        return _run_batches(
            "normalize", tasks.normalize_batch, todo, todo.height, FILES_PER_BATCH, str(root), progress=progress
        )

    memo, stats = memoized("normalize", raw["content_hash"], compute, cache_dir, schema=tasks.NORMALIZED_SCHEMA)
    # The memo on the streamed side of the join: the side Polars builds a table of is held whole (the files'
    # listing here, against every report's text).
    joined = memo.rename({"key": "content_hash"}).join(raw.lazy().drop("read_error"), on="content_hash")
    rejected = pl.concat(
        [
            joined.filter(pl.col("rejected_reason").is_not_null())
            .select("source_file", "content_hash", "size_bytes", pl.col("rejected_reason").alias("reason"))
            .collect(),
            unreadable.select("source_file", "content_hash", "size_bytes", pl.col("read_error").alias("reason")),
        ]
    ).sort("source_file")
    reports = (
        joined.filter(pl.col("rejected_reason").is_null())
        .select("source_file", "content_hash", "source_encoding", "reports")
        .explode("reports")
        .unnest("reports")
        .with_columns(n_chars=pl.col("text").str.len_chars().cast(pl.Int32))
    )
    reports = _with_ids("document_ids.sql", "reports", reports, "reports_with_ids", cache_dir)
    marked = reports.join(duplicates.find_duplicates(reports).lazy(), on="document_id", how="left")
    normalized = _stage(marked, "normalized_reports", cache_dir)
    _drop_stage("reports_with_ids", cache_dir)
    return normalized, rejected, stats


def _explode_per_document(reports: pl.LazyFrame, memo: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """One row per item of each document's list of results."""
    return (
        memo.join(reports.select("document_id", "report_key"), left_on="key", right_on="report_key")
        .drop("key")
        .explode(column)
        .drop_nulls(column)
        .unnest(column)
    )


def analyze_reports(
    reports: pl.LazyFrame, cache_dir: Path | None, progress: Progress | None = None
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, MemoStats]:
    """Every per-report stage in one pass over each distinct report content (title and text), remembered
    across runs: (reports placed in a region and a period and classified, domain-term counts per document,
    every indicator figure with a stable fact_id, memo stats)."""

    def compute(keys: list[str]) -> Iterator[pl.DataFrame]:
        todo = (
            reports.filter(pl.col("report_key").is_in(keys))
            .unique("report_key", keep="first", maintain_order=True)
            .select("report_key", "title", "text", "damaged_spans", "publisher", "published")
        )
        # Row groups of one task each: a worker's slice decodes only its own texts.
        todo = _stage(todo, "analyze_todo", cache_dir, row_group_size=REPORTS_PER_BATCH)
        yield from _run_batches("analyze", tasks.analyze_batch, todo, len(keys), REPORTS_PER_BATCH, progress=progress)
        _drop_stage("analyze_todo", cache_dir)

    keys = reports.select("report_key").collect()["report_key"]
    memo, stats = memoized("analyze", keys, compute, cache_dir, schema=tasks.ANALYZED_SCHEMA)
    resolved = reports.join(memo.drop("terms", "facts"), left_on="report_key", right_on="key", how="left")
    terms = _explode_per_document(reports, memo.select("key", "terms"), "terms").select("document_id", "term", "n")
    # Named by what the fact is and where it stands, not by its rank: a new figure earlier in a report
    # leaves the ids of the others alone.
    facts = _with_ids(
        "fact_ids.sql", "facts", _explode_per_document(reports, memo.select("key", "facts"), "facts"),
        "extracted_indicators", cache_dir,
    )  # fmt: skip
    return _stage(resolved, "resolved_reports", cache_dir), _stage(terms, "document_terms", cache_dir), facts, stats


_FACT_COMMON = (
    "fact_id", "document_id", "status", "approx", "is_component", "is_redacted", "is_suspect",
    "is_restatement", "is_cumulative", "evidence", "span_start", "span_end",
)  # fmt: skip


def core_frames(
    reports: pl.LazyFrame, rejected: pl.DataFrame, terms: pl.LazyFrame, facts: pl.LazyFrame
) -> dict[str, pl.LazyFrame]:
    """Split the stage tables into the `core` tables of the contract: lazy tables, which the checks and
    the load read in a streaming fashion."""
    documents = reports.rename({"rules": "normalize_rules"})
    by_indicator = {name: facts.filter(pl.col("indicator") == name) for name in quality.INDICATORS}
    frames = {
        "documents": documents,
        "rejected_inputs": rejected.lazy(),
        "fact_funding": by_indicator["funding"].select(
            *_FACT_COMMON,
            amount_cny="value",
            funding_kind=pl.col("detail").fill_null("other"),
            yoy_pct="yoy_pct",
            recipient_no=pl.when(pl.col("recipient") > 0).then("recipient"),
        ),
        "fact_high_tech_enterprises": by_indicator["high_tech"].select(
            *_FACT_COMMON,
            enterprise_count=pl.col("value").round().cast(pl.Int32),
            action="detail",
            enterprise_names=pl.when(pl.col("enterprise_names").list.len() > 0).then("enterprise_names"),
        ),
        "fact_patents": by_indicator["patent"].select(
            *_FACT_COMMON,
            measure="measure",
            patent_count=pl.col("value").round().cast(pl.Int32),
            is_invention=pl.col("detail").eq_missing("invention"),
            yoy_pct="yoy_pct",
        ),
        "fact_training": by_indicator["training"].select(
            *_FACT_COMMON, measure="measure", value=pl.col("value").round().cast(pl.Int32)
        ),
        "document_terms": terms,
    }
    frames = quality.flag_suspect_figures(frames)
    n_files = reports.select(pl.col("source_file").n_unique()).collect().item() + rejected.height
    frames["load_state"] = pl.LazyFrame(
        {
            "fingerprint": [fingerprint(frames)],
            "n_source_files": [n_files],
            "pipeline_version": [pipeline_version()],
            "sql_version": [load.sql_version()],
        }
    )
    return frames


def fingerprint(frames: Mapping[str, pl.LazyFrame]) -> str:
    """A digest of the core rows: equal fingerprints mean a load would change no row. Per table, the
    row count and the sum of the rows' hashes (a multiset digest, independent of row order), computed
    streaming over the stage files."""
    digest = hashlib.sha256(f"{pipeline_version()}:{load.sql_version()}".encode())
    for name in sorted(frames):
        n, total = (
            frames[name]
            .select(pl.len(), pl.struct(pl.all()).hash(seed=0).cast(pl.Int128).sum())
            .collect(engine="streaming")
            .row(0)
        )
        digest.update(f"{name}:{n}:{total}".encode())
    return digest.hexdigest()[:32]
