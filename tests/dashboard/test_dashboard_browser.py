"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright, loads every page
from a `streamlit run` server, checks what a person would see, and follows a publish."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import dagster as dg
import pytest
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import PROJECT_DIR, materialize_all
from tests.dashboard.conftest import APP, EXTRA_REPORT

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a sandboxed machine without network: no GPU, no background traffic, a fresh profile.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
NO_DATA_FILL = "#d9d9d9"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dashboard_server(warehouse: Path, log: Path) -> Iterator[str]:
    """`streamlit run dashboard/app.py` as `make dashboard` starts it, on a free port."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]  # fmt: skip
    env = {**os.environ, "STI_WAREHOUSE": str(warehouse), "PYTHONPATH": str(PROJECT_DIR)}
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def chromium(profile: Path) -> Iterator[tuple[Page, list[str]]]:
    """A page of headless Chromium, and every URL it requested."""
    with sync_playwright() as playwright:
        # A new, empty profile per test (Playwright passes it to Chromium as --user-data-dir).
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=FLAGS, viewport={"width": 1400, "height": 2400}
        )
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        try:
            yield page, requested
        finally:
            context.close()


def settle(page: Page) -> None:
    """Wait until Streamlit has run the page's script and Vega has drawn its charts."""
    page.wait_for_selector("h1", timeout=60_000)
    # The script may finish before its running indicator could be seen: then there is nothing to wait for.
    with suppress(PlaywrightTimeoutError):
        page.wait_for_selector("[data-testid=stStatusWidget]", state="attached", timeout=3_000)
    page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=60_000)
    page.wait_for_timeout(1_000)
    no_dialog(page)


def no_dialog(page: Page) -> None:
    """Streamlit answers an unknown path with a 'Page not found' dialog over the main page."""
    assert page.locator("[role=dialog]").count() == 0, page.locator("[role=dialog]").first.inner_text()


def visible_text(page: Page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


def metric(page: Page, label: str) -> str:
    """The value a metric shows under its label."""
    box = page.locator("[data-testid=stMetric]").filter(has_text=label).first
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_every_page_in_chromium(warehouse: Path, tmp_path: Path) -> None:
    with (
        dashboard_server(warehouse, tmp_path / "server.log") as url,
        chromium(tmp_path / "profile") as (
            page,
            requested,
        ),
    ):
        page.goto(f"{url}/")  # the default page lives at the root
        settle(page)
        text = visible_text(page)
        assert "概览 Overview" in text and metric(page, "报告 reports") == "10"
        assert metric(page, "年份 years") == "2021–2024" and "隔离 Quarantine" in text
        page.screenshot(path=tmp_path / "overview.png")

        page.goto(f"{url}/compare")
        settle(page)
        page.get_by_text("年份 year").first.wait_for()
        text = visible_text(page)
        assert "德清县（浙江省 湖州市）" in text and "3,860 万元" in text
        svgs = page.locator("[data-testid=stVegaLiteChart] svg")
        assert svgs.count() == 2, "the ranking's bars and the map"
        map_svg = svgs.nth(1)
        # Vega draws each layer of the map as a group of paths: every province grey, the provinces
        # with a figure coloured on top, then the boundary lines.
        layers = map_svg.evaluate(
            "svg => Array.from(svg.querySelectorAll('g.mark-shape')).map("
            "g => Array.from(g.querySelectorAll('path')).map(p => p.getAttribute('fill')))"
        )
        assert len(layers) == 3 and len(layers[0]) == 34 and set(layers[0]) == {NO_DATA_FILL}, layers[0]
        assert len(layers[1]) == 2 and all(fill.startswith("rgb(") for fill in layers[1]), "浙江省 and 重庆市"
        assert map_svg.bounding_box()["height"] > 300
        page.screenshot(path=tmp_path / "compare.png")

        page.get_by_text("→ open its page").click()
        page.wait_for_url("**/region?region=*")
        settle(page)
        text = visible_text(page)
        assert "德清县（浙江省 湖州市）" in text
        assert page.locator("mark.sti-mark").count() >= 5, "the evidence clauses are marked in the report"
        assert "2023年" in page.locator(".sti-report").inner_text()
        page.screenshot(path=tmp_path / "region.png")

        page.goto(f"{url}/terms")
        settle(page)
        assert page.locator("[data-testid=stVegaLiteChart] svg path").count() >= 10, "the heatmap's cells"
        assert "术语 Terms" in visible_text(page)
        page.screenshot(path=tmp_path / "terms.png")

        page.goto(f"{url}/quality")
        settle(page)
        text = visible_text(page)
        assert "counted reports without a province" in text
        assert "redacted figures" in text
        page.screenshot(path=tmp_path / "quality.png")

    outside = sorted({u for u in requested if not u.startswith(url) and not u.startswith("data:")})
    assert outside == [], "nothing is loaded from the internet"
    assert all((tmp_path / f"{name}.png").stat().st_size > 10_000 for name in ("overview", "compare", "region"))


def test_an_open_dashboard_follows_a_publish_and_never_blocks_it(
    defs: dg.Definitions, corpus_copy: Path, tmp_path: Path
) -> None:
    warehouse = corpus_copy / "warehouse.duckdb"
    with dashboard_server(warehouse, tmp_path / "server.log") as url, chromium(tmp_path / "profile") as (page, _):
        page.goto(f"{url}/")  # the default page lives at the root
        settle(page)
        assert metric(page, "报告 reports") == "10"  # the server now holds the published file open
        (corpus_copy / "raw" / "new_report.txt").write_text(EXTRA_REPORT, encoding="utf-8")
        assert materialize_all(defs, corpus_copy / "raw", warehouse).success, "the open dashboard blocks no run"
        page.reload()
        settle(page)
        assert metric(page, "报告 reports") == "11", "the next page load shows the new data, no restart"
        page.screenshot(path=tmp_path / "overview_after_publish.png")
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
