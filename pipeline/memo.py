"""Content-addressed memo of per-item stage results, so work per run grows with what changed.

Every stage of the text pipeline is a pure function of one item's content (a raw file's bytes,
a report's text) and of the pipeline's own code and data files. Its results are kept in one
folder of Parquet files per stage (one per batch of results), keyed by the content hash and named
after the pipeline version, so: a new or changed file is the only one computed; a deleted file's
results simply stop being selected; any change to the code or the rules gives a new version and
recomputes everything.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:  # the type only: the memo itself never opens DuckDB
    import duckdb

PACKAGE_DIR = Path(__file__).resolve().parent


# The modules whose code decides the stages' results (the tasks and every module they import), and the
# libraries whose behaviour does. Not tables.py, which only routes items to the tasks and their rows to the
# load: a change to how a run is carried out keeps the results it remembered.
STAGE_MODULES = (
    "ingest", "listing", "normalize", "normalize_layout", "duplicates", "gazetteer", "regions", "periods", "doc_kind",
    "segment", "numbers", "figures", "extract", "extract_text", "extract_money", "extract_counts", "extract_parts",
    "tasks",
)  # fmt: skip
STAGE_LIBRARIES = ("jieba", "opencc-python-reimplemented", "cn2an", "polars")


@cache
def pipeline_version() -> str:
    """Hash of the stage modules, their data files and library versions: other results are not reused."""
    digest = hashlib.sha256()
    files = [PACKAGE_DIR / f"{name}.py" for name in STAGE_MODULES] + sorted((PACKAGE_DIR / "data").rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    for library in STAGE_LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class MemoStats:
    reused: int
    computed: int
    dropped: int


# A memo is compacted into one file when a run leaves more parts than this (each run adds at least one)
# or when more of its rows belong to removed items than to wanted ones.
MAX_PARTS = 200


def memo_dir(stage: str, cache_dir: Path) -> Path:
    return cache_dir / f"{stage}-{pipeline_version()}"


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


# Rows per Parquet row group of the pipeline's files: readers (a worker's slice of the texts, a streaming
# count, DuckDB's load) decode one group at a time, so a group of 2,000 reports (about 10 MB of text) bounds
# their memory where one group of a whole corpus's texts did not (the fingerprint of 20,000 reports' core
# rows peaked 180 MB lower).
ROW_GROUP_ROWS = 2_000


def write_parquet_atomically(
    frame: pl.DataFrame | pl.LazyFrame | duckdb.DuckDBPyRelation, path: Path, *, row_group_size: int = ROW_GROUP_ROWS
) -> None:
    """`frame` into `path`, which readers see whole or not at all; a lazy frame or a DuckDB relation is
    streamed (never whole in memory)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes never share a temporary file
    if isinstance(frame, pl.LazyFrame):
        frame.sink_parquet(tmp, compression="zstd", row_group_size=row_group_size)
    else:
        frame.write_parquet(str(tmp), compression="zstd", row_group_size=row_group_size)
    os.replace(tmp, path)


def _keys(parts: list[Path], key: str) -> frozenset[str]:
    """The items these memo files hold (only the key column is read)."""
    return frozenset(pl.scan_parquet(parts).select(key).collect()[key].to_list()) if parts else frozenset()


def memo_keys(stage: str, cache_dir: Path | None, key: str = "key") -> frozenset[str]:
    """The items the stage's memo holds for this pipeline version."""
    return _keys(_parts(memo_dir(stage, cache_dir)), key) if cache_dir else frozenset()


def memoized(
    stage: str,
    keys: Iterable[str],
    compute: Callable[[list[str]], Iterable[pl.DataFrame]],
    cache_dir: Path | None,
    *,
    schema: Mapping[str, pl.DataType],
    key: str = "key",
) -> tuple[pl.LazyFrame, MemoStats]:
    """Rows for `keys` (a lazy table over the memo's files), computing only the keys the memo lacks.

    `compute(missing)` yields tables (of `schema`) as it goes, together exactly one row per key it is
    given (results that are lists go in a list column), so that an item with no result is remembered as
    such. Each table is written to the memo as it arrives: the run's process never holds the results
    of the whole corpus, and a run that is killed keeps what it finished. Without `cache_dir` nothing is
    remembered and the results stay in memory (tests).
    """
    wanted = list(dict.fromkeys(keys))
    folder = memo_dir(stage, cache_dir) if cache_dir else None
    parts = _parts(folder) if folder else []
    held = _keys(parts, key)
    missing = sorted(set(wanted) - held)
    fresh: list[pl.DataFrame] = []
    computed: set[str] = set()
    if missing:
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
        for frame in compute(missing):
            computed.update(frame[key].to_list())
            if folder is None:
                fresh.append(frame)
            elif frame.height:
                part = folder / f"part-{time.time_ns()}-{os.getpid()}.parquet"
                write_parquet_atomically(frame, part)
                parts.append(part)
    if computed != set(missing):
        raise ValueError(f"stage {stage!r}: compute() must return one row per key")
    dropped = len(held - set(wanted))
    if folder is None:
        result = pl.concat(fresh, how="vertical") if fresh else pl.DataFrame(schema=schema)
        return result.lazy(), MemoStats(reused=0, computed=len(missing), dropped=0)
    if parts and (len(parts) > MAX_PARTS or dropped > len(wanted)):
        compacted = folder / f"part-{time.time_ns()}-{os.getpid()}.parquet"
        write_parquet_atomically(pl.scan_parquet(parts).filter(pl.col(key).is_in(wanted)), compacted)
        for old in parts:
            old.unlink()
        parts = [compacted]
    for stale in cache_dir.glob(f"{stage}-*"):
        if stale != folder:  # results of other code versions can never be reused
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink(missing_ok=True)
    stats = MemoStats(reused=len(held & set(wanted)), computed=len(missing), dropped=dropped)
    if not parts:
        return pl.LazyFrame(schema=schema), stats
    memo = pl.scan_parquet(parts)
    return (memo.filter(pl.col(key).is_in(wanted)) if dropped else memo), stats


