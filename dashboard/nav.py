"""The dashboard's pages and how one page opens another (Streamlit finds a page by its url_path).

Each page is a file in dashboard/views/ whose `render()` Streamlit runs as the page's script, so
that Streamlit's test harness can switch to it by its file and a test can import its functions.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent / "views"
# No page icons: Streamlit turns a page's icon into the tab's favicon by fetching it from the internet.
PAGES = {
    "overview": "概览 Overview",
    "compare": "地区比较 Compare regions",
    "region": "地区 Region",
    "terms": "术语 Terms",
    "quality": "数据质量 Data quality",
}


def page(name: str) -> st.Page:
    return st.Page(PAGES_DIR / f"{name}.py", title=PAGES[name], url_path=name, default=name == "overview")


def all_pages() -> list[st.Page]:
    return [page(name) for name in PAGES]
