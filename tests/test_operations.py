"""Everyday operations: a re-saved file, any file name, a moved file, errors before start-up."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline import listing, run
from pipeline.defs.automation.sensors import raw_dir_state
from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all
from tests.test_incremental import computed

GBK_NAME = "湖州科技局报告.txt".encode("gbk")
BAD_NAME = b"report-\xff\xfe.txt"


def documents(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select source_file, segment_no, document_id, duplicate_of from core.documents order by all"
        ).fetchall()


def test_a_resaved_file_then_nothing_new_both_succeed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "w" / "warehouse.duckdb"
    raw.mkdir()
    shutil.copy(SAMPLE_RAW_DIR / "quanzhou_2024q1.txt", raw)
    monkeypatch.setenv("STI_RAW_DIR", str(raw))
    monkeypatch.setenv("STI_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert run.main([]) == 0
    target = raw / "quanzhou_2024q1.txt"
    target.write_bytes(target.read_bytes())  # same bytes, new times: the load and dbt are skipped
    assert run.main([]) == 0
    assert run.main([]) == 0


def test_names_that_are_not_utf8_are_read_like_any_file(defs: dg.Definitions, tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    shutil.copy(SAMPLE_RAW_DIR / "wuhu_kjj_2024_bannian.txt", raw)
    (raw / os.fsdecode(GBK_NAME)).write_bytes((SAMPLE_RAW_DIR / "quanzhou_2024q1.txt").read_bytes())
    (raw / os.fsdecode(BAD_NAME)).write_bytes((SAMPLE_RAW_DIR / "sc_jiangyou_2022.txt").read_bytes())
    assert raw_dir_state(raw) and listing.tree_digest(raw)  # the sensor and make run's check hash names as bytes
    assert materialize_all(defs, raw, warehouse).success
    assert {d[0] for d in documents(warehouse)} == {
        "湖州科技局报告.txt",
        "report-\\xff\\xfe.txt",
        "wuhu_kjj_2024_bannian.txt",
    }


def test_a_moved_file_keeps_its_ids_and_is_not_analysed_again(defs: dg.Definitions, tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    for name in ("kjj_zongjie_jingxuan.txt", "wuhu_kjj_2024_bannian.txt"):
        shutil.copy(SAMPLE_RAW_DIR / name, raw)
    assert materialize_all(defs, raw, warehouse).success
    before = documents(warehouse)
    (raw / "2024").mkdir()
    (raw / "kjj_zongjie_jingxuan.txt").rename(raw / "2024" / "compilation.txt")
    result = materialize_all(defs, raw, warehouse)
    assert result.success
    assert computed(result)["normalized_reports"] == 0 and computed(result)["extracted_indicators"] == 0
    after = documents(warehouse)
    assert [d[1:] for d in after] == [d[1:] for d in before]  # the same ids, only source_file changed
    assert {d[0] for d in after} == {"2024/compilation.txt", "wuhu_kjj_2024_bannian.txt"}

    shutil.copy(raw / "wuhu_kjj_2024_bannian.txt", raw / "copy.txt")  # byte-identical, another path
    assert materialize_all(defs, raw, warehouse).success
    ids = {d[0]: (d[2], d[3]) for d in documents(warehouse) if d[0] in ("copy.txt", "wuhu_kjj_2024_bannian.txt")}
    assert ids["copy.txt"][1] is None and ids["wuhu_kjj_2024_bannian.txt"][1] == ids["copy.txt"][0]
    assert ids["copy.txt"][0] != ids["wuhu_kjj_2024_bannian.txt"][0]


def make_run(raw: Path, warehouse: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.run"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )


def test_errors_before_start_up_are_one_line_and_touch_nothing(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "w" / "warehouse.duckdb"
    missing = make_run(tmp_path / "missing", warehouse, tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.startswith(f"STI_RAW_DIR {tmp_path / 'missing'} does not exist: create it")
    assert len(missing.stderr.splitlines()) == 1
    raw.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    unwritable = make_run(raw, blocker / "warehouse.duckdb", tmp_path)
    assert unwritable.returncode == 2 and len(unwritable.stderr.splitlines()) == 1
    assert unwritable.stderr.startswith(f"cannot write in the warehouse folder {blocker} (File exists): make it")
    assert not warehouse.parent.exists()


def test_a_full_disk_is_said_before_start_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10 * 2**30, 10 * 2**30, 2**20))
    line = run.preflight(tmp_path, tmp_path / "warehouse.duckdb")
    assert line.startswith(f"only 1 MiB free on the disk of {tmp_path}, a run needs about 64 MiB")
