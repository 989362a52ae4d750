"""The load patches a copy of the published warehouse when it can, and builds afresh when it must."""

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import load, tables
from tests.conftest import SAMPLE_RAW_DIR, core_rows


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    return core_rows(SAMPLE_RAW_DIR, tmp_path_factory.mktemp("cache"))


def publish(published: Path, frames: dict[str, pl.DataFrame]) -> load.Changes | None:
    """Write a build as the core load does and move it into place (the dbt step and its marker are not under
    test here): a patch gets the rows of the reports it inserts, the quarantine and the load's state."""
    state = frames["load_state"]
    changes, delta = None, frames
    if load.can_patch(published, (state["pipeline_version"][0], state["sql_version"][0])):
        changes = load.changed_documents(published, frames["documents"].select(*tables.DOCUMENT_KEYS))
        delta = {
            name: frame.filter(pl.col("document_id").is_in(changes.inserted))
            if "document_id" in frame.columns
            else frame
            for name, frame in frames.items()
        }
    load.write_build(published, delta, changes)
    os.replace(load.build_path_for(published), published)
    return changes


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
    assert publish(published, frames) == load.Changes([], []), "same rows: no report rewritten"


def test_a_patch_rewrites_only_the_reports_that_changed(frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    published = tmp_path / "w.duckdb"
    publish(published, frames)
    dropped = frames["documents"]["document_id"][0]
    smaller = {
        name: frame.filter(pl.col("document_id") != dropped) if "document_id" in frame.columns else frame
        for name, frame in frames.items()
    }
    assert publish(published, smaller) == load.Changes([dropped], [])
    expected = tmp_path / "expected.duckdb"
    publish(expected, smaller)
    assert same_core_rows(published, expected)


def test_a_report_whose_keys_changed_is_rewritten(frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    """A report that became a duplicate (or moved to another file) has other rows: out, and in again."""
    published = tmp_path / "w.duckdb"
    publish(published, frames)
    originals = frames["documents"].filter(pl.col("duplicate_of").is_null()).sort("source_file", "segment_no")
    first, second = originals["document_id"][:2]  # two first copies: the second becomes a copy of the first
    documents = frames["documents"].with_columns(
        duplicate_of=pl.when(pl.col("document_id") == second).then(pl.lit(first)).otherwise("duplicate_of")
    )
    assert publish(published, {**frames, "documents": documents}) == load.Changes([second], [second])
    expected = tmp_path / "expected.duckdb"
    publish(expected, {**frames, "documents": documents})
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
