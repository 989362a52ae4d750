"""The regional comparison dashboard over the published warehouse (Streamlit, read-only)."""
