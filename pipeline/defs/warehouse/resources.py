"""The one way into the DuckDB warehouse: every write of the pipeline goes through here."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import polars as pl

from pipeline import load, lock, tables


class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse file (STI_WAREHOUSE), its private build file and the stage memo.

    Runs write only the build file; `publish` swaps it in atomically, so readers of the
    published file are never blocked and never see half a load.
    """

    path: str

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["WarehouseResource"]:
        """Hold the warehouse's lock for the whole run (pipeline/lock.py): a run started beside another
        one on the same warehouse waits for it and says so in its log. Reentrant within `make run`,
        which takes the lock before starting Dagster."""
        run = context.run
        who = f"Dagster run {run.run_id} ({run.job_name})" if run else "a Dagster run"
        wait = os.environ.get("STI_NO_WAIT", "") in ("", "0")
        with lock.warehouse_lock(self.published, who=who, wait=wait, on_wait=context.log.warning):
            yield self

    @property
    def published(self) -> Path:
        return Path(self.path)

    @property
    def build(self) -> Path:
        return load.build_path_for(self.published)

    @property
    def cache_dir(self) -> Path:
        """Per-item stage results, reused across runs (pipeline/memo.py)."""
        return self.published.with_name(self.published.name + ".cache")

    def published_fingerprint(self) -> str | None:
        return load.published_fingerprint(self.published)

    def changes(self, documents: pl.LazyFrame, state: pl.DataFrame) -> load.Changes | None:
        """The reports a patch of the published warehouse rewrites, or None when the build must be fresh
        (no published warehouse, another pipeline or SQL version, too much free space)."""
        versions = (state["pipeline_version"][0], state["sql_version"][0])
        if not load.can_patch(self.published, versions):
            return None
        return load.changed_documents(self.published, documents.select(*tables.DOCUMENT_KEYS).collect())

    def write_build(self, frames: load.Frames, changes: load.Changes | None) -> dict[str, int]:
        """The build file: the published warehouse patched with `changes`, or fresh (`load.write_build`)."""
        return load.write_build(self.published, frames, changes)

    def publish(self) -> None:
        if not self.build.exists():
            raise FileNotFoundError(f"no build to publish at {self.build}: materialize the core tables first")
        load.publish(self.build, self.published)
