"""An incrementally maintained warehouse equals a fresh build of the same files, table by table.

One warehouse is brought through rounds of changes to its raw folder (files added, edited, moved to
another region-year, deleted, renamed), each followed by a run on that same warehouse. After each round a
fresh warehouse is built from the same raw folder into another path, and every table and view of the
schemas core, staging and marts (found in information_schema, so a new table is compared without editing
this file) must hold the same rows in both, as multisets. This is the safety net of the incremental load
and of incremental marts: it checks what they produce, not how.
"""

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all

# Tables and views that are the warehouse's own bookkeeping, not data: they legitimately differ between a
# patched warehouse and a fresh one, so they are not compared. load_state records what the published file
# was built from; load_changes (and its staging view) lists the reports the last patch rewrote, for the
# incremental marts, and is empty after a fresh build. Nothing else belongs here: a table an incremental
# implementation adds for its own bookkeeping is named here explicitly, and any other table is compared.
INTERNAL_TABLES = frozenset({"core.load_state", "core.load_changes", "staging.stg_load_changes"})
SCHEMAS = ("core", "staging", "marts")
ROWS_SHOWN = 5
VALUE_CHARS = 60  # a differing row's long values (a report's text) are cut to this in the message

LABELLED = PROJECT_DIR / "tests" / "fixtures" / "labelled"

# The raw folder of the first round: the sample corpus (its compilation of four reports, and a repost of
# the Deqing report under mirror/), plus labelled files in folders of their own. copies/changshu_2022.txt
# is a byte copy of set12's r04 that sorts first, so it is the first copy and r04 its duplicate.
INITIAL_FILES = {
    "set12/r01_changshu_2023_q1.txt": "set12/raw/r01_changshu_2023_q1.txt",
    "set12/r02_changshu_2023_h1.txt": "set12/raw/r02_changshu_2023_h1.txt",
    "set12/r04_changshu_2022_annual.txt": "set12/raw/r04_changshu_2022_annual.txt",
    "copies/changshu_2022.txt": "set12/raw/r04_changshu_2022_annual.txt",
    "set12/r06_wuhu_2022_h1.txt": "set12/raw/r06_wuhu_2022_h1.txt",
    "set12/r16_zhangshu_2023_h1_crlf.txt": "set12/raw/r16_zhangshu_2023_h1_crlf.txt",
    "set14/u01_tianjin_wuqing_2022_q1.txt": "set14/raw/u01_tianjin_wuqing_2022_q1.txt",
    "set14/u05_cangzhou_2024_q3.txt": "set14/raw/u05_cangzhou_2024_q3.txt",
    "set14/u07_cangzhou_2023_annual.txt": "set14/raw/u07_cangzhou_2023_annual.txt",
    "set2/g07_compilation_three.txt": "set2/raw/g07_compilation_three.txt",
}


