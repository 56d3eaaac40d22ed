"""Streamlit glue shared by pages: cached connection and queries, sidebar, widgets, formatting."""
