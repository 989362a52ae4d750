"""A dashboard in a separate process: reads the published warehouse until told to stop.

    python reader.py hold|reconnect WAREHOUSE STOP_FILE OUT_JSON

`hold` keeps one read-only connection for its whole life (a notebook left open); `reconnect` opens a
fresh one on every poll (a dashboard refresh). DuckDB shares one database instance among a process's
connections to the same path, so the two behaviours need two processes. Every answer and every error
is written to OUT_JSON.
"""

import json
import sys
import time
from pathlib import Path

import duckdb

STATE_SQL = "select (select fingerprint from core.load_state), (select count(*) from core.documents)"


def main(mode: str, warehouse: str, stop_file: str, out: str) -> None:
    held = duckdb.connect(warehouse, read_only=True) if mode == "hold" else None
    Path(out + ".ready").touch()
    states, errors = [], []
    while not Path(stop_file).exists():
        try:
            if held is not None:
                states.append(list(held.execute(STATE_SQL).fetchone()))
            else:
                with duckdb.connect(warehouse, read_only=True) as fresh:
                    states.append(list(fresh.execute(STATE_SQL).fetchone()))
        except duckdb.Error as exc:
            errors.append(str(exc))
        time.sleep(0.05)
    if held is not None:
        held.close()
    Path(out).write_text(json.dumps({"states": states, "errors": errors}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
