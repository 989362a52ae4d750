"""The folder of raw report files, as a Dagster resource."""

from pathlib import Path

import dagster as dg
import polars as pl

from pipeline import tables


class RawFilesResource(dg.ConfigurableResource):
    """Every regular file under `root` (STI_RAW_DIR) is one raw input."""

    root: str

    def read(self, cache_dir: Path) -> pl.DataFrame:
        """The files, with the bytes of those whose content the stage memo in `cache_dir` lacks."""
        root = Path(self.root)
        if not root.is_dir():
            raise FileNotFoundError(f"STI_RAW_DIR {root} is not a folder")
        return tables.read_raw_files(root, cache_dir)
