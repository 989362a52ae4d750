"""Dagster's SQLite run history commits without a disk flush per event, only where that is safe (WAL)."""

import sqlite3
from pathlib import Path

import sqlalchemy as sa

import pipeline.definitions  # noqa: F401  (the code location installs the setting when it loads)


def synchronous(path: Path) -> int:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        (level,) = connection.execute(sa.text("PRAGMA synchronous")).fetchone()
    engine.dispose()
    return level


def test_a_wal_database_commits_without_flushing_and_another_keeps_sqlites_default(tmp_path: Path) -> None:
    wal, rollback = tmp_path / "wal.db", tmp_path / "rollback.db"
    sqlite3.connect(wal).execute("PRAGMA journal_mode=WAL").fetchone()
    sqlite3.connect(rollback).execute("create table t (x)")
    assert synchronous(wal) == 1  # NORMAL
    assert synchronous(rollback) == 2  # FULL, SQLite's default
