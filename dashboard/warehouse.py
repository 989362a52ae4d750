"""Read-only access to the published warehouse that follows each publish and never blocks a run.

The pipeline publishes by renaming a finished build over `STI_WAREHOUSE`. A connection held open keeps
reading the old inode after that rename, so every query first compares the file's identity (inode,
modification time, size) with the one the connection was opened on, and reopens when it changed.

The file is ATTACHed READ_ONLY into a private in-memory database rather than opened with
`duckdb.connect(path, read_only=True)`: DuckDB keeps one database instance per path in a process, and a
second `connect` to the same path while the first is open hands back the old instance, i.e. the old
file. An in-memory database of our own is a new instance every time. A read-only attach takes only a
shared lock on the published file, and runs only ever write the separate build file.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
CATALOG = "wh"
CACHE_SIZE = 256


@dataclass(frozen=True)
class FileIdentity:
    """What changes when a new warehouse is renamed over the path (or the file is rewritten)."""

    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        stat = path.stat()
        return cls(stat.st_ino, stat.st_mtime_ns, stat.st_size)

    @property
    def published_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, tz=UTC)


class WarehouseMissingError(RuntimeError):
    """No warehouse has been published at the path yet."""


def default_path() -> Path:
    """`STI_WAREHOUSE` as the pipeline reads it (pipeline/defs/settings.py), without importing Dagster."""
    project = Path(__file__).resolve().parent.parent
    raw = os.environ.get("STI_WAREHOUSE") or project / "data" / "warehouse" / "warehouse.duckdb"
    return Path(raw).expanduser().resolve()


def sql_file(name: str) -> str:
    """A query kept beside the dashboard, in dashboard/queries/NAME.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


class Warehouse:
    """One read-only connection to the published file, reopened whenever the file is replaced.

    Query results are cached per file identity, so a page that asks again after a publish reads the
    new file, and repeated page loads of the same file cost a dictionary lookup.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: FileIdentity | None = None
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self.opens = 0  # how many times the file was (re)opened: tests and the benchmark read it

    def _connection(self) -> tuple[duckdb.DuckDBPyConnection, FileIdentity]:
        """The connection for the file as it is now; called with the lock held."""
        try:
            identity = FileIdentity.of(self.path)
        except FileNotFoundError as exc:
            raise WarehouseMissingError(f"no warehouse at {self.path}: run `make run` first") from exc
        if self._con is None or identity != self._identity:
            self._close_locked()
            con = duckdb.connect(":memory:")
            con.execute(f"attach '{self.path.as_posix()}' as {CATALOG} (read_only)")
            self._con, self._identity = con, identity
            self.opens += 1
        return self._con, identity

    def identity(self) -> FileIdentity:
        with self._lock:
            return self._connection()[1]

    def query(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        """Rows of `sql` (names resolve in the warehouse: core.documents, marts.…) as a DataFrame.

        The returned frame is shared through the cache: callers copy before changing it.
        """
        with self._lock:
            con, identity = self._connection()
            key = (identity, sql, params)
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            cursor = con.cursor()
        try:
            cursor.execute(f"use {CATALOG}")
            frame = cursor.execute(sql, list(params)).df()
        finally:
            cursor.close()
        with self._lock:
            self._cache[key] = frame
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return frame

    def named(self, name: str, params: tuple = ()) -> pd.DataFrame:
        """Rows of the query kept in dashboard/queries/NAME.sql."""
        return self.query(sql_file(name), params)

    def has_table(self, schema: str, table: str) -> bool:
        return table in self.tables(schema)

    def tables(self, schema: str) -> set[str]:
        frame = self.query(
            "select table_name from information_schema.tables where table_catalog = ? and table_schema = ?",
            (CATALOG, schema),
        )
        return set(frame["table_name"])

    def columns(self, schema: str, table: str) -> list[str]:
        frame = self.query(
            "select column_name from information_schema.columns"
            " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
            (CATALOG, schema, table),
        )
        return list(frame["column_name"])

    def _close_locked(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con, self._identity = None, None
        self._cache.clear()

    def close(self) -> None:
        with self._lock:
            self._close_locked()
