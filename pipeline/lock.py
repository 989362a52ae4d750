"""One writer at a time per warehouse: an exclusive `fcntl.flock` on `<warehouse>.lock`.

Every run that writes a warehouse (`make run`, a run launched from the UI, the sensor or the schedule)
holds this lock from its start to its end. They all share the stage files and the memo under
`<warehouse>.cache/` and the build file, so two writers at once corrupt each other's Parquet files.

Why `fcntl.flock` and not the `filelock` package (4.3, already installed with Dagster): both lock with
flock on POSIX, so both are released by the kernel when the holding process dies, however it dies
(SIGKILL, out of memory): no stale lock to break by hand. But filelock waits by polling with sleeps
(and its timeout and soft-lock fallbacks add machinery we do not need), while a blocking flock
sleeps in the kernel and wakes the moment the lock is free; and a waiter here must say who holds the
lock and since when, which needs the holder to write itself into the file we lock anyway. That is
twenty lines of standard library. The lock file is never removed: removing it would let a waiter
hold a lock on an unlinked inode while a newcomer locks a new file.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Exit code of `make run` when the warehouse is busy and it was told not to wait (EX_TEMPFAIL: try later).
BUSY_EXIT_CODE = 75

# Locks this process holds (lock path → depth): `make run` takes the lock before starting Dagster, and the
# warehouse resource of the run it executes in the same process takes it again. A second flock on a new
# descriptor of the same file would wait for ourselves.
_held: dict[str, int] = {}


class WarehouseBusy(Exception):
    """Another process holds the warehouse's lock and the caller chose not to wait."""


def lock_path_for(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _holder(fd: int) -> str:
    """Who wrote themselves into the lock file last: the holder, since a waiter reads it only while held."""
    text = os.pread(fd, 1024, 0).decode("utf-8", "replace").strip()
    return text or "another process (it has not said who yet)"


@contextmanager
def warehouse_lock(
    warehouse: Path, *, who: str, wait: bool = True, on_wait: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the warehouse's lock for the block. If another process holds it: call `on_wait` with a line
    saying who and since when, then wait for it, or raise WarehouseBusy with that line if not `wait`."""
    path = lock_path_for(warehouse)
    key = str(path)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            line = f"{warehouse} is being written by {_holder(fd)}"
            if not wait:
                raise WarehouseBusy(line) from None
            on_wait(f"waiting: {line}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        since = time.strftime("%Y-%m-%d %H:%M:%S")
        me = f"{who} (pid {os.getpid()} on {socket.gethostname()}) since {since}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, me.encode("utf-8") + b"\n", 0)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(fd)  # closing the only descriptor releases the flock
