"""How this code location's processes write Dagster's run history: SQLite commits that need no disk flush.

Dagster's SQLite storages open a connection for each event and commit it there. A run stores about 250
events (six steps, and an output and a check result per dbt model and test), and with SQLite's default,
`synchronous=FULL`, every commit waits for the disk: 2.0 s of a run that adds one report. Dagster keeps
its storage files in WAL mode, in which `synchronous=NORMAL` flushes only at checkpoints and cannot
corrupt a database; a power cut may lose a run's last events, never the warehouse, which is published by
renaming a finished file. A connection in any other mode keeps SQLite's default.
"""

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _no_flush_per_commit(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        (mode,) = dbapi_connection.execute("PRAGMA journal_mode").fetchone()
        if mode == "wal":
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def commit_without_flushing() -> None:
    """For every SQLite connection SQLAlchemy opens from now on in this process (idempotent)."""
    if not event.contains(Engine, "connect", _no_flush_per_commit):
        event.listen(Engine, "connect", _no_flush_per_commit)
