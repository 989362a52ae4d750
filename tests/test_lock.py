"""Runs take turns on a warehouse: the lock (pipeline/lock.py), `make run` waiting for it or not, and the
run queue holding a launched run while a `make run` writes the same warehouse."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml
from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.test_utils import create_run_for_test
from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

from pipeline import lock, run
from pipeline.defs.automation.jobs import refresh_warehouse
from pipeline.defs.settings import WAREHOUSE_TAG
from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR

HOLDER = Path(__file__).parent / "processes" / "lock_holder.py"


def start_holder(warehouse: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    holder = subprocess.Popen(
        [sys.executable, str(HOLDER), str(warehouse)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_holder_waits_or_is_told_who_holds_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = start_holder(warehouse)
    try:
        with pytest.raises(lock.WarehouseBusy) as busy, lock.warehouse_lock(warehouse, who="test", wait=False):
            pass
        assert f"{warehouse} is being written by lock_holder.py (pid {holder.pid} on " in str(busy.value)
        assert " since " in str(busy.value)
    finally:
        holder.stdin.close()
        holder.wait()
    with lock.warehouse_lock(warehouse, who="test", wait=False), lock.warehouse_lock(warehouse, who="again"):
        pass  # free once its holder ended; reentrant in one process


def test_a_holder_killed_with_sigkill_frees_the_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = start_holder(warehouse)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with lock.warehouse_lock(warehouse, who="test", wait=False):
        pass


def run_env(raw: Path, warehouse: Path, home: Path) -> dict[str, str]:
    return {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home)}


def test_two_make_runs_started_together_take_turns(tmp_path: Path) -> None:
    raw, warehouse, home = tmp_path / "raw", tmp_path / "w" / "warehouse.duckdb", tmp_path / "home"
    raw.mkdir()
    home.mkdir()
    shutil.copy(SAMPLE_RAW_DIR / "quanzhou_2024q1.txt", raw)
    env = run_env(raw, warehouse, home)
    command = [sys.executable, "-m", "pipeline.run"]
    # Both start while the lock is held, so both must wait; then they run one after the other.
    holder = start_holder(warehouse)
    runs = [subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for started in runs:
        assert started.stdout.readline().startswith(f"waiting: {warehouse} is being written by lock_holder.py")
    busy = subprocess.run([*command, "--no-wait"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert busy.returncode == lock.BUSY_EXIT_CODE
    assert busy.stderr.startswith(f"{warehouse} is being written by lock_holder.py") and "Traceback" not in busy.stderr
    holder.stdin.close()
    holder.wait()
    outputs = [started.communicate()[0] for started in runs]
    assert [started.returncode for started in runs] == [0, 0], outputs
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from core.documents").fetchone() == (1,)


def test_the_queue_holds_a_launched_run_while_make_run_writes_the_same_warehouse(tmp_path: Path) -> None:
    """The daemon's dequeue decision on the project's dagster.yaml: the sensor's run of a warehouse stays
    queued while a `make run` of it is in progress (the tag limit alone, whatever max_concurrent_runs says);
    a run of another warehouse is not held by it."""
    settings = yaml.safe_load((PROJECT_DIR / "dagster_home" / "dagster.yaml").read_text(encoding="utf-8"))
    settings["concurrency"]["runs"]["max_concurrent_runs"] = 10
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    warehouse = refresh_warehouse.tags[WAREHOUSE_TAG]
    location = RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("sti_warehouse"), "__repository__")
    origin = RemoteJobOrigin(location, "refresh_warehouse")
    with dg.instance_for_test(temp_dir=str(tmp_path), overrides=settings) as instance:
        make_run = create_run_for_test(
            instance, status=dg.DagsterRunStatus.STARTED, tags={WAREHOUSE_TAG: warehouse, run.RUNNER_TAG[0]: "make run"}
        )
        sensor_run = create_run_for_test(
            instance, status=dg.DagsterRunStatus.QUEUED, tags=dict(refresh_warehouse.tags), remote_job_origin=origin
        )
        elsewhere = {WAREHOUSE_TAG: "/elsewhere.duckdb"}
        queued = dg.DagsterRunStatus.QUEUED
        other = create_run_for_test(instance, status=queued, tags=elsewhere, remote_job_origin=origin)
        daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)

        def dequeued() -> set[str]:
            return {r.run_id for r in daemon._get_runs_to_dequeue(instance, instance.get_concurrency_config(), None)}

        assert dequeued() == {other.run_id}
        instance.report_run_failed(make_run)  # make run ended (or the next one closed its record)
        assert sensor_run.run_id in dequeued()
