"""A run after a change computes only the changed files; changed rows are replaced, deleted rows vanish."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.load import CORE_TABLES
from tests.conftest import SAMPLE_RAW_DIR, materialize_all

ADDED = "某市科技局2024年上半年工作总结\n上半年，市科技局组织申报国家高新技术企业57家。\n"


def computed(result: dg.ExecuteInProcessResult) -> dict[str, int]:
    out = {}
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        if "items_computed" in meta:
            out[event.asset_key.to_user_string()] = meta["items_computed"].value
    return out


def test_added_changed_and_deleted_files(defs: dg.Definitions, tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    assert materialize_all(defs, raw, warehouse).success

    changed = raw / "quanzhou_2024q1.txt"
    changed.write_bytes(changed.read_bytes().replace("培训人员约960人次".encode(), "培训人员约970人次".encode()))
    (raw / "xx_xian_kjj_zongjie.txt").unlink()
    (raw / "added.txt").write_text(ADDED, encoding="utf-8")
    result = materialize_all(defs, raw, warehouse)
    assert result.success
    assert computed(result)["normalized_reports"] == 2, "only the changed and the added file are decoded again"
    assert computed(result)["extracted_indicators"] == 2

    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {r[0] for r in con.execute("select distinct source_file from core.documents").fetchall()}
        evidence = [r[0] for r in con.execute(
            "select evidence from core.indicator_observations where source_file = 'quanzhou_2024q1.txt'"
        ).fetchall()]  # fmt: skip
    assert "xx_xian_kjj_zongjie.txt" not in files and "added.txt" in files
    assert any("约970人次" in e for e in evidence) and not any("约960人次" in e for e in evidence)

    load = [
        e.materialization.metadata["load"].value
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["core", "documents"])
    ]
    assert load and load[0].startswith("published warehouse patched"), load

    # The patched warehouse holds exactly what a build from scratch of the same files holds.
    fresh = tmp_path / "fresh" / "warehouse.duckdb"
    assert materialize_all(defs, raw, fresh).success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"attach '{fresh}' as fresh (read_only)")
        for table in CORE_TABLES:
            for a, b in ((f"core.{table}", f"fresh.core.{table}"), (f"fresh.core.{table}", f"core.{table}")):
                extra = con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()
                assert extra == (0,), f"{a} has rows {b} lacks"
