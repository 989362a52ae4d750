"""Speed work must not change what the warehouse says: the core rows of every fixture are compared with
the rows the code wrote before (tests/golden/core_rows.jsonl).

The input is every labelled fixture set and the sample corpus, run through the same path as `make run`
(every asset, dbt included) into a temporary warehouse. After a change meant to alter extraction (a new
rule), rewrite the file and review its diff like code:

    STI_WRITE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_rows.py
"""

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all

GOLDEN = Path(__file__).parent / "golden" / "core_rows.jsonl"
LABELLED = Path(__file__).parent / "fixtures" / "labelled"

# Every core table but load_state (which names the code version); the report text is represented by its
# text_hash, to keep the file small. Ids hash a file's bytes and a report's place in it, so they are stable.
# analysis_error came after the golden rows were written: the test requires it null on every fixture.
TABLES = {
    "documents": "select * exclude (text, analysis_error) from core.documents",
    "rejected_inputs": "select * from core.rejected_inputs",
    **{
        name: f"select * from core.{name}"
        for name in (
            "fact_funding", "fact_high_tech_enterprises", "fact_patents", "fact_training", "document_terms",
            "quality_flags",
        )
    },
}  # fmt: skip


def corpus(root: Path) -> Path:
    """The sample corpus and every labelled set's raw files in one folder, one subfolder per set."""
    shutil.copytree(SAMPLE_RAW_DIR, root / "sample")
    for raw in sorted(LABELLED.glob("set*/raw")):
        shutil.copytree(raw, root / raw.parent.name)
    return root


def core_rows(warehouse: Path) -> list[str]:
    lines = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, query in TABLES.items():
            for row in sorted(con.execute(query).fetchall(), key=repr):
                lines.append(json.dumps([table, *row], ensure_ascii=False, default=str))
    return lines


def test_core_rows_equal_the_golden_rows(defs: dg.Definitions, tmp_path: Path) -> None:
    raw = corpus(tmp_path / "raw")
    warehouse = tmp_path / "warehouse.duckdb"
    assert materialize_all(defs, raw, warehouse).success
    got = core_rows(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed = con.execute("select source_file, analysis_error from core.documents where analysis_error is not null")
        assert failed.fetchall() == []
    if os.environ.get("STI_WRITE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text("\n".join(got) + "\n", encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8").splitlines()
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    assert not missing and not extra, (
        f"{len(missing)} golden rows lost, {len(extra)} new rows (see {GOLDEN.relative_to(PROJECT_DIR)});"
        f" first lost: {missing[:3]}; first new: {extra[:3]}"
    )
    assert len(got) == len(want)
