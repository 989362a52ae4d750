"""Hold a warehouse's lock until killed: `python lock_holder.py WAREHOUSE`; prints `held` once it holds it."""

import sys
from pathlib import Path

from pipeline import lock

with lock.warehouse_lock(Path(sys.argv[1]), who="lock_holder.py"):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes stdin or kills this process
