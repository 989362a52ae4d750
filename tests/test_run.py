"""`make run`'s runner: a run with nothing new is recognised without importing the pipeline."""

import os
import subprocess
import sys
import time
from pathlib import Path

from pipeline import run


def settled_corpus(tmp_path: Path) -> tuple[Path, Path]:
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    (raw / "a.txt").write_text("某县科技局2023年工作总结", encoding="utf-8")
    warehouse.write_bytes(b"published")
    return raw, warehouse


def up_to_date(raw: Path, warehouse: Path) -> bool:
    return run.up_to_date(run.observe(raw, warehouse)[0], warehouse)


def later() -> int:
    """A run's start a while after the files were written (their change time cannot be set back)."""
    return time.time_ns() + 3 * run.SETTLE_NS


def test_the_same_inputs_are_up_to_date_and_any_change_is_not(tmp_path: Path) -> None:
    raw, warehouse = settled_corpus(tmp_path)
    assert not up_to_date(raw, warehouse)  # never run
    run.remember(*run.observe(raw, warehouse), warehouse, later())
    assert up_to_date(raw, warehouse)
    (raw / "b.txt").write_text("新的报告", encoding="utf-8")
    assert not up_to_date(raw, warehouse)
    (raw / "b.txt").unlink()
    assert up_to_date(raw, warehouse)
    warehouse.write_bytes(b"published by someone else")
    assert not up_to_date(raw, warehouse)


def test_a_run_remembers_what_it_saw_at_its_start_with_the_file_it_published(tmp_path: Path) -> None:
    raw, warehouse = settled_corpus(tmp_path)
    seen = run.observe(raw, warehouse)
    warehouse.write_bytes(b"published by this run")
    run.remember(*seen, warehouse, later())
    assert up_to_date(raw, warehouse)
    seen = run.observe(raw, warehouse)
    (raw / "during.txt").write_text("运行期间写入的文件", encoding="utf-8")  # after the run listed the folder
    run.remember(*seen, warehouse, later())
    assert not up_to_date(raw, warehouse)


def test_a_file_changed_just_before_the_run_is_not_remembered(tmp_path: Path) -> None:
    raw, warehouse = settled_corpus(tmp_path)
    (raw / "fresh.txt").write_text("刚写入的文件", encoding="utf-8")
    run.remember(*run.observe(raw, warehouse), warehouse, time.time_ns())
    assert not up_to_date(raw, warehouse)


def test_nothing_new_exits_before_importing_dagster_or_polars(tmp_path: Path) -> None:
    raw, warehouse = settled_corpus(tmp_path)
    run.remember(*run.observe(raw, warehouse), warehouse, later())
    probe = "import sys, runpy; runpy.run_module('pipeline.run', run_name='__main__')"
    env = {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "PYTHONVERBOSE": "1"}
    env["DAGSTER_HOME"] = str(tmp_path)  # were the check wrong, the run it starts stays in tmp_path
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert "nothing new since the last run" in out.stdout
    imported = {line.split()[1] for line in out.stderr.splitlines() if line.startswith("import ")}
    assert not imported & {"'dagster'", "'polars'", "'jieba'", "'duckdb'"}, sorted(imported)[:20]
