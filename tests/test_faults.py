"""Faults as tests: a run killed with SIGKILL inside each step, or a write that fails for lack of space,
then a clean run: the warehouse equals an uninterrupted run's, and the published file was never half
written. A small corpus (four files: a compilation, a report and its repost, one more) keeps them fast."""

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline import run
from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all
from tests.test_golden_rows import core_rows

KILLED_RUN = Path(__file__).parent / "processes" / "killed_run.py"
FILES = ("kjj_zongjie_jingxuan.txt", "2023_huzhou_deqing_annual.txt", "mirror/deqing_kjj_2023_repost.txt")
ADDED = "quanzhou_2024q1.txt"


def small_corpus(root: Path, files: tuple[str, ...] = FILES) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_RAW_DIR / name, root / name)
    return root


def rows(warehouse: Path) -> list[str]:
    """Every core row (tests/test_golden_rows.py) and every mart row."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = [
            f"{name}: {row!r}"
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
            for row in sorted(con.execute(f'select * from marts."{name}"').fetchall(), key=repr)
        ]
    return core_rows(warehouse) + marts


@pytest.fixture(scope="module")
def reference(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """Uninterrupted runs: the rows of the small corpus, and with one more file."""
    root = tmp_path_factory.mktemp("reference")
    raw = small_corpus(root / "raw")
    assert materialize_all(defs, raw, root / "before.duckdb").success
    shutil.copy(SAMPLE_RAW_DIR / ADDED, raw / ADDED)
    assert materialize_all(defs, raw, root / "after.duckdb").success
    return rows(root / "before.duckdb"), rows(root / "after.duckdb")


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One warehouse path for every faulty run, parsed for by dbt once (the profile names the path)."""
    root = tmp_path_factory.mktemp("faults")
    warehouse = root / "w" / "warehouse.duckdb"
    run.parse_dbt_project_if_changed(warehouse)
    return root, warehouse


def fresh(root: Path, warehouse: Path) -> dict[str, str]:
    """Empty the place: no warehouse, no cache, a new raw folder and Dagster home."""
    for path in (root / "raw", root / "home", warehouse.parent):
        shutil.rmtree(path, ignore_errors=True)
    (root / "home").mkdir()
    raw = small_corpus(root / "raw")
    return {**os.environ, "STI_RAW_DIR": str(raw), "STI_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(root / "home")}


@pytest.mark.parametrize("step", ["normalize", "analyze", "load", "dbt", "publish"])
def test_a_run_killed_inside_a_step_then_a_clean_run(
    defs: dg.Definitions, reference: tuple[list[str], list[str]], place: tuple[Path, Path], step: str
) -> None:
    root, warehouse = place
    env = fresh(root, warehouse)
    killed = subprocess.run([sys.executable, str(KILLED_RUN), step], cwd=PROJECT_DIR, env=env, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert warehouse.exists() == (step == "publish"), "only the rename itself publishes"
    assert materialize_all(defs, root / "raw", warehouse).success  # takes the lock the killed run held
    assert rows(warehouse) == reference[0]


def test_a_write_failing_for_lack_of_space_leaves_the_published_file_whole(
    defs: dg.Definitions, reference: tuple[list[str], list[str]], place: tuple[Path, Path]
) -> None:
    root, warehouse = place
    env = fresh(root, warehouse)
    assert materialize_all(defs, root / "raw", warehouse).success
    before = warehouse.read_bytes()
    shutil.copy(SAMPLE_RAW_DIR / ADDED, root / "raw" / ADDED)
    limit = len(before) // 2  # the build starts as a copy of the published file: it cannot be written whole

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = subprocess.run(
        [sys.executable, "-m", "pipeline.run"], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
        preexec_fn=small_disk,
    )  # fmt: skip
    assert full.returncode == 1, full.stdout[-2000:] + full.stderr[-2000:]
    assert "a write failed (File too large)" in full.stdout
    assert warehouse.read_bytes() == before
    assert materialize_all(defs, root / "raw", warehouse).success
    assert rows(warehouse) == reference[1]
