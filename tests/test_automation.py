"""The definitions load, every asset is described, and the sensor fires only when raw files change."""

import os
from pathlib import Path

import dagster as dg

from tests.conftest import pipeline_env


def test_every_asset_has_a_group_and_a_description(defs: dg.Definitions) -> None:
    specs = list(defs.resolve_all_asset_specs())
    assert len(specs) >= 20
    for spec in specs:
        assert spec.group_name and spec.description, spec.key


def test_schedule_and_sensor_are_defined(defs: dg.Definitions) -> None:
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 6 * * *"
    assert defs.resolve_sensor_def("raw_files_sensor").job_name == "refresh_warehouse"


def test_sensor_fires_on_added_changed_and_deleted_files(defs: dg.Definitions, tmp_path: Path) -> None:
    from pipeline.defs.automation.sensors import raw_files_sensor

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("科技局工作总结", encoding="utf-8")

    def evaluate(cursor: str | None) -> dg.SensorResult | dg.SkipReason:
        with pipeline_env(raw, tmp_path / "w.duckdb"), dg.build_sensor_context(cursor=cursor) as context:
            return raw_files_sensor(context)

    first_mtime = (raw / "a.txt").stat().st_mtime_ns
    first = evaluate(None)
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    assert isinstance(evaluate(first.cursor), dg.SkipReason)
    (raw / "b.txt").write_text("新的报告", encoding="utf-8")
    added = evaluate(first.cursor)
    assert isinstance(added, dg.SensorResult)
    (raw / "a.txt").write_text("科技局工作总结（修订）", encoding="utf-8")
    changed = evaluate(added.cursor)
    assert isinstance(changed, dg.SensorResult)
    (raw / "b.txt").unlink()
    (raw / "a.txt").write_text("科技局工作总结", encoding="utf-8")
    os.utime(raw / "a.txt", ns=(first_mtime, first_mtime))
    back = evaluate(changed.cursor)
    assert isinstance(back, dg.SensorResult) and back.cursor == first.cursor
    assert all(r.run_key is None for r in back.run_requests), "a state seen before must still launch a run"
