"""The text pipeline's stages as functions over Polars tables.

Each function applies a stage (ingest, normalize, regions/periods, segment, extract) item by item
through the content-addressed memo, the items' work running on the engine (`pipeline.tasks`), and
returns the table the next stage reads. Dagster assets call these functions and do nothing else
with the data.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

import polars as pl

from pipeline import duplicates, engine, ingest, load, quality, tasks
from pipeline.engine import Progress
from pipeline.memo import (
    ROW_GROUP_ROWS,
    MemoStats,
    memo_batches,
    memo_keys,
    memoized,
    pipeline_version,
    write_parquet_atomically,
)

ID_SQL_DIR = load.SQL_DIR / "core"

# source_path: the relative path's bytes, by which a file whose name is not UTF-8 is read (source_file shows it).
RAW_SCHEMA = {
    "source_file": pl.String,
    "source_path": pl.Binary,
    "content_hash": pl.String,
    "size_bytes": pl.Int64,
    "read_error": pl.String,
}
# The raw files' stat keys as the last listing saw them (cache_dir/raw_files.parquet), in reading order.
LISTING_SCHEMA = {"source_file": pl.String, "stat_key": pl.String, "content_hash": pl.String}
# Items per task sent to the engine: large enough that a task's overhead (a few ms) is noise, small
# enough that the run's process holds little at a time and a progress bar moves.
FILES_PER_BATCH = 100
REPORTS_PER_BATCH = 200


def _stage_path(cache_dir: Path, name: str) -> Path:
    path = cache_dir / "stages" / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _stage_folder(cache_dir: Path, name: str) -> Path:
    """A stage written in parts (`_in_batches`): `stages/<name>/`."""
    return cache_dir / "stages" / name


def _drop_stage(name: str, cache_dir: Path) -> None:
    """Remove an intermediate stage, a file or a folder of parts, once the step that needed it is done."""
    _stage_path(cache_dir, name).unlink(missing_ok=True)
    shutil.rmtree(_stage_folder(cache_dir, name), ignore_errors=True)


def _stage(frame: pl.LazyFrame, name: str, cache_dir: Path, row_group_size: int = ROW_GROUP_ROWS) -> pl.LazyFrame:
    """`frame` computed once, where the next step reads it: streamed into a Parquet file of the cache
    (`stages/<name>.parquet`), so the run's process never holds a stage's rows whole."""
    path = _stage_path(cache_dir, name)
    write_parquet_atomically(frame, path, row_group_size=row_group_size)
    return pl.scan_parquet(path)


def read_raw_files(root: Path, cache_dir: Path | None = None) -> pl.DataFrame:
    """Every regular file under `root`, with its content hash (no bytes: the normalize stage reads them
    where it runs). Files unchanged since the last listing (same size, times and inode, remembered in
    `cache_dir`) whose content the memo holds are not read."""
    stat_path = cache_dir / "raw_files.parquet" if cache_dir else None
    previous = pl.read_parquet(stat_path) if stat_path and stat_path.exists() else None
    known = {}
    if previous is not None:
        keys = zip(previous["stat_key"], previous["content_hash"], strict=True)
        known = dict(zip(previous["source_file"], keys, strict=True))
    now_ns = time.time_ns()
    files = ingest.list_raw_files(root, known, memo_keys("normalize", cache_dir))
    if stat_path:
        remembered = [f for f in files if f.read_error is None and ingest.settled(f, now_ns)]
        listing = pl.DataFrame(
            {
                "source_file": [f.source_file for f in remembered],
                "stat_key": [f.stat_key for f in remembered],
                "content_hash": [f.content_hash for f in remembered],
            },
            schema=LISTING_SCHEMA,
        )
        if previous is None or not listing.equals(previous):
            stat_path.parent.mkdir(parents=True, exist_ok=True)
            write_parquet_atomically(listing, stat_path)
    return pl.DataFrame(
        {
            "source_file": [f.source_file for f in files],
            "source_path": [f.path for f in files],
            "content_hash": [f.content_hash for f in files],
            "size_bytes": [f.size_bytes for f in files],
            "read_error": [f.read_error for f in files],
        },
        schema=RAW_SCHEMA,
    )


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
    raw: pl.DataFrame, cache_dir: Path, root: Path, progress: Progress | None = None
) -> tuple[pl.LazyFrame, pl.DataFrame, MemoStats]:
    """Decode and normalize each file: (one row per report, one row per rejected file, memo stats).

    The reports' table holds everything but their texts, which stay in the memo (`report_texts`): a run
    reads the texts of the reports it analyses or loads, not the corpus's. Files whose content the memo
    lacks are read again from `root`, the folder `raw` was listed from; one that changed since it was
    listed stops the run (its new content was never hashed)."""
    unreadable = raw.filter(pl.col("read_error").is_not_null())
    raw = raw.filter(pl.col("read_error").is_null())

    def compute(keys: list[str]) -> Iterator[pl.DataFrame]:
        todo = raw.filter(pl.col("content_hash").is_in(keys)).unique("content_hash", keep="first", maintain_order=True)
        return _run_batches(
            "normalize", tasks.normalize_batch, todo, todo.height, FILES_PER_BATCH, str(root), progress=progress
        )

    memo, stats = memoized("normalize", raw["content_hash"], compute, cache_dir, schema=tasks.NORMALIZED_SCHEMA)
    joined = (
        memo.select("key", "source_encoding", "rejected_reason", "reports")
        .rename({"key": "content_hash"})
        .join(raw.lazy().drop("read_error"), on="content_hash")
        .collect(engine="streaming")
    )
    rejected = pl.concat(
        [
            joined.filter(pl.col("rejected_reason").is_not_null()).select(
                "source_file", "content_hash", "size_bytes", pl.col("rejected_reason").alias("reason")
            ),
            unreadable.select("source_file", "content_hash", "size_bytes", pl.col("read_error").alias("reason")),
        ]
    ).sort("source_file")
    reports = (
        joined.filter(pl.col("rejected_reason").is_null())
        .select("source_file", "content_hash", "source_encoding", "reports")
        .explode("reports")
        .unnest("reports")
    )
    reports = reports.join(_document_ids(reports), on=["source_file", "segment_no"])
    marked = reports.join(duplicates.find_duplicates(reports.select(*DUPLICATE_KEYS)), on="document_id", how="left")
    normalized = _stage(marked.drop("sentences").lazy(), "normalized_reports", cache_dir)
    return normalized, rejected, stats


DUPLICATE_KEYS = ("source_file", "segment_no", "document_id", "text_hash", "sentences")


def _document_ids(reports: pl.DataFrame) -> pl.DataFrame:
    """(source_file, segment_no, document_id) of every report, hashed by DuckDB (sql/core/document_ids.sql):
    a document's id depends on which other files share its bytes, so ids are computed for the corpus on each
    run, from these three small columns (100,000 SHA-256 in Python took 0.4 s)."""
    con = load.connect()
    con.register("reports", reports.select("source_file", "segment_no", "content_hash").to_arrow())
    sql = (ID_SQL_DIR / "document_ids.sql").read_text(encoding="utf-8")
    return con.sql(f"select source_file, segment_no, document_id from ({sql})").pl()


def with_texts(documents: pl.LazyFrame | pl.DataFrame, cache_dir: Path, name: str = "texts") -> pl.LazyFrame:
    """`documents` (rows of the normalized or resolved reports' table) with their texts, read from the
    normalize memo: only the files holding them, sliced to their rows (`memo.memo_batches`). Each text is
    taken from one holder of its report_key, chosen on the small index, and joined to the documents a batch
    of memo rows at a time into Parquet parts (`stages/<name>/`), which the result reads: a fresh build's
    400 MB of texts are never held at once (deduplicating the texts themselves held 920 MB at 100,000
    reports; one streaming join of them all, 780 MB)."""
    documents = documents.lazy().collect()
    holders = documents.select("report_key", "content_hash", "segment_no").unique("report_key", keep="first")
    columns = ("key", "reports", "texts")
    batches = memo_batches(
        "normalize", cache_dir, holders["content_hash"].unique(), schema=tasks.NORMALIZED_SCHEMA, rows=ROW_GROUP_ROWS
    )

    def joined(batch: pl.LazyFrame) -> pl.LazyFrame:
        return (
            batch.select(
                pl.col("key").alias("content_hash"),
                pl.col("reports").list.eval(pl.element().struct.field("segment_no")).alias("segment_no"),
                pl.col("texts").alias("text"),
            )
            .explode("segment_no", "text")
            .join(holders.lazy(), on=["content_hash", "segment_no"])
            .select("report_key", "text")
            .join(documents.lazy(), on="report_key")
        )

    empty = pl.LazyFrame(schema=tasks.NORMALIZED_SCHEMA).select(columns)
    folder = _stage_folder(cache_dir, name)
    return _in_batches((batch.select(columns) for batch in batches), empty, {folder: joined})[folder]


def _in_batches(
    batches: Iterable[pl.LazyFrame], empty: pl.LazyFrame, steps: Mapping[Path, Callable[[pl.LazyFrame], pl.LazyFrame]]
) -> dict[Path, pl.LazyFrame]:
    """Each of `batches` (memo rows, `memo.memo_batches`) read once and given to every step, each step's
    result a Parquet part of its folder (`steps` maps a folder, emptied first, to its step); the folders
    read back lazily. `empty`, the batches' columns without rows, gives the results' columns when there
    are no batches. Polars' streaming engine holds every row's lists when it explodes or joins memo rows:
    800 MB more for 100,000 reports' figures."""
    for folder, step in steps.items():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        step(empty).collect().write_parquet(folder / "part-00000.parquet")
    for i, batch in enumerate(batches, start=1):
        rows = batch.collect().lazy()
        for folder, step in steps.items():
            step(rows).collect().write_parquet(folder / f"part-{i:05}.parquet", compression="zstd")
    return {folder: pl.scan_parquet(folder / "*.parquet") for folder in steps}


def per_document(documents: pl.LazyFrame, memo: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """One row per item of each document's list of results (`column` of the analyze memo's rows `memo`),
    with the document's id."""
    return (
        memo.join(documents.select("document_id", "report_key"), left_on="key", right_on="report_key")
        .drop("key")
        .explode(column)
        .drop_nulls(column)
        .unnest(column)
    )


ANALYSIS_COLUMNS = ("report_key", "title", "damaged_spans", "publisher", "published", "content_hash", "segment_no")


def analyze_reports(
    reports: pl.LazyFrame, cache_dir: Path, progress: Progress | None = None
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame, MemoStats]:
    """Every per-report stage in one pass over each distinct report content (title and text), remembered
    across runs: (reports placed in a region and a period and classified, the memo's domain-term counts and
    its figures per report content (`key`, lists of each), memo stats). Terms and figures become rows with
    their document's ids in the load (`core_frames`), for the reports it writes."""

    def compute(keys: list[str]) -> Iterator[pl.DataFrame]:
        index = reports.filter(pl.col("report_key").is_in(keys)).select(*ANALYSIS_COLUMNS)
        index = index.unique("report_key", keep="first", maintain_order=True).collect()
        # Row groups of one task each: a worker's slice decodes only its own texts.
        todo = with_texts(index, cache_dir, "analyze_texts").drop("content_hash", "segment_no")
        todo = _stage(todo, "analyze_todo", cache_dir, row_group_size=REPORTS_PER_BATCH)
        _drop_stage("analyze_texts", cache_dir)
        yield from _run_batches("analyze", tasks.analyze_batch, todo, len(keys), REPORTS_PER_BATCH, progress=progress)
        _drop_stage("analyze_todo", cache_dir)

    keys = reports.select("report_key").collect()["report_key"]
    memo, stats = memoized("analyze", keys, compute, cache_dir, schema=tasks.ANALYZED_SCHEMA)
    resolved = reports.join(memo.drop("terms", "facts"), left_on="report_key", right_on="key", how="left")
    terms, facts = memo.select("key", "terms"), memo.select("key", "facts")
    return _stage(resolved, "resolved_reports", cache_dir), terms, facts, stats


_FACT_COMMON = (
    "fact_id", "document_id", "status", "approx", "is_component", "is_redacted", "is_suspect",
    "is_restatement", "is_cumulative", "evidence", "span_start", "span_end",
)  # fmt: skip


def _document_items(documents: pl.DataFrame, cache_dir: Path) -> tuple[Path, Path]:
    """Every figure and every term count of `documents` (document_id, report_key) from the analyze memo,
    one row each with its document_id: the folders of Parquet parts that hold them
    (`stages/document_facts/`, `stages/document_terms/`). The memo's rows are read once for both."""
    batches = memo_batches(
        "analyze", cache_dir, documents["report_key"].unique(), schema=tasks.ANALYZED_SCHEMA, rows=ROW_GROUP_ROWS
    )
    empty = pl.LazyFrame(schema=tasks.ANALYZED_SCHEMA).select("key", "facts", "terms")
    facts, terms = _stage_folder(cache_dir, "document_facts"), _stage_folder(cache_dir, "document_terms")
    steps = {
        facts: partial(per_document, documents.lazy(), column="facts"),
        terms: partial(per_document, documents.lazy(), column="terms"),
    }
    _in_batches((batch.select("key", "facts", "terms") for batch in batches), empty, steps)
    return facts, terms


def _fact_ids(folder: Path, cache_dir: Path) -> pl.LazyFrame:
    """The figures in `folder` (Parquet parts) with their fact_id, hashed by DuckDB (sql/core/fact_ids.sql),
    from Parquet to Parquet so that a fresh build of the corpus's figures streams."""
    con = load.connect()
    con.read_parquet(str(folder / "*.parquet")).create_view("facts")
    path = _stage_path(cache_dir, "facts")
    write_parquet_atomically(con.sql((ID_SQL_DIR / "fact_ids.sql").read_text(encoding="utf-8")), path)
    return pl.scan_parquet(path)


def core_frames(
    resolved: pl.LazyFrame,
    rejected: pl.DataFrame,
    state: pl.DataFrame,
    cache_dir: Path,
    document_ids: Collection[str] | None = None,
) -> dict[str, pl.LazyFrame]:
    """The rows of the `core` tables of the contract for the documents `document_ids` (every document of
    `resolved` when None), as lazy tables which the checks and the load read in a streaming fashion: their
    texts, terms and figures are read from the memos for these documents only. Also the whole quarantine
    and the load's state (`state`, from `load_state`, which the caller has already computed to decide
    whether to load at all)."""
    documents = resolved if document_ids is None else resolved.filter(pl.col("document_id").is_in(list(document_ids)))
    ids = documents.select("document_id", "report_key").collect()
    facts_folder, terms_folder = _document_items(ids, cache_dir)
    facts = _fact_ids(facts_folder, cache_dir)
    _drop_stage("document_facts", cache_dir)
    terms = pl.scan_parquet(terms_folder / "*.parquet")
    by_indicator = {name: facts.filter(pl.col("indicator") == name) for name in quality.INDICATORS}
    frames = {
        "documents": with_texts(documents, cache_dir, "documents").rename({"rules": "normalize_rules"}),
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
        "document_terms": terms.select("document_id", "term", "n"),
    }
    frames = quality.flag_suspect_figures(frames)
    frames["load_state"] = state.lazy()
    return frames


# What a document's rows are a function of, besides the pipeline's version: a document whose values of these
# differ from the published warehouse's is rewritten by the load, every other one is left as it is.
DOCUMENT_KEYS = ("document_id", "source_file", "content_hash", "segment_no", "duplicate_of")


def load_state(resolved: pl.LazyFrame, rejected: pl.DataFrame) -> pl.LazyFrame:
    """The one row of `core.load_state`: what the warehouse is built from. Its fingerprint digests the
    documents' keys (`DOCUMENT_KEYS`), the quarantine and the versions: equal fingerprints mean a load would
    change no row. Computed from these small columns alone (a multiset digest, independent of row order)."""
    digest = hashlib.sha256(f"{pipeline_version()}:{load.sql_version()}".encode())
    for name, frame in (("documents", resolved.select(*DOCUMENT_KEYS)), ("rejected_inputs", rejected.lazy())):
        n, total = frame.select(pl.len(), pl.struct(pl.all()).hash(seed=0).cast(pl.Int128).sum()).collect().row(0)
        digest.update(f"{name}:{n}:{total}".encode())
    n_files = resolved.select(pl.col("source_file").n_unique()).collect().item() + rejected.height
    return pl.LazyFrame(
        {
            "fingerprint": [digest.hexdigest()[:32]],
            "n_source_files": [n_files],
            "pipeline_version": [pipeline_version()],
            "sql_version": [load.sql_version()],
        }
    )
