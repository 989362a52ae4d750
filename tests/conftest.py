"""Shared fixtures: a parsed dbt project and a way to run every asset into a temporary warehouse."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from pipeline import tables

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_RAW_DIR = PROJECT_DIR / "data" / "raw"


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """`dbt parse` once per session: the Dagster definitions read the manifest it writes."""
    sql_dir = PROJECT_DIR / "sql"
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=sql_dir, check=True)
    return sql_dir / "target" / "manifest.json"


@pytest.fixture(scope="session")
def defs(dbt_manifest: Path) -> dg.Definitions:
    from pipeline.definitions import defs

    return defs


@contextmanager
def pipeline_env(raw_dir: Path, warehouse: Path) -> Iterator[None]:
    """Point the resources (read from the environment at run time) at a raw folder and a warehouse."""
    saved = {k: os.environ.get(k) for k in ("STI_RAW_DIR", "STI_WAREHOUSE")}
    os.environ["STI_RAW_DIR"] = str(raw_dir)
    os.environ["STI_WAREHOUSE"] = str(warehouse)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def materialize_all(defs: dg.Definitions, raw_dir: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    """Run every asset, as `make run` does, in this process."""
    with pipeline_env(raw_dir, warehouse):
        job = defs.resolve_implicit_global_asset_job_def()
        return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def analysed(raw: Path, cache_dir: Path) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.DataFrame]:
    """The text stages over the files of `raw`, as a run applies them, without Dagster: (every report placed
    and classified, every figure in long form with its document_id, the quarantine)."""
    files = tables.read_raw_files(raw, cache_dir)
    reports, rejected, _ = tables.normalize_files(files, cache_dir, raw)
    resolved, _terms, facts, _ = tables.analyze_reports(reports, cache_dir)
    return resolved, tables.per_document(resolved, facts, "facts"), rejected


def core_rows(raw: Path, cache_dir: Path) -> dict[str, pl.DataFrame]:
    """Every core table's rows for the files of `raw`, as a fresh build loads them."""
    resolved, _facts, rejected = analysed(raw, cache_dir)
    state = tables.load_state(resolved, rejected).collect()
    frames = tables.core_frames(resolved, rejected, state, cache_dir)
    return {name: frame.collect() for name, frame in frames.items()}
