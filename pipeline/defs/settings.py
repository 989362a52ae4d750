"""Where the pipeline reads and writes, from the environment the contract names.

`STI_RAW_DIR` and `STI_WAREHOUSE` default to the repository's `data/` folders. Both are made
absolute once, here, because dbt runs in `sql/` and must find the same files: the dbt profile
reads `STI_WAREHOUSE` and works on `<STI_WAREHOUSE>.build`, the private file a run builds before
publishing it.
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_DIR / "sql"


def _make_absolute(name: str, default: Path) -> None:
    os.environ[name] = str(Path(os.environ.get(name) or default).expanduser().resolve())


_make_absolute("STI_RAW_DIR", PROJECT_DIR / "data" / "raw")
_make_absolute("STI_WAREHOUSE", PROJECT_DIR / "data" / "warehouse" / "warehouse.duckdb")

# One writer at a time on a DuckDB file: every step that writes runs in this Dagster pool,
# whose limit is 1 in dagster_home/dagster.yaml.
DUCKDB_WRITE_POOL = "sti_duckdb_write"

# Runs that write the warehouse carry this tag with the warehouse's path: dagster_home/dagster.yaml limits
# the runs in progress to one per value, so the daemon keeps a launched run queued while another run
# (a `make run` included) writes the same warehouse, instead of starting it only to wait for the lock.
WAREHOUSE_TAG = "sti/warehouse"
