"""The per-item stages give the same tables on Dask workers as in the run's process."""

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline import engine, tables
from tests.conftest import core_rows

LABELLED = Path(__file__).parent / "fixtures" / "labelled"


def stage_tables(raw: Path, cache_dir: Path) -> list[pl.DataFrame]:
    return list(core_rows(raw, cache_dir).values())


def test_two_local_workers_give_the_tables_one_process_gives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    raw = LABELLED / "set8" / "raw"
    monkeypatch.setenv("STI_WORKERS", "1")
    alone = stage_tables(raw, tmp_path / "alone")
    seen = []
    real_client = engine._client

    def client(config: engine.EngineConfig):
        seen.append(config)
        return real_client(config)

    monkeypatch.setenv("STI_WORKERS", "2")
    monkeypatch.setattr(engine, "MIN_ITEMS_FOR_WORKERS", 0)
    monkeypatch.setattr(engine, "_client", client)
    monkeypatch.setattr(tables, "FILES_PER_BATCH", 3)  # several tasks per stage, finishing in any order
    monkeypatch.setattr(tables, "REPORTS_PER_BATCH", 4)
    on_workers = stage_tables(raw, tmp_path / "workers")
    assert [c.workers for c in seen] == [2, 2] and all(c.scheduler is None for c in seen)
    for a, b in zip(alone, on_workers, strict=True):
        key = [c for c in ("source_file", "document_id", "fact_id", "term") if c in a.columns]
        assert_frame_equal(a.sort(key), b.sort(key))


def test_a_scheduler_address_sends_the_work_to_that_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STI_DASK_SCHEDULER", "tcp://10.0.0.5:8786")
    config = engine.EngineConfig.from_env()
    assert config.scheduler == "tcp://10.0.0.5:8786"
    assert config.describe() == "dask scheduler tcp://10.0.0.5:8786"