def copy_in(raw: Path, name: str, fixture: str) -> None:
    (raw / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(LABELLED / fixture, raw / name)


_mtime_offset = iter(range(1, 10_000))


def edit(raw: Path, name: str, *replacements: tuple[str, str]) -> None:
    """Replace text in a UTF-8 file, in order, and give the file an mtime of its own, so the listing cannot
    take it for the unchanged file even where its size stays the same."""
    path = raw / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{name} no longer contains {old!r}: the round's edit needs updating"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    stamp = time.time_ns() - 3_600_000_000_000 + next(_mtime_offset) * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def move(raw: Path, name: str, to: str) -> None:
    (raw / to).parent.mkdir(parents=True, exist_ok=True)
    (raw / name).rename(raw / to)


def round_initial(raw: Path) -> None:
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    for name, fixture in INITIAL_FILES.items():
        copy_in(raw, name, fixture)


def round_add(raw: Path) -> None:
    # A region and a year the warehouse has never seen (Aksu 2014, GB18030 bytes).
    copy_in(raw, "set14/u12_akesu_2014_annual.txt", "set14/raw/u12_akesu_2014_annual.txt")
    # Wuhu 2022 had only its half-year report: the annual one must now be the report the marts use.
    copy_in(raw, "set12/r07_wuhu_2022_annual.txt", "set12/raw/r07_wuhu_2022_annual.txt")
    # A file the quarantine takes (empty).
    (raw / "broken").mkdir()
    (raw / "broken" / "empty.txt").write_bytes(b"")


def round_change(raw: Path) -> None:
    # A figure of the report Changshu 2023 is compared by: a fact value and its mart cell change.
    edit(raw, "set12/r02_changshu_2023_h1.txt", ("参训人员840人次", "参训人员8400人次"))
    # Cangzhou's 2023 report becomes a 2022 one: Cangzhou 2023 loses its only report, 2022 gains one.
    edit(raw, "set14/u07_cangzhou_2023_annual.txt", ("2023", "2022"), ("2024", "2023"))
    # One report of a compilation moves to another city: every report id of that file changes.
    edit(raw, "set2/g07_compilation_three.txt", ("长治市科技局2021年度工作总结", "晋城市科技局2021年度工作总结"))


def round_delete(raw: Path) -> None:
    # The first of two byte-identical files: the other stops being its duplicate and becomes the first copy.
    (raw / "copies" / "changshu_2022.txt").unlink()
    # The only report of Zhangshu 2023: its mart rows must disappear.
    (raw / "set12" / "r16_zhangshu_2023_h1_crlf.txt").unlink()
    # Wuhu 2022 falls back to its half-year report.
    (raw / "set12" / "r07_wuhu_2022_annual.txt").unlink()
    (raw / "broken" / "empty.txt").unlink()


def round_move(raw: Path) -> None:
    # The Deqing report now sorts after its repost under mirror/: the repost becomes the first copy.
    move(raw, "2023_huzhou_deqing_annual.txt", "zz_archive/2023_huzhou_deqing_annual.txt")
    move(raw, "set14/u01_tianjin_wuqing_2022_q1.txt", "set14/moved/u01_wuqing_q1.txt")


def round_nothing(raw: Path) -> None:
    pass


# Each round: what it does to the raw folder, and a query on the fresh warehouse of that round whose
# answer shows the round did what it says (so that a change of the rules cannot leave the test comparing
# warehouses the round never made different), with the answer expected.
ROUNDS: list[tuple[str, Callable[[Path], None], str, object]] = [
    (
        "initial",
        round_initial,
        """select count(*) filter (where source_file = 'kjj_zongjie_jingxuan.txt') >= 3
               and count(*) filter (where source_file = 'set2/g07_compilation_three.txt') >= 3
               and bool_or(source_file = 'set12/r04_changshu_2022_annual.txt' and duplicate_of is not null)
               and bool_or(source_file = 'copies/changshu_2022.txt' and duplicate_of is null)
           from core.documents""",
        True,
    ),
    (
        "add",
        round_add,
        """select (select period_used from marts.region_period_choice where region_name = '芜湖市' and year = 2022),
                  (select count(*) from marts.region_period_choice where year = 2014),
                  (select count(*) from core.rejected_inputs)""",
        ("annual", 1, 1),
    ),
    (
        "change",
        round_change,
        """select (select count(*) from marts.region_period_choice where region_name = '沧州市' and year = 2023),
                  (select count(*) from marts.region_period_choice where region_name = '沧州市' and year = 2022),
                  (select count(*) from marts.region_period_choice where region_name = '晋城市' and year = 2021),
                  (select count(*) from marts.region_year_measures
                   where region_name = '常熟市' and year = 2023 and total_value = 8400)""",
        (0, 1, 1, 1),
    ),
    (
        "delete",
        round_delete,
        """select (select duplicate_of is null from core.documents
                   where source_file = 'set12/r04_changshu_2022_annual.txt'),
                  (select count(*) from marts.region_period_choice where region_name = '樟树市'),
                  (select period_used from marts.region_period_choice where region_name = '芜湖市' and year = 2022),
                  (select count(*) from core.rejected_inputs)""",
        (True, 0, "H1", 0),
    ),
    (
        "move",
        round_move,
        """select (select duplicate_of is not null from core.documents
                   where source_file = 'zz_archive/2023_huzhou_deqing_annual.txt'),
                  (select duplicate_of is null from core.documents
                   where source_file = 'mirror/deqing_kjj_2023_repost.txt')""",
        (True, True),
    ),
    ("nothing", round_nothing, "select count(*) > 0 from marts.region_year_measures", True),
]


def relations(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, str]:
    """`schema.name` -> table type of every table and view of SCHEMAS in `catalog`, internal ones left out."""
    rows = con.execute(
        "select table_schema || '.' || table_name, table_type from information_schema.tables "
        "where table_catalog = ? and table_schema in (select unnest(?))",
        [catalog, list(SCHEMAS)],
    ).fetchall()
    return {name: kind for name, kind in rows if name not in INTERNAL_TABLES}


def columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> dict[str, str]:
    schema, name = relation.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [catalog, schema, name],
    ).fetchall()
    return dict(rows)