# Above this many keys a lookup reads the memo whole (one streaming scan) instead of slicing rows out of it;
# above this many rows of one file, the range of the file that holds them is read once.
MAX_SLICED_KEYS = 2_000
MAX_SLICES_PER_FILE = 16


def memo_rows(
    stage: str, cache_dir: Path, keys: Iterable[str], *, schema: Mapping[str, pl.DataType], key: str = "key"
) -> pl.LazyFrame:
    """The memo's rows for `keys`, reading only what they need.

    A filter on the key column makes Polars (and DuckDB) decode every column of every row group, texts
    included: 1 s for 100,000 reports' texts to find one. So a few keys are located first (the key column
    alone, with row numbers) and each file is sliced to the range holding its wanted rows, which decodes
    only the row groups in it; many keys read the memo whole, streaming."""
    wanted = list(dict.fromkeys(keys))
    parts = _parts(memo_dir(stage, cache_dir))
    if not parts or not wanted:
        return pl.LazyFrame(schema=schema)
    if len(wanted) > MAX_SLICED_KEYS:
        return pl.scan_parquet(parts).filter(pl.col(key).is_in(wanted))
    found = (
        pl.concat(
            [
                pl.scan_parquet(part).select(key).with_row_index("row").with_columns(part=pl.lit(i, pl.Int32))
                for i, part in enumerate(parts)
            ]
        )
        .filter(pl.col(key).is_in(wanted))
        .group_by("part")
        .agg(rows=pl.col("row").sort())
        .collect()
    )
    slices = []
    for part, rows in found.iter_rows():
        file = pl.scan_parquet(parts[part])
        if len(rows) <= MAX_SLICES_PER_FILE:  # each row alone: it decodes its own row group only
            slices += [file.slice(row, 1) for row in rows]
        else:  # the range holding them, read once
            slices.append(file.slice(rows[0], rows[-1] - rows[0] + 1).filter(pl.col(key).is_in(wanted)))
    return pl.concat(slices, how="vertical") if slices else pl.LazyFrame(schema=schema)


def memo_batches(
    stage: str,
    cache_dir: Path,
    keys: Iterable[str],
    *,
    schema: Mapping[str, pl.DataType],
    key: str = "key",
    rows: int = ROW_GROUP_ROWS,
) -> Iterator[pl.LazyFrame]:
    """The memo's rows for `keys` as lazy tables of at most `rows` memo rows each, to be read one after
    another: a reader that holds one batch at a time holds at most one row group's texts or figures.

    Many keys: each file's row groups in turn, sliced (which decodes only those groups) then filtered.
    A streaming read of the filtered memo in batches (`LazyFrame.collect_batches`) decoded ahead of its
    reader instead: 320 MB more for 100,000 reports' figures. A few keys: `memo_rows` of `rows` keys at a
    time."""
    wanted = list(dict.fromkeys(keys))
    parts = _parts(memo_dir(stage, cache_dir))
    if not parts or not wanted:
        return
    if len(wanted) <= MAX_SLICED_KEYS:
        for start in range(0, len(wanted), rows):
            yield memo_rows(stage, cache_dir, wanted[start : start + rows], schema=schema, key=key)
        return
    wanted_keys = pl.Series(key, wanted, dtype=pl.String).implode()
    for part in parts:
        file = pl.scan_parquet(part)
        n = file.select(pl.len()).collect().item()  # from the file's metadata
        for start in range(0, n, rows):
            yield file.slice(start, rows).filter(pl.col(key).is_in(wanted_keys))
