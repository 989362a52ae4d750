"""Readers in other processes never block a run and never see half a load; a killed run loses nothing."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline import load
from pipeline.defs.marts import assets as marts_assets
from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all, pipeline_env

READER = Path(__file__).parent / "processes" / "reader.py"
EXTRA_REPORT = (
    "某县科技局2024年一季度工作总结\n一季度，县科技局组织申报国家高新技术企业12家，兑现科技奖补资金260万元。\n"
)


def state(warehouse: Path) -> tuple[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select (select fingerprint from core.load_state), (select count(*) from core.documents)"
        ).fetchone()


@pytest.fixture
def published(defs: dg.Definitions, tmp_path: Path) -> tuple[Path, Path]:
    """A raw folder and the warehouse published from it."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    warehouse = tmp_path / "warehouse.duckdb"
    assert materialize_all(defs, raw, warehouse).success
    return raw, warehouse


def wait_for(path: Path, timeout: float = 60) -> None:
    """Poll often: the last kill point lasts a fraction of a second, between dbt and the rename."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.005)


def test_readers_never_block_a_run_nor_see_half_a_load(
    defs: dg.Definitions, published: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, warehouse = published
    old = tuple(state(warehouse))
    stop = tmp_path / "stop"
    outs = {mode: tmp_path / f"{mode}.json" for mode in ("hold", "reconnect")}
    readers = [
        subprocess.Popen([sys.executable, str(READER), mode, str(warehouse), str(stop), str(out)])
        for mode, out in outs.items()
    ]
    try:
        for out in outs.values():
            wait_for(Path(str(out) + ".ready"))
        (raw / "new_report.txt").write_text(EXTRA_REPORT, encoding="utf-8")
        result = materialize_all(defs, raw, warehouse)
        assert result.success, "the run must not be blocked by readers"
        time.sleep(1)  # let the reconnecting reader see the new state before it is stopped
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=30)
    new = tuple(state(warehouse))
    assert new != old and new[1] == old[1] + 1
    held, fresh = (json.loads(outs[mode].read_text()) for mode in ("hold", "reconnect"))
    assert held["errors"] == [] and fresh["errors"] == [], "no reader is ever refused"
    assert held["states"] and {tuple(s) for s in held["states"]} == {old}, "a held connection keeps its snapshot"
    seen = [tuple(s) for s in fresh["states"]]
    assert set(seen) == {old, new}, "a reconnecting reader sees the old state, then the new one, nothing between"
    assert seen.index(new) > seen.index(old) and old not in seen[seen.index(new) :]


# Kill points: right after the load starts writing the new build, and once dbt has built and tested it,
# just before it would be published.
KILL_WHEN = {"load_started": ".build", "build_tested": ".build.tested"}


@pytest.mark.parametrize("kill_when", KILL_WHEN)
def test_run_killed_mid_load_leaves_the_published_warehouse_intact(
    published: tuple[Path, Path], tmp_path: Path, kill_when: str
) -> None:
    raw, warehouse = published
    before = warehouse.read_bytes()
    (raw / "new_report.txt").write_text(EXTRA_REPORT, encoding="utf-8")
    env = {
        **os.environ,
        "STI_RAW_DIR": str(raw),
        "STI_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    (tmp_path / "dagster_home").mkdir()
    command = [str(Path(sys.executable).parent / "dagster"), "asset", "materialize", "-m", "pipeline.definitions",
               "--select", "*"]  # fmt: skip
    run = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    build = warehouse.with_name(warehouse.name + ".build")
    try:
        wait_for(warehouse.with_name(warehouse.name + KILL_WHEN[kill_when]), timeout=240)
    finally:
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
    assert warehouse.read_bytes() == before, "the published file must not change"
    assert state(warehouse)[1] > 0, "and must stay readable"
    finished = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert not build.exists()
    assert state(warehouse)[1] == len({p for p in raw.rglob("*") if p.is_file()}) + 3  # a compilation of 4, a dup


def test_a_failing_dbt_test_blocks_publishing(defs: dg.Definitions, published: tuple[Path, Path]) -> None:
    """A build whose dbt tests fail is reported as a failed check and never replaces the published file."""
    raw, warehouse = published
    (raw / "extra.txt").write_text(EXTRA_REPORT, encoding="utf-8")
    before = warehouse.read_bytes()
    job = defs.resolve_implicit_global_asset_job_def()
    instance = dg.DagsterInstance.ephemeral()
    dbt_keys = marts_assets.sti_dbt_models.keys
    with pipeline_env(raw, warehouse):
        load_keys = job.asset_layer.asset_graph.get_all_asset_keys() - dbt_keys - {dg.AssetKey("published_warehouse")}
        assert job.get_subset(asset_selection=load_keys).execute_in_process(instance=instance).success
        build = load.build_path_for(warehouse)
        with duckdb.connect(str(build)) as con:  # what a broken release of the extraction could write
            con.execute("update core.documents set doc_kind = 'memo' where segment_no = 1")
        result = job.get_subset(asset_selection={*dbt_keys, dg.AssetKey("published_warehouse")}).execute_in_process(
            instance=instance, raise_on_error=False
        )
    assert not result.success
    failed_checks = [
        e.asset_check_evaluation_data.check_name
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION and not e.asset_check_evaluation_data.passed
    ]
    assert any(name.startswith("accepted_values_stg_documents_doc_kind") for name in failed_checks), failed_checks
    assert not any(e.asset_key == dg.AssetKey("published_warehouse") for e in result.get_asset_materialization_events())
    assert not load.tested_marker_for(build).exists()
    assert warehouse.read_bytes() == before
