"""`make run`: materialize every asset, quietly, with progress bars and a summary; or nothing, fast.

A run with nothing new (the same raw files by path, size, times and inode; the same pipeline code, data
files and SQL; the published warehouse the last run left) is recognised with the standard library alone
and ends in well under a second, before Dagster, dbt, jieba or Polars are imported. Otherwise dbt's
project is parsed only when `sql/` changed since the manifest, and the job runs in this process on the
Dagster instance of `DAGSTER_HOME` (so the run is in the UI's history). The console shows a progress bar
per long stage and a summary; every Dagster event goes to `<DAGSTER_HOME>/logs/run-<id>.log`, whose path
is printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PIPELINE_DIR = PROJECT_DIR / "pipeline"
SQL_DIR = PROJECT_DIR / "sql"
MANIFEST = SQL_DIR / "target" / "manifest.json"
# A file modified this close to a listing may change again within the file system's timestamp
# granularity without its stat changing: such a listing is not remembered as up to date.
SETTLE_NS = 2_000_000_000


def _paths() -> tuple[Path, Path]:
    raw = Path(os.environ.get("STI_RAW_DIR") or PROJECT_DIR / "data" / "raw").expanduser().resolve()
    warehouse = os.environ.get("STI_WAREHOUSE") or PROJECT_DIR / "data" / "warehouse" / "warehouse.duckdb"
    return raw, Path(warehouse).expanduser().resolve()


def _tree_digest(root: Path, skip: tuple[str, ...] = ()) -> tuple[str, int]:
    """A digest of every regular file's path, size, times and inode under root, and the latest change."""
    digest, latest = hashlib.sha256(), 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                digest.update(f"{entry.path}\0{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}\n".encode())
                latest = max(latest, st.st_mtime_ns, st.st_ctime_ns)
    return digest.hexdigest(), latest


def _state(raw: Path, warehouse: Path) -> tuple[dict[str, str], int]:
    """What decides a run's output, cheaply: (state, latest change time among the raw files)."""
    raw_digest, latest = _tree_digest(raw)
    code_digest, _ = _tree_digest(PIPELINE_DIR, skip=("__pycache__",))
    sql_digest, _ = _tree_digest(SQL_DIR, skip=("target", "logs", ".user.yml"))
    try:
        st = warehouse.stat()
        published = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
    except FileNotFoundError:
        published = ""
    state = {"raw": raw_digest, "code": code_digest, "sql": sql_digest, "published": published, "env": sys.prefix}
    return state, latest


def _state_file(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".cache") / "run_state.json"


def up_to_date(raw: Path, warehouse: Path) -> bool:
    """True when the last successful run saw exactly these inputs and left this published file."""
    try:
        remembered = json.loads(_state_file(warehouse).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    return remembered == _state(raw, warehouse)[0]


def remember(raw: Path, warehouse: Path, started_ns: int) -> None:
    state, latest = _state(raw, warehouse)
    path = _state_file(warehouse)
    if latest > started_ns - SETTLE_NS or not state["published"]:
        path.unlink(missing_ok=True)  # a file changed during or just before the run: check it next time
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state), encoding="utf-8")


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


def run_job(log_dir: Path) -> tuple[bool, Path, list[str]]:
    """Every asset, in this process, on the DAGSTER_HOME instance: (success, event log file, summary lines)."""
    import dagster as dg

    from pipeline.definitions import defs
    from pipeline.defs.progress import attach_terminal

    if sys.stderr.isatty():  # the steps' own stderr will be Dagster's capture, not the terminal
        attach_terminal(os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1))

    job = defs.resolve_implicit_global_asset_job_def()
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, run_config=quiet, raise_on_error=False)
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"run-{result.run_id}.log"
        with log_path.open("w", encoding="utf-8") as log:
            for record in instance.all_logs(result.run_id):
                stamp = time.strftime("%H:%M:%S", time.localtime(record.timestamp))
                kind = record.dagster_event.event_type_value if record.dagster_event else record.level
                log.write(f"{stamp} {record.step_key or '-':<24} {kind:<28} {record.user_message}\n")
        steps = {s.step_key: s.end_time - s.start_time for s in instance.get_run_step_stats(result.run_id)}
    lines = [f"  {step:<36} {seconds:>7.1f} s" for step, seconds in steps.items() if seconds is not None]
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        if "items_computed" in meta:
            name = event.asset_key.to_user_string()
            lines.append(
                f"  {name:<36} {meta['items_computed'].value:>7} computed, {meta['items_reused'].value} reused"
            )
    for failure in result.get_step_failure_events():
        lines.append(f"  FAILED {failure.step_key}: {failure.event_specific_data.error.message.strip()[:300]}")
    return result.success, log_path, lines


def main() -> int:
    started = time.time_ns()
    raw, warehouse = _paths()
    if up_to_date(raw, warehouse):
        print(f"nothing new since the last run: {warehouse} is up to date with {raw}")
        return 0
    os.environ["STI_RAW_DIR"], os.environ["STI_WAREHOUSE"] = str(raw), str(warehouse)
    parse_dbt_project_if_changed(warehouse)
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_DIR / "dagster_home")))
    success, log_path, lines = run_job(home / "logs")
    print("\n".join(lines))
    print(f"run {'succeeded' if success else 'FAILED'} in {(time.time_ns() - started) / 1e9:.1f} s")
    print(f"Dagster event log: {log_path}")
    if not success:
        return 1
    from pipeline import summary

    summary.main()
    remember(raw, warehouse, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
