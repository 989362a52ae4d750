"""The content-addressed memo computes only what it has not seen and forgets what is gone."""

from pathlib import Path

import polars as pl

from pipeline.memo import memoized, pipeline_version


def upper(keys: list[str]) -> pl.DataFrame:
    schema = {"key": pl.String, "value": pl.String}
    return pl.DataFrame({"key": keys, "value": [k.upper() for k in keys]}, schema=schema)


def test_only_new_keys_are_computed(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def compute(keys: list[str]) -> pl.DataFrame:
        seen.append(keys)
        return upper(keys)

    _, stats = memoized("t", ["a", "b"], compute, tmp_path)
    assert (stats.reused, stats.computed) == (0, 2)
    second, stats = memoized("t", ["a", "b", "c"], compute, tmp_path)
    assert (stats.reused, stats.computed) == (2, 1)
    assert seen == [["a", "b"], ["c"]]
    assert sorted(second["value"].to_list()) == ["A", "B", "C"]


def test_removed_keys_are_dropped_and_nothing_is_rewritten_without_change(tmp_path: Path) -> None:
    memoized("t", ["a", "b"], upper, tmp_path)
    result, stats = memoized("t", ["b"], upper, tmp_path)
    assert result["key"].to_list() == ["b"] and stats.dropped == 1
    path = tmp_path / f"t-{pipeline_version()}.parquet"
    before = path.stat().st_mtime_ns
    memoized("t", ["b"], upper, tmp_path)
    assert path.stat().st_mtime_ns == before


def test_results_of_another_code_version_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "t-0000000000000000.parquet"
    upper(["a"]).write_parquet(stale)
    memoized("t", ["a"], upper, tmp_path)
    assert not stale.exists()


def test_compute_must_answer_every_key(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError, match="one row per key"):
        memoized("t", ["a", "b"], lambda keys: upper(keys[:1]), tmp_path)


def test_every_extraction_module_is_in_the_pipeline_version():
    """A rule changed in any module the extract stage is split into must recompute the memo."""
    from pipeline.memo import PACKAGE_DIR, STAGE_MODULES

    split = {p.stem for p in PACKAGE_DIR.glob("extract*.py")}
    assert split <= set(STAGE_MODULES)
