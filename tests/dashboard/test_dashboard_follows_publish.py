"""The dashboard follows a publish and never blocks one: a run publishes while pages keep reading."""

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
from streamlit.testing.v1 import AppTest

from dashboard.warehouse import Warehouse
from tests.conftest import materialize_all
from tests.dashboard.conftest import EXTRA_REPORT


def test_pages_read_on_while_a_run_publishes_then_show_the_new_data(
    defs: dg.Definitions, corpus_copy: Path, open_app: Callable[..., AppTest]
) -> None:
    warehouse = corpus_copy / "warehouse.duckdb"
    app = open_app(warehouse)
    assert {m.label: m.value for m in app.metric}["报告 reports"] == "10"

    reader = Warehouse(warehouse)
    seen: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def keep_loading_pages() -> None:
        while not stop.is_set():
            try:
                seen.append(int(reader.named("overview_counts")["n_reports"].iloc[0]))
            except Exception as exc:  # any failure of a page load is what this test looks for
                errors.append(repr(exc))
            time.sleep(0.02)

    poller = threading.Thread(target=keep_loading_pages)
    poller.start()
    try:
        (corpus_copy / "raw" / "new_report.txt").write_text(EXTRA_REPORT, encoding="utf-8")
        result = materialize_all(defs, corpus_copy / "raw", warehouse)
        time.sleep(0.5)
    finally:
        stop.set()
        poller.join(timeout=30)
    assert result.success, "a dashboard holding the warehouse open must not stop a run"
    assert errors == [], "no page load fails during the run"
    assert seen[0] == 10 and seen[-1] == 11, "old data while the run builds, the new data once it is published"
    assert seen == sorted(seen), "never back to the old file once the new one was seen"
    assert reader.opens == 2, "opened once, then reopened once for the one publish"

    app.run()  # the same server process, no restart: the next page load shows the new warehouse
    assert {m.label: m.value for m in app.metric}["报告 reports"] == "11"
    reader.close()


def test_a_replaced_file_is_reopened_and_an_unchanged_one_is_not(corpus_copy: Path, tmp_path: Path) -> None:
    warehouse = corpus_copy / "warehouse.duckdb"
    reader = Warehouse(warehouse)
    first = reader.named("overview_counts")
    assert reader.named("overview_counts") is first, "the same file answers from the cache"
    build = tmp_path / "warehouse.duckdb.build"
    shutil.copyfile(warehouse, build)
    with duckdb.connect(str(build)) as con:
        con.execute("delete from core.rejected_inputs")
    build.replace(warehouse)  # what publishing does, while `reader` holds the old file open
    assert int(reader.named("overview_counts")["n_rejected"].iloc[0]) == 0
    assert int(first["n_rejected"].iloc[0]) == 1
    assert reader.opens == 2
    reader.close()
