"""Static tables: every row and column whole, long texts wrapped, cells escaped (st.table reads markdown)."""

from __future__ import annotations

import numbers

import pandas as pd
import streamlit as st

from ui import text

SHORT_WORDS = 10  # a static table's column whose every cell is this short never wraps


def text_table(shown: pd.DataFrame, *, key: str, limit: int | None = None) -> None:
    """A static table whose long texts wrap (every column whole); cells are escaped (st.table reads markdown).
    Its number columns (those in ``shown.attrs["decimals"]``) are right-aligned, and a number in them is written
    with its decimals and thousands separators (text already formatted stays as it is); a column of short
    words (at most SHORT_WORDS characters: 级别, 所在区县 …) is never broken inside a word."""
    part = shown if limit is None else shown.head(limit)
    decimals = shown.attrs.get("decimals", {})

    def shown_as(v: object, col: str) -> str:
        if v is None or v != v:
            return ""
        if col in decimals and isinstance(v, numbers.Real) and not isinstance(v, bool):  # 1,445,213
            return f"{v:,.{decimals[col]}f}"
        return text.plain(v)

    safe = part.astype(object).apply(lambda column: column.map(lambda v: shown_as(v, column.name)))
    figures = {c for c in decimals if c in safe.columns}
    length = part.astype(object).map(lambda v: 0 if v is None or v != v else len(str(v)))
    short = {c for c in safe.columns if len(safe) and int(length[c].max()) <= SHORT_WORDS}
    box = st.container(key=f"table_{key}")
    cell = f".st-key-table_{key} td:nth-child({{}})"  # the cells carry their own inline text-align
    rules = [
        *(f"{cell.format(i + 1)} {{text-align: right !important}}" for i, c in enumerate(safe.columns) if c in figures),
        *(f"{cell.format(i + 1)}, {cell.format(i + 1)} * {{white-space: nowrap !important}}"
          for i, c in enumerate(safe.columns) if c in short),
    ]  # fmt: skip
    if rules:
        box.html(f"<style>{''.join(rules)}</style>")
    box.table(safe, hide_index=True)
    if limit is not None and len(shown) > limit:
        st.caption(f"仅显示前 {limit:,} 条，共 {len(shown):,} 条；下载可得全部。")
