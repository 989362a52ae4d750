"""`make run`: materialize every asset, quietly, with progress bars and a summary; or nothing, fast.

A run with nothing new (the same raw files by path, size, times and inode; the same pipeline code, data
files and SQL; the published warehouse the last run left) is recognised with the standard library alone
and ends in well under a second, before Dagster, dbt, jieba or Polars are imported. Otherwise dbt's
project is parsed only when `sql/` changed since the manifest, and the job runs in this process on the
Dagster instance of `DAGSTER_HOME` (so the run is in the UI's history). The console shows a progress bar
per long stage and a summary; every Dagster event goes to `<DAGSTER_HOME>/logs/run-<id>.log`, whose path
is printed.

Before any of that, the paths are checked (`preflight`): a missing or unreadable raw folder, a warehouse
folder that cannot be written or a disk without room for a build is one line naming the path and what to
do, within a fraction of a second, and nothing is touched. Then the run takes the warehouse's lock
(pipeline/lock.py): a run already writing the same warehouse is waited for, or, with `--no-wait` or
`STI_NO_WAIT=1`, the run exits at once with code 75 and the line saying who holds it.
"""

from __future__ import annotations

import errno
import gc
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipeline import listing

PROJECT_DIR = Path(__file__).resolve().parent.parent
PIPELINE_DIR = PROJECT_DIR / "pipeline"
SQL_DIR = PROJECT_DIR / "sql"
MANIFEST = SQL_DIR / "target" / "manifest.json"
# A file modified this close to a listing may change again within the file system's timestamp
# granularity without its stat changing: such a listing is not remembered as up to date.
SETTLE_NS = 2_000_000_000
# Free space a run needs beside the warehouse: room for the build (a copy of the published file, grown by
# the patch) and the stage files, with a margin for a first run, whose published file is not there yet.
MIN_FREE_BYTES = 64 * 2**20
# Tags of the run `make run` records in the instance: the warehouse it writes (counted by the run queue's
# limit in dagster_home/dagster.yaml) and who started it (so that the next `make run` can close the record
# of one that was killed).
RUNNER_TAG = ("sti/runner", "make run")


def _paths() -> tuple[Path, Path]:
    raw = Path(os.environ.get("STI_RAW_DIR") or PROJECT_DIR / "data" / "raw").expanduser().resolve()
    warehouse = os.environ.get("STI_WAREHOUSE") or PROJECT_DIR / "data" / "warehouse" / "warehouse.duckdb"
    return raw, Path(warehouse).expanduser().resolve()


def preflight(raw: Path, warehouse: Path) -> str | None:
    """What stops a run before it starts, as one line naming the path and what to do; None if nothing."""
    if not raw.exists():
        return f"STI_RAW_DIR {raw} does not exist: create it and put the raw files in it, or set STI_RAW_DIR"
    if not raw.is_dir():
        return f"STI_RAW_DIR {raw} is not a folder: set STI_RAW_DIR to the folder that holds the raw files"
    try:
        with os.scandir(raw) as entries:
            next(entries, None)
    except OSError as exc:
        return f"cannot read STI_RAW_DIR {raw} ({exc.strerror}): give this user read access to it (chmod u+rx)"
    folder = warehouse.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".{warehouse.name}.{os.getpid()}.probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return (
            f"cannot write in the warehouse folder {folder} ({exc.strerror}): make it writable for this user, "
            "or set STI_WAREHOUSE to a file in a folder you can write"
        )
    need = MIN_FREE_BYTES + 2 * (warehouse.stat().st_size if warehouse.is_file() else 0)
    free = shutil.disk_usage(folder).free
    if free < need:
        return (
            f"only {free / 2**20:.0f} MiB free on the disk of {folder}, a run needs about {need / 2**20:.0f} MiB: "
            "free some space there, or set STI_WAREHOUSE to a file on a larger disk"
        )
    return None


