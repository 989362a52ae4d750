"""A warehouse built by the pipeline from the sample corpus (plus a file it must quarantine), and the
dashboard run on it in Streamlit's own test harness."""

import shutil
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_DIR, SAMPLE_RAW_DIR, materialize_all

APP = PROJECT_DIR / "dashboard" / "app.py"
# Region keys of the sample corpus (data/README.md): a county with figures and a city.
DEQING = "county|浙江省|湖州市|德清县"
WUHU = "city|安徽省|芜湖市|"
EXTRA_REPORT = (
    "某县科技局2024年一季度工作总结\n一季度，县科技局组织申报国家高新技术企业12家，兑现科技奖补资金260万元。\n"
)


@pytest.fixture(scope="session")
def corpus(defs: dg.Definitions, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `raw/` (the samples and an empty download) and the `warehouse.duckdb` published from it."""
    root = tmp_path_factory.mktemp("dashboard_corpus")
    shutil.copytree(SAMPLE_RAW_DIR, root / "raw")
    (root / "raw" / "empty_download.txt").write_bytes(b"")
    assert materialize_all(defs, root / "raw", root / "warehouse.duckdb").success
    return root


@pytest.fixture(scope="session")
def warehouse(corpus: Path) -> Path:
    """The published warehouse; tests only read it."""
    return corpus / "warehouse.duckdb"


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus and its warehouse (and the stage memo), for tests that publish or edit."""
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    return copy


@pytest.fixture
def edited_warehouse(corpus_copy: Path) -> Callable[[str], Path]:
    """A copy of the warehouse changed by SQL, as a later pipeline version might publish it."""

    def edit(sql: str) -> Path:
        path = corpus_copy / "warehouse.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute(sql)
        return path

    return edit


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the dashboard on a warehouse and show one page, as a browser at /PAGE?QUERY would."""

    def run(warehouse: Path, page: str = "overview", **query: str) -> AppTest:
        monkeypatch.setenv("STI_WAREHOUSE", str(warehouse))
        app = AppTest.from_file(str(APP), default_timeout=120)
        app.run()
        if page != "overview":
            app.switch_page(f"views/{page}.py")
        for key, value in query.items():
            app.query_params[key] = value
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    return run
