"""Load stage: write the `core` tables into a private DuckDB file and publish it atomically.

DuckDB lets one process write a file and blocks it while any other process holds the file,
even read-only. Dashboards read the warehouse while the pipeline runs, so the pipeline never
writes the published file in place: it builds a sibling `<name>.build` file (a patched copy of
the published one, or a fresh file), the dbt models run on that file, and `publish` renames it
over the published one. A reader that opened the old
file keeps reading the old inode; a new reader sees the new file whole; a run killed at any
point leaves the published file untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipeline.memo import write_parquet_atomically

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
CORE_SCHEMA_SQL = SQL_DIR / "core" / "core_schema.sql"
PATCH_SQL = SQL_DIR / "core" / "patch_core_tables.sql"

# DuckDB takes up to 80% of the machine's memory unless told otherwise; past its cap it spills to a
# temporary file. The pipeline's connections (and dbt's, sql/profiles.yml) are capped at STI_DUCKDB_MEMORY,
# 512MB unless set: since the load reads Parquet files, a fresh load of 38,640 reports (200 MB of text)
# peaked 800 MB above the process's baseline uncapped and 290 MB with 256MB, and both the fresh load and
# the patch passed at 256MB. A much larger corpus may need more (the tables' key indexes stay in memory).
DUCKDB_MEMORY = os.environ.get("STI_DUCKDB_MEMORY") or "512MB"


def connect(path: Path | str = ":memory:", *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection, its memory capped at STI_DUCKDB_MEMORY."""
    config = {"memory_limit": DUCKDB_MEMORY}
    return duckdb.connect(str(path), read_only=read_only, config=config)


# Load order respects the foreign keys declared in core_schema.sql.
CORE_TABLES = (
    "documents",
    "rejected_inputs",
    "fact_funding",
    "fact_high_tech_enterprises",
    "fact_patents",
    "fact_training",
    "document_terms",
    "quality_flags",
    "load_state",
)


