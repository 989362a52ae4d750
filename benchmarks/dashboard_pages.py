"""Benchmark: each dashboard page's render time on the benchmark warehouse (not a test: it prints figures).

    python -m benchmarks.dashboard_pages --build /tmp/sti-dash-bench   # generate ~20,000 reports, run, time
    python -m benchmarks.dashboard_pages --warehouse /tmp/sti-dash-bench/warehouse.duckdb

The warehouse is built from files made by `benchmarks.throughput.generate` (the samples with figures
redrawn and paragraphs lengthened to real length): 14,550 files give about 20,000 reports.

A page's render time is the server's run of its script in Streamlit's own harness (queries, formatting,
chart specs, elements sent), as a page load costs the server. "after a publish" is the first load once
the file has changed (the connection is reopened and nothing is cached, as after a run publishes);
"again" is the next load of the same page. The browser's drawing is not included there; `--browser`
also times each page in headless Chromium (/usr/bin/chromium) from navigation until Streamlit has
finished the script and Vega has drawn every chart, against a `streamlit run` server.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import duckdb

from benchmarks.throughput import PROJECT_DIR, generate
from dashboard.nav import PAGES as PAGE_TITLES


def build_warehouse(out_dir: Path, files: int, seed: int, lengthen: float) -> Path:
    """Generate the corpus and materialize every asset into `out_dir/warehouse.duckdb`, once."""
    import dagster as dg

    from pipeline.run import parse_dbt_project_if_changed

    raw, warehouse = out_dir / "raw", out_dir / "warehouse.duckdb"
    if not raw.exists():
        generate(PROJECT_DIR / "data" / "raw", raw, files, seed, lengthen)
    os.environ["STI_RAW_DIR"], os.environ["STI_WAREHOUSE"] = str(raw), str(warehouse)
    parse_dbt_project_if_changed(warehouse)  # the definitions read dbt's manifest
    from pipeline.definitions import defs

    start = time.perf_counter()
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(instance=dg.DagsterInstance.ephemeral())
    print(f"pipeline run over {files} files: {time.perf_counter() - start:.1f} s, success={result.success}")
    return warehouse


PAGES = ("overview", "compare", "region", "terms", "quality")


def busiest_region(warehouse: Path) -> str:
    """The region key (dashboard.data.Region.key) with the most years: the region page's worst case."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "select region_level, province, city, county from marts.region_period_choice"
            " group by all order by count(*) desc, sum(n_reports) desc limit 1"
        ).fetchone()
    return "|".join(part or "" for part in row)


def time_pages(warehouse: Path, rounds: int) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["STI_WAREHOUSE"] = str(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        reports, facts = con.execute(
            "select (select count(*) from core.documents), (select count(*) from core.indicator_observations)"
        ).fetchone()
    print(
        f"warehouse: {warehouse} ({reports:,} reports, {facts:,} figures, {warehouse.stat().st_size / 2**20:.1f} MiB)"
    )
    app = AppTest.from_file(str(PROJECT_DIR / "dashboard" / "app.py"), default_timeout=300)
    start = time.perf_counter()
    app.run()
    print(f"first page load of a new server process (imports included): {time.perf_counter() - start:.2f} s")
    region = busiest_region(warehouse)
    app.query_params["region"] = region

    def load(page: str) -> float:
        app.switch_page(f"views/{page}.py")
        app.query_params["region"] = region
        begin = time.perf_counter()
        app.run()
        elapsed = time.perf_counter() - begin
        if app.exception:
            raise RuntimeError(f"{page}: {[e.value for e in app.exception]}")
        return elapsed

    for page in PAGES:  # the one-off costs of a process: imports, the map's boundaries
        load(page)
    cold: dict[str, list[float]] = {page: [] for page in PAGES}
    warm: dict[str, list[float]] = {page: [] for page in PAGES}
    for _ in range(rounds):
        for page in PAGES:
            now = time.time_ns()
            os.utime(warehouse, ns=(now, now))  # what a publish changes: the file's identity
            cold[page].append(load(page))
            warm[page].append(load(page))
    print(f"region page: {region}")
    print(f"{'page':<10}{'after a publish s':>20}{'again s':>10}   (median of {rounds}; max after a publish)")
    for page in PAGES:
        print(f"{page:<10}{statistics.median(cold[page]):>20.3f}{statistics.median(warm[page]):>10.3f}"
              f"   max {max(cold[page]):.3f}")  # fmt: skip


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
DONE = """title => !document.querySelector('[data-testid=stStatusWidget]')
    && document.querySelector('h1') !== null && document.querySelector('h1').innerText.trim() === title
    && Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart]')).every(c => c.querySelector('svg'))"""


def route(name: str) -> str:
    """A page's path: the default page (overview) lives at the root, not at its url_path."""
    return "" if name == "overview" else name


def time_pages_in_browser(warehouse: Path, rounds: int) -> None:
    """Per page: opened by its URL (Streamlit's front end starts anew) and reached from the sidebar."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "dashboard" / "app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    env = {**os.environ, "STI_WAREHOUSE": str(warehouse), "PYTHONPATH": str(PROJECT_DIR)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
            time.sleep(0.2)
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            viewport = {"width": 1400, "height": 1400}
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS, viewport=viewport
            )
            page = context.new_page()
            loads: dict[str, list[float]] = {name: [] for name in PAGES}
            switches: dict[str, list[float]] = {name: [] for name in PAGES}

            def done(name: str, begin: float) -> float:
                # The page's own title in its h1 and no running script: the old page's elements are gone.
                page.wait_for_function(DONE, arg=PAGE_TITLES[name], timeout=60_000, polling=10)
                return time.perf_counter() - begin

            for round_no in range(rounds + 1):  # the first round pays the server's one-off costs: not counted
                for name in PAGES:
                    begin = time.perf_counter()
                    page.goto(f"{url}/{route(name)}")
                    loaded = done(name, begin)
                    other = PAGES[(PAGES.index(name) + 1) % len(PAGES)]
                    begin = time.perf_counter()
                    page.locator(f"[data-testid=stSidebarNav] a[href='{url}/{route(other)}']").click()
                    switched = done(other, begin)
                    if round_no:
                        loads[name].append(loaded)
                        switches[other].append(switched)
            context.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{'page':<10}{'Chromium: URL opened s':>24}{'sidebar click s':>17}   (median of {rounds}; until charts drawn)"
    )
    for name in PAGES:
        print(f"{name:<10}{statistics.median(loads[name]):>24.3f}{statistics.median(switches[name]):>17.3f}"
              f"   max {max(loads[name]):.3f} / {max(switches[name]):.3f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, help="folder to generate the corpus and warehouse in")
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse to time the pages on")
    parser.add_argument("--files", type=int, default=14550)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lengthen", type=float, default=3.5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also time each page in headless Chromium")
    args = parser.parse_args()
    warehouse = args.warehouse
    if args.build:
        warehouse = build_warehouse(args.build, args.files, args.seed, args.lengthen)
    if warehouse is None:
        parser.error("give --build or --warehouse")
    time_pages(warehouse, args.rounds)
    if args.browser:
        time_pages_in_browser(warehouse, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
