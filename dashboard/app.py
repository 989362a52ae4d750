"""Entry point: `streamlit run dashboard/app.py` (or `make dashboard`)."""

import sys
from pathlib import Path

import streamlit as st

# Streamlit runs this file as a script; the project root must be importable from a plain checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import nav, ui

st.set_page_config(page_title="科技局工作报告 · 地区比较", layout="wide")
st.html(ui.MARK_CSS)
st.navigation(nav.all_pages()).run()
