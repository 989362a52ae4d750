"""The content-addressed memo computes only what it has not seen and forgets what is gone."""

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from pipeline import memo
from pipeline.memo import memo_dir, memoized

SCHEMA = {"key": pl.String, "value": pl.String}


def upper(keys: list[str]) -> Iterator[pl.DataFrame]:
    """One result table per key, as the engine yields one per batch."""
    for key in keys:
        yield pl.DataFrame({"key": [key], "value": [key.upper()]}, schema=SCHEMA)


def run(keys: list[str], cache: Path | None, compute=upper) -> tuple[pl.DataFrame, memo.MemoStats]:
    result, stats = memoized("t", keys, compute, cache, schema=SCHEMA)
    return result.collect(), stats


def test_only_new_keys_are_computed(tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def compute(keys: list[str]) -> Iterator[pl.DataFrame]:
        seen.append(keys)
        return upper(keys)

    _, stats = run(["a", "b"], tmp_path, compute)
    assert (stats.reused, stats.computed) == (0, 2)
    second, stats = run(["a", "b", "c"], tmp_path, compute)
    assert (stats.reused, stats.computed) == (2, 1)
    assert seen == [["a", "b"], ["c"]]
    assert sorted(second["value"].to_list()) == ["A", "B", "C"]


def test_each_batch_is_kept_as_it_arrives(tmp_path: Path) -> None:
    """A run killed halfway keeps the batches it finished: the next run computes only the rest."""

    def dies_after_one(keys: list[str]) -> Iterator[pl.DataFrame]:
        yield next(upper(keys))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(["a", "b"], tmp_path, dies_after_one)
    result, stats = run(["a", "b"], tmp_path)
    assert (stats.reused, stats.computed) == (1, 1)
    assert sorted(result["value"].to_list()) == ["A", "B"]


def test_removed_keys_are_dropped_and_nothing_is_rewritten_without_change(tmp_path: Path) -> None:
    run(["a", "b"], tmp_path)
    result, stats = run(["b"], tmp_path)
    assert result["key"].to_list() == ["b"] and stats.dropped == 1
    before = {p: p.stat().st_mtime_ns for p in memo_dir("t", tmp_path).iterdir()}
    run(["b"], tmp_path)
    assert {p: p.stat().st_mtime_ns for p in memo_dir("t", tmp_path).iterdir()} == before


def test_many_parts_are_compacted_into_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(memo, "MAX_PARTS", 3)
    result, _ = run(list("abcd"), tmp_path)
    assert len(list(memo_dir("t", tmp_path).iterdir())) == 1
    assert sorted(result["value"].to_list()) == list("ABCD")


def test_results_of_another_code_version_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / "t-0000000000000000"
    stale.mkdir()
    pl.DataFrame({"key": ["a"], "value": ["A"]}).write_parquet(stale / "part-1.parquet")
    run(["a"], tmp_path)
    assert not stale.exists()


def test_without_a_cache_results_stay_in_memory(tmp_path: Path) -> None:
    result, stats = run(["a", "b"], None)
    assert sorted(result["value"].to_list()) == ["A", "B"] and stats.computed == 2


def test_compute_must_answer_every_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one row per key"):
        run(["a", "b"], tmp_path, lambda keys: upper(keys[:1]))


def test_every_module_the_tasks_run_is_in_the_pipeline_version():
    """A rule changed in any module a task imports, directly or not, must recompute the memo (figures.py was
    once left out: a change to it kept the old facts)."""
    import ast

    from pipeline.memo import PACKAGE_DIR, STAGE_MODULES

    def imported(name: str) -> set[str]:
        tree = ast.parse((PACKAGE_DIR / f"{name}.py").read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "pipeline":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline."):
                found.add(node.module.split(".")[1])
        return found

    seen, todo = set(), ["tasks"]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += imported(name)
    assert seen - set(STAGE_MODULES) == set()


def in_three_files(missing: list[str]) -> Iterator[pl.DataFrame]:
    """A compute that yields its rows 100 at a time: the memo keeps three files for 300 keys."""
    for start in range(0, len(missing), 100):
        part = missing[start : start + 100]
        yield pl.DataFrame({"key": part, "value": [k.upper() for k in part]}, schema=SCHEMA)


@pytest.mark.parametrize("per_file", [16, 1], ids=["a slice per row", "a range per file"])
def test_rows_of_a_few_keys_are_sliced_out_of_the_memo(tmp_path: Path, monkeypatch, per_file: int) -> None:
    """A lookup of a few keys reads their rows only, and gives what a filter of the whole memo gives."""
    monkeypatch.setattr(memo, "MAX_SLICES_PER_FILE", per_file)
    keys = [f"k{i:03}" for i in range(300)]
    run(keys, tmp_path, in_three_files)
    wanted = ["k007", "k150", "k151", "k299", "absent"]
    rows = memo.memo_rows("t", tmp_path, wanted, schema=SCHEMA).collect().sort("key")
    assert rows["value"].to_list() == ["K007", "K150", "K151", "K299"]
    monkeypatch.setattr(memo, "MAX_SLICED_KEYS", 2)  # many keys: one scan of the memo
    assert memo.memo_rows("t", tmp_path, wanted, schema=SCHEMA).collect().sort("key").equals(rows)
    assert memo.memo_rows("t", tmp_path, [], schema=SCHEMA).collect().is_empty()


@pytest.mark.parametrize("sliced_keys", [2_000, 2], ids=["a few keys", "many keys"])
def test_rows_read_in_batches_are_the_rows_of_the_keys(tmp_path: Path, monkeypatch, sliced_keys: int) -> None:
    """The load reads memo rows a batch at a time: no batch holds more than the rows asked for, and together
    they are every wanted row once, whether the keys are few (sliced out) or many (files read in ranges)."""
    monkeypatch.setattr(memo, "MAX_SLICED_KEYS", sliced_keys)
    keys = [f"k{i:03}" for i in range(300)]
    run(keys, tmp_path, in_three_files)
    wanted = [*keys[5:40], *keys[120:290:3], "absent"]
    read = [b.collect() for b in memo.memo_batches("t", tmp_path, wanted, schema=SCHEMA, rows=16)]
    assert max(b.height for b in read) <= 16
    assert len(read) > len(wanted) // 16
    rows = pl.concat(read).sort("key")
    assert rows["key"].to_list() == sorted(wanted[:-1])
    assert rows["value"].to_list() == [k.upper() for k in sorted(wanted[:-1])]
    assert list(memo.memo_batches("t", tmp_path, [], schema=SCHEMA)) == []
