"""Print where the published warehouse is and what it holds (the end of `make run`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb


def main() -> int:
    path = Path(os.environ.get("STI_WAREHOUSE", "data/warehouse/warehouse.duckdb")).resolve()
    if not path.exists():
        print(f"no warehouse at {path}", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_schema in ('core', 'marts') order by 1, 2"
        ).fetchall()
        print(f"warehouse: {path}")
        for schema, name, kind in rows:
            (count,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            print(f"  {schema}.{name:<32} {count:>7} rows{'  (view)' if kind == 'VIEW' else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
