"""What every page shares: the one warehouse connection of the server process, and the source note."""

from __future__ import annotations

import streamlit as st

from dashboard.warehouse import Warehouse, WarehouseMissingError, default_path

MARK_CSS = """
<style>
.sti-report { white-space: pre-wrap; line-height: 1.8; max-height: 32rem; overflow-y: auto;
  padding: 0.8rem; border: 1px solid #ddd; border-radius: 0.4rem; }
mark.sti-mark { background: #fff3b0; padding: 0 1px; }
mark.sti-selected { background: #f6ad55; font-weight: 600; }
</style>
"""


@st.cache_resource
def _warehouse(path: str) -> Warehouse:
    return Warehouse(path)


def warehouse() -> Warehouse | None:
    """The server's read-only warehouse (it reopens by itself after a publish), or None with an
    explanation on the page when nothing has been published yet."""
    wh = _warehouse(str(default_path()))
    try:
        wh.identity()
    except WarehouseMissingError as exc:
        st.error(f"{exc}")
        return None
    return wh


def source(wh: Warehouse, tables: str) -> str:
    """The source note of a chart or table: which tables, of which published file, from when."""
    published = wh.identity().published_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return f"{tables} · {wh.path.name} published {published}"


def caption_source(wh: Warehouse, tables: str) -> None:
    st.caption(f"来源 source: {source(wh, tables)}")


def empty(message: str) -> None:
    """What a page says instead of a chart when a selection has no data."""
    st.info(message, icon="ℹ️")
