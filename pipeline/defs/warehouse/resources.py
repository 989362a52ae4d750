"""The one way into the DuckDB warehouse: every write of the pipeline goes through here."""

from pathlib import Path

import dagster as dg

from pipeline import load


class WarehouseResource(dg.ConfigurableResource):
    """The published warehouse file (STI_WAREHOUSE), its private build file and the stage memo.

    Runs write only the build file; `publish` swaps it in atomically, so readers of the
    published file are never blocked and never see half a load.
    """

    path: str

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

    def write_build(self, frames: load.Frames) -> tuple[dict[str, int], int | None]:
        """A build file holding exactly these core tables (see `load.write_build`)."""
        return load.write_build(self.published, frames)

    def publish(self) -> None:
        if not self.build.exists():
            raise FileNotFoundError(f"no build to publish at {self.build}: materialize the core tables first")
        load.publish(self.build, self.published)
