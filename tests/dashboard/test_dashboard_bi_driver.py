"""Other BI tools read the same file through duckdb-engine (DuckDB's SQLAlchemy driver), as the README
tells them to: read-only, and without a connection pool, so that they too follow a publish."""

import os
import shutil
from pathlib import Path

import duckdb
import pytest
import sqlalchemy
from sqlalchemy.pool import NullPool

REJECTED = sqlalchemy.text("select count(*) from core.rejected_inputs")


def publish_without_rejected_inputs(warehouse: Path) -> None:
    """What a run does: build a changed copy beside the file and rename it over the published one."""
    build = warehouse.with_name(warehouse.name + ".build")
    shutil.copyfile(warehouse, build)
    with duckdb.connect(str(build)) as con:
        con.execute("delete from core.rejected_inputs")
    os.replace(build, warehouse)


def test_read_only_engine_lists_the_marts_and_refuses_writes(corpus_copy: Path) -> None:
    engine = sqlalchemy.create_engine(
        f"duckdb:///{corpus_copy / 'warehouse.duckdb'}", connect_args={"read_only": True}, poolclass=NullPool
    )
    inspector = sqlalchemy.inspect(engine)
    assert {"region_year_summary", "region_year_measures"} <= set(inspector.get_table_names(schema="marts"))
    with engine.connect() as con:
        top = con.execute(
            sqlalchemy.text(
                "select region_name from marts.region_year_summary where year = 2023 and region_level = 'county'"
                " order by funding_project_grant_cny desc nulls last limit 1"
            )
        ).scalar()
        assert top == "德清县"
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            con.execute(sqlalchemy.text("create table marts.scratch as select 1"))
    engine.dispose()


def test_without_a_pool_the_next_query_sees_a_publish(corpus_copy: Path) -> None:
    warehouse = corpus_copy / "warehouse.duckdb"
    url = f"duckdb:///{warehouse}"
    pooled = sqlalchemy.create_engine(url, connect_args={"read_only": True})
    with pooled.connect() as con:
        assert con.execute(REJECTED).scalar() == 1
    publish_without_rejected_inputs(warehouse)
    with pooled.connect() as con:
        assert con.execute(REJECTED).scalar() == 1, "a pooled connection still reads the replaced file"
    pooled.dispose()
    unpooled = sqlalchemy.create_engine(url, connect_args={"read_only": True}, poolclass=NullPool)
    with unpooled.connect() as con:
        assert con.execute(REJECTED).scalar() == 0
    unpooled.dispose()