@cache
def sql_version() -> str:
    """Hash of the core schema and the dbt project: a change to them must reach the published warehouse."""
    digest = hashlib.sha256()
    for path in sorted(SQL_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".sql", ".yml") and "target" not in path.relative_to(SQL_DIR).parts:
            digest.update(path.relative_to(SQL_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tested_marker_for(build: Path) -> Path:
    """Written beside a build once every dbt model and test has passed on it; publish requires it."""
    return build.with_name(build.name + ".tested")


def build_path_for(published: Path) -> Path:
    """The private file a run builds before it is published."""
    return published.with_name(published.name + ".build")


def _remove_db_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def create_build(published: Path) -> Path:
    """Start a fresh build file beside the published one, dropping what a killed run left."""
    build = build_path_for(published)
    build.parent.mkdir(parents=True, exist_ok=True)
    _remove_db_file(build)
    tested_marker_for(build).unlink(missing_ok=True)
    with connect(build) as con:
        con.execute(CORE_SCHEMA_SQL.read_text(encoding="utf-8"))
    return build


Frames = Mapping[str, pl.LazyFrame | pl.DataFrame]


def _select_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> str:
    """A query giving the file's rows in the column order of `core.<table>`: a frame missing a contract
    column fails here."""
    columns = ", ".join(f'"{c}"' for c in con.table(f"core.{table}").columns)
    return f"select {columns} from read_parquet('{path}')"


@contextmanager
def staged(frames: Frames, build: Path) -> Iterator[dict[str, Path]]:
    """Each frame streamed into a Parquet file beside the build, for DuckDB to read in a streaming
    fashion too: a Polars frame registered with DuckDB is read whole into memory (a corpus's facts and
    texts), a Parquet file batch by batch. The files are removed afterwards."""
    unknown = set(frames) - set(CORE_TABLES)
    if unknown:
        raise ValueError(f"not core tables: {sorted(unknown)}")
    folder = build.with_name(build.name + ".staging")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        paths = {}
        for table in CORE_TABLES:
            if table in frames:
                paths[table] = folder / f"{table}.parquet"
                write_parquet_atomically(frames[table].lazy(), paths[table])
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def row_counts(build: Path) -> dict[str, int]:
    """Rows of every core table of the build (DuckDB counts them from its metadata)."""
    with connect(build, read_only=True) as con:
        return {table: con.execute(f"select count(*) from core.{table}").fetchone()[0] for table in CORE_TABLES}


def write_core_tables(build: Path, paths: Mapping[str, Path]) -> None:
    """Append each staged file to its `core` table (no row-by-row inserts)."""
    with connect(build) as con:
        con.begin()
        for table, path in paths.items():
            con.execute(f"insert into core.{table} {_select_parquet(con, table, path)}")
        con.commit()
        con.execute("checkpoint")


def can_patch(published: Path, versions: tuple[str, str]) -> bool:
    """Patch only a warehouse built by these pipeline and SQL versions, and not one that is more free
    space than content: deleted rows leave blocks DuckDB reuses but never gives back, so a fresh
    build now and then keeps the file under about twice its content."""
    if not published.exists():
        return False
    try:
        with connect(published, read_only=True) as con:
            built_with = con.execute("select pipeline_version, sql_version from core.load_state").fetchone()
            used, free = con.execute("select used_blocks, free_blocks from pragma_database_size()").fetchone()
    except duckdb.Error:  # not a warehouse, or one from a release whose load_state had no sql_version
        return False
    return built_with == versions and free <= used


@dataclass(frozen=True)
class Changes:
    """The reports a patch rewrites: those the published warehouse holds that are gone or differ (deleted),
    and those of this run it does not hold as they are (inserted; a changed report is in both)."""

    deleted: list[str]
    inserted: list[str]


def changed_documents(published: Path, keys: pl.DataFrame) -> Changes:
    """Compare this run's documents, by the columns their rows are a function of (`keys`: document_id and
    the others of tables.DOCUMENT_KEYS), with the published warehouse's: two small columns' worth of reading
    per report, whatever the size of its text and figures."""
    columns = ", ".join(f'"{c}"' for c in keys.columns)
    with connect(published, read_only=True) as con:
        con.register("incoming", keys.to_arrow())
        con.execute(f"create temp table published_keys as select {columns} from core.documents")
        deleted = con.execute(
            f"select document_id from (from published_keys except from (select {columns} from incoming))"
        ).fetchall()
        inserted = con.execute(
            f"select document_id from (select {columns} from incoming except from published_keys)"
        ).fetchall()
    return Changes(sorted(r[0] for r in deleted), sorted(r[0] for r in inserted))


def patch_build(published: Path, paths: Mapping[str, Path], deleted: list[str]) -> None:
    """Make the build a copy of the published warehouse, then delete the rows of the `deleted` reports and
    insert the staged rows (sql/core/patch_core_tables.sql), which are those of the reports to insert, the
    whole quarantine and the load's state.

    Adding a file then writes that file's rows, not the corpus's. The copy is safe while readers hold
    the published file: it is never written in place, only replaced whole by `publish`.
    """
    if set(paths) != set(CORE_TABLES):
        raise ValueError(f"a patch needs every core table, got {sorted(paths)}")
    build = build_path_for(published)
    _remove_db_file(build)
    tested_marker_for(build).unlink(missing_ok=True)
    shutil.copyfile(published, build)
    with connect(build) as con:
        for table in CORE_TABLES:
            con.execute(f"create temp view incoming_{table} as {_select_parquet(con, table, paths[table])}")
        con.register("deleted", pl.DataFrame({"document_id": deleted}, schema={"document_id": pl.String}).to_arrow())
        con.execute("create temp table deleted_documents as select document_id from deleted")
        con.execute(PATCH_SQL.read_text(encoding="utf-8"))
        con.execute("checkpoint")


def write_build(published: Path, frames: Frames, changes: Changes | None) -> dict[str, int]:
    """The run's core rows in the build file: a copy of the published warehouse patched with `changes`
    (`frames` then hold the inserted reports' rows), or a fresh file holding `frames` when None (first
    run, new release, too much free space). Returns the build's row count per table."""
    build = build_path_for(published)
    with staged(frames, build) as paths:
        if changes is not None:
            patch_build(published, paths, changes.deleted)
        else:
            write_core_tables(create_build(published), paths)
    return row_counts(build)


def published_fingerprint(published: Path) -> str | None:
    """The fingerprint of what the published warehouse was built from, or None if there is none."""
    if not published.exists():
        return None
    try:
        with connect(published, read_only=True) as con:
            row = con.execute("select fingerprint from core.load_state").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def publish(build: Path, published: Path) -> None:
    """Atomically replace the published warehouse with the finished build."""
    if build.with_name(build.name + ".wal").exists():
        # A build is only complete once checkpointed; a WAL means its writer did not close cleanly.
        raise RuntimeError(f"{build} still has a write-ahead log; refusing to publish a partial build")
    marker = tested_marker_for(build)
    if not marker.exists():
        raise RuntimeError(f"{build} has not passed a full dbt build; refusing to publish it")
    os.replace(build, published)
    marker.unlink()
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