def shown(names: list[str] | dict[str, str], row: tuple) -> str:
    """A row as `column=value` pairs, long values cut."""
    parts = []
    for name, value in zip(names, row, strict=True):
        text = repr(value)
        parts.append(f"{name}={text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + '…'}")
    return ", ".join(parts)


def differences(incremental: Path, fresh: Path) -> list[str]:
    """Every way the incremental warehouse differs from the fresh one, readably; empty when they are equal."""
    problems = []
    with duckdb.connect(str(incremental), read_only=True) as con:
        con.execute(f"attach '{fresh}' as fresh (read_only)")
        here = con.execute("select current_database()").fetchone()[0]
        mine, theirs = relations(con, here), relations(con, "fresh")
        if set(mine) != set(theirs):
            problems.append(
                f"tables only in the incremental warehouse: {sorted(set(mine) - set(theirs))}; "
                f"only in the fresh one: {sorted(set(theirs) - set(mine))}"
            )
        assert {"core.documents", "marts.region_year_measures"} <= set(theirs), sorted(theirs)
        for relation in sorted(set(mine) & set(theirs)):
            cols, fresh_cols = columns(con, here, relation), columns(con, "fresh", relation)
            if cols != fresh_cols:
                problems.append(f"{relation}: columns {cols} in the incremental warehouse, {fresh_cols} fresh")
                continue
            select = ", ".join(f'"{c}"' for c in fresh_cols)
            sides = (f"{here}.{relation}", f"fresh.{relation}")
            extra = {}
            for label, a, b in (("incremental", *sides), ("fresh", *reversed(sides))):
                query = f"select {select} from {a} except all select {select} from {b}"
                n = con.execute(f"select count(*) from ({query})").fetchone()[0]
                if n:
                    extra[label] = (n, con.execute(f"{query} limit {ROWS_SHOWN}").fetchall())
            if extra:
                lines = [f"{relation} ({mine[relation]}) differs:"]
                for label, (n, rows) in extra.items():
                    lines.append(f"  {n} row(s) only in the {label} warehouse, e.g.:")
                    lines += [f"    {shown(fresh_cols, row)}" for row in rows]
                problems.append("\n".join(lines))
    return problems


def load_mode(result: dg.ExecuteInProcessResult) -> str | None:
    """How the core load wrote the warehouse ('fresh build', 'published warehouse patched: …'), None if
    it wrote nothing."""
    for event in result.get_asset_materialization_events():
        if event.asset_key == dg.AssetKey(["core", "documents"]):
            meta = event.materialization.metadata
            return meta["load"].value if "load" in meta else "unknown"
    return None


def test_incremental_warehouse_equals_a_fresh_build(defs: dg.Definitions, tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "incremental" / "warehouse.duckdb"
    fresh = None
    for number, (name, change, expect_query, expected) in enumerate(ROUNDS, start=1):
        change(raw)
        started = time.monotonic()
        result = materialize_all(defs, raw, warehouse)
        assert result.success, f"round {number} ({name}): the incremental run failed"
        mode = load_mode(result)
        if number > 1 and name != "nothing":
            # The comparison only tests the incremental path if the run took it.
            assert mode is not None and not mode.startswith("fresh build"), f"round {number} ({name}): load {mode!r}"
        if name != "nothing" or fresh is None:
            # The first round compares two fresh builds (any nondeterminism shows here, not as a patch's
            # fault later); a round that changed nothing is compared with the previous fresh build.
            fresh = tmp_path / f"fresh_{number}" / "warehouse.duckdb"
            assert materialize_all(defs, raw, fresh).success, f"round {number} ({name}): the fresh build failed"
        with duckdb.connect(str(fresh), read_only=True) as con:
            got = con.execute(expect_query).fetchone()
        assert (got[0] if len(got) == 1 else got) == expected, f"round {number} ({name}) did not do what it says"
        problems = differences(warehouse, fresh)
        print(f"round {number} ({name}): load {mode!r}, {time.monotonic() - started:.1f} s")
        if problems:
            pytest.fail(
                f"round {number} ({name}): the incremental warehouse differs from a fresh build of the same files\n"
                + "\n".join(problems),
                pytrace=False,
            )
