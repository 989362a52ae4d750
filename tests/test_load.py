"""The load patches a copy of the published warehouse when it can, and builds afresh when it must."""

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import load, tables
from tests.conftest import SAMPLE_RAW_DIR


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    reports, rejected, _ = tables.normalize_files(tables.read_raw_files(SAMPLE_RAW_DIR), None, SAMPLE_RAW_DIR)
    reports, terms, facts, _ = tables.analyze_reports(reports, None)
    return {name: frame.collect() for name, frame in tables.core_frames(reports, rejected, terms, facts).items()}


def publish(published: Path, frames: dict[str, pl.DataFrame]) -> int | None:
    """Write a build and move it into place (the dbt step and its marker are not under test here)."""
    _, rewritten = load.write_build(published, frames)
    os.replace(load.build_path_for(published), published)
    return rewritten


def same_core_rows(a: Path, b: Path) -> bool:
    with duckdb.connect(str(a), read_only=True) as con:
        con.execute(f"attach '{b}' as other (read_only)")
        return all(
            con.execute(f"select count(*) from (select * from {x} except all select * from {y})").fetchone() == (0,)
            for table in load.CORE_TABLES
            for x, y in ((f"core.{table}", f"other.core.{table}"), (f"other.core.{table}", f"core.{table}"))
        )


def test_first_build_is_fresh_then_patched(frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    published = tmp_path / "w.duckdb"
    assert publish(published, frames) is None
    assert publish(published, frames) == 0, "same rows: no report rewritten"


def test_a_patch_rewrites_only_the_reports_that_changed(frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    published = tmp_path / "w.duckdb"
    publish(published, frames)
    dropped = frames["documents"]["document_id"][0]
    smaller = {
        name: frame.filter(pl.col("document_id") != dropped) if "document_id" in frame.columns else frame
        for name, frame in frames.items()
    }
    assert publish(published, smaller) == 1
    expected = tmp_path / "expected.duckdb"
    publish(expected, smaller)
    assert same_core_rows(published, expected)


def test_another_pipeline_version_builds_afresh(frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    published = tmp_path / "w.duckdb"
    publish(published, frames)
    newer = {**frames, "load_state": frames["load_state"].with_columns(pipeline_version=pl.lit("another"))}
    assert publish(published, newer) is None


def test_a_file_with_more_free_space_than_content_is_built_afresh(
    frames: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    published = tmp_path / "w.duckdb"
    publish(published, frames)
    with duckdb.connect(str(published)) as con:  # what many patches and dbt rebuilds leave behind
        con.execute("create table ballast as select repeat('x', 1000) || i as pad from range(200000) t(i)")
        con.execute("checkpoint")
        con.execute("drop table ballast")
        con.execute("checkpoint")
    assert publish(published, frames) is None
