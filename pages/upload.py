"""Placeholder: this page is being built."""

from __future__ import annotations

import streamlit as st

from ui import page

sel = page.setup("数据上传")
st.info("本页正在建设中。")