def _published(warehouse: Path) -> str:
    try:
        st = warehouse.stat()
    except FileNotFoundError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def observe(raw: Path, warehouse: Path) -> tuple[dict[str, str], int]:
    """What decides a run's output, cheaply: (state, latest change time among the raw files). Computed
    once per run, at its start (again only after waiting for another run): at 72,727 files (100,000
    reports) each digest of the raw folder costs a third of a second."""
    raw_digest, latest = listing.tree_digest(raw)
    code_digest, _ = listing.tree_digest(PIPELINE_DIR, skip=("__pycache__",))
    sql_digest, _ = listing.tree_digest(SQL_DIR, skip=("target", "logs", ".user.yml"))
    state = {"raw": raw_digest, "code": code_digest, "sql": sql_digest, "published": _published(warehouse)}
    return {**state, "env": sys.prefix}, latest


def _state_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".cache") / "run_state.json"


def up_to_date(state: dict[str, str], warehouse: Path) -> bool:
    """True when the last successful run saw exactly these inputs and left the published file `state` saw."""
    try:
        remembered = json.loads(_state_file(warehouse).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    return remembered == state


def remember(state: dict[str, str], latest_ns: int, warehouse: Path, started_ns: int) -> None:
    """Remember the inputs a successful run saw at its start with the file it published. A file changed
    during the run no longer matches them, so the next run looks again; one changed just before the run
    (within the file system's timestamp granularity) may change again unseen, so nothing is remembered."""
    path = _state_file(warehouse)
    published = _published(warehouse)
    if latest_ns > started_ns - SETTLE_NS or not published:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**state, "published": published}), encoding="utf-8")


def parse_dbt_project_if_changed(warehouse: Path) -> None:
    """`dbt parse` only when a file of the dbt project is newer than the manifest, or the manifest was
    parsed for another warehouse path (the profile names the build file)."""
    stamp = MANIFEST.with_name("parsed_for.txt")
    sources = [p for p in SQL_DIR.rglob("*") if p.is_file() and not {"target", "logs"} & set(p.parts)]
    if (
        MANIFEST.exists()
        and stamp.exists()
        and stamp.read_text(encoding="utf-8") == str(warehouse)
        and max(p.stat().st_mtime_ns for p in sources) < MANIFEST.stat().st_mtime_ns
    ):
        return
    print("sql/ changed: parsing the dbt project", flush=True)
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, "STI_WAREHOUSE": str(warehouse)}
    subprocess.run([str(dbt), "parse", "--quiet", "--profiles-dir", "."], cwd=SQL_DIR, check=True, env=env)
    stamp.write_text(str(warehouse), encoding="utf-8")


def _step_line(step: str, start: float | None, end: float | None, status: str) -> str:
    """A step's time, or its status when it has none (a step skipped because nothing upstream changed)."""
    if start is None or end is None:
        return f"  {step:<36} {status.lower():>9}"
    return f"  {step:<36} {end - start:>7.1f} s"


def _space_hint(message: str, warehouse: Path) -> str | None:
    """One line for a write that failed for lack of space, which the user can act on."""
    for code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        if os.strerror(code) in message:
            return (
                f"a write failed ({os.strerror(code)}) beside {warehouse}: free some space on that disk and run "
                "again; the published warehouse is unchanged"
            )
    return None


def run_job(log_dir: Path, warehouse: Path) -> tuple[bool, Path, list[str]]:
    """Every asset, in this process, on the DAGSTER_HOME instance: (success, event log file, summary lines).
    The caller holds the warehouse's lock."""
    # Importing Dagster, dbt and the code location makes some 450,000 objects, most of them for good: the
    # collector, left on, walked them five times over (0.48 s), and every full collection of the run walked
    # them again. It is off until they are imported, then collects once (0.31 s) and leaves what is left
    # alone (freeze): objects frozen are never collected, so the freeze waits for the imports to be done.
    gc.disable()
    try:
        import dagster as dg

        from pipeline.definitions import defs
        from pipeline.defs.progress import attach_terminal
        from pipeline.defs.settings import WAREHOUSE_TAG
    finally:
        gc.collect()
        gc.freeze()
        gc.enable()

    # With nothing to load, dbt's step is skipped and Dagster warns on stderr, once per blocking dbt test,
    # that the publish step will not be gated on it; the publish step is skipped as well, so that says nothing.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    if sys.stderr.isatty():  # the steps' own stderr will be Dagster's capture, not the terminal
        attach_terminal(os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1))

    job = defs.resolve_implicit_global_asset_job_def()
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    tags = {WAREHOUSE_TAG: str(warehouse), RUNNER_TAG[0]: RUNNER_TAG[1]}
    with dg.DagsterInstance.get() as instance:
        # A `make run` of this warehouse still recorded as in progress was killed: it held the lock we hold
        # now. Left open, its record would keep the daemon's queue waiting for it forever.
        in_progress = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
        for stale in instance.get_runs(dg.RunsFilter(statuses=in_progress, tags=tags)):
            instance.report_run_failed(stale, "its process ended before the run did (killed); closed by the next run")
        result = job.execute_in_process(instance=instance, run_config=quiet, raise_on_error=False, tags=tags)
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"run-{result.run_id}.log"
        with log_path.open("w", encoding="utf-8") as log:
            for record in instance.all_logs(result.run_id):
                stamp = time.strftime("%H:%M:%S", time.localtime(record.timestamp))
                kind = record.dagster_event.event_type_value if record.dagster_event else record.level
                log.write(f"{stamp} {record.step_key or '-':<24} {kind:<28} {record.user_message}\n")
        lines = [
            _step_line(s.step_key, s.start_time, s.end_time, s.status.value if s.status else "skipped")
            for s in instance.get_run_step_stats(result.run_id)
        ]
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        if "items_computed" in meta:
            name = event.asset_key.to_user_string()
            lines.append(
                f"  {name:<36} {meta['items_computed'].value:>7} computed, {meta['items_reused'].value} reused"
            )
    for failure in result.get_step_failure_events():
        error = failure.event_specific_data.error
        while error.cause is not None:  # Dagster wraps the step's own exception: say what it was
            error = error.cause
        message = error.message.strip()
        lines.append(f"  FAILED {failure.step_key}: {message[:300]}")
        if hint := _space_hint(message, warehouse):
            lines.append(hint)
    return result.success, log_path, lines


def main(argv: list[str] | None = None) -> int:
    started = time.time_ns()
    args = sys.argv[1:] if argv is None else argv
    wait = "--no-wait" not in args and os.environ.get("STI_NO_WAIT", "") in ("", "0")
    raw, warehouse = _paths()
    if problem := preflight(raw, warehouse):
        print(problem, file=sys.stderr)
        return 2
    state, latest = observe(raw, warehouse)
    if up_to_date(state, warehouse):
        print(f"nothing new since the last run: {warehouse} is up to date with {raw}")
        return 0
    from pipeline import lock

    waited: list[str] = []

    def on_wait(line: str) -> None:
        waited.append(line)
        print(line, flush=True)

    try:
        with lock.warehouse_lock(warehouse, who="make run", wait=wait, on_wait=on_wait):
            if waited:  # the run we waited for may have seen the same inputs, and changed the published file
                state, latest = observe(raw, warehouse)
                if up_to_date(state, warehouse):
                    print(f"nothing new since the last run: {warehouse} is up to date with {raw}")
                    return 0
            return _run(raw, warehouse, started, state, latest)
    except lock.WarehouseBusy as busy:
        print(f"{busy}: not waiting (--no-wait); run again once it is done", file=sys.stderr)
        return lock.BUSY_EXIT_CODE


def _run(raw: Path, warehouse: Path, started: int, state: dict[str, str], latest: int) -> int:
    os.environ["STI_RAW_DIR"], os.environ["STI_WAREHOUSE"] = str(raw), str(warehouse)
    parse_dbt_project_if_changed(warehouse)
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / "dagster_home")))
    success, log_path, lines = run_job(home / "logs", warehouse)
    print("\n".join(lines))
    print(f"run {'succeeded' if success else 'FAILED'} in {(time.time_ns() - started) / 1e9:.1f} s")
    print(f"Dagster event log: {log_path}")
    if not success:
        return 1
    from pipeline import summary

    summary.main()
    remember(state, latest, warehouse, started)
    return 0


if __name__ == "__main__":
    code = main()
    # Everything the run wrote is closed by now (the warehouse published, the instance and the log file
    # closed, the workers stopped). Tearing the interpreter down, with the modules and thread pools of
    # Dagster, dbt, DuckDB and Polars, took another 1.3 s after the summary, which whoever waits on the
    # command (a sensor's run, a script) would pay for nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
