"""Widgets every page uses: the synthetic-data banner, 口径 expanders, tables and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.export import UNITS, for_people, header, to_csv_bytes, to_excel_bytes
from analysis.glossary import enum_label, formula, label
from ui import data


def demo_banner(state: data.DataState) -> None:
    if state.version and data.manifest(state.data_dir, state.version).is_synthetic:
        st.warning(
            "**演示数据**：当前显示的是内置的合成数据（模拟山西、辽宁 2015–2017 年），不是真实统计，"
            "不能作为决策依据。导入真实报表后，相应地区的数据将被替换。",
            icon=":material/warning:",
        )


def formulas(columns: list[str], title: str = "口径（指标公式）") -> None:
    with st.expander(title):
        lines = [f"- **{label(c)}**：{formula(c)}" for c in columns if formula(c)]
        st.markdown("\n".join(lines))


def table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    key: str,
    file_stem: str,
    notes: list[str] | None = None,
    height: int | None = None,
    on_select: str = "ignore",
):
    """A table with Chinese headers and display units, plus CSV and Excel downloads of what it shows."""
    shown = for_people(frame, columns)
    config = {}
    for col in columns:
        if col in UNITS:
            unit = UNITS[col][0]
            fmt = "%.1f%%" if unit == "%" else ("%.1f" if unit == "个月" else "%.2f")
            config[header(col)] = st.column_config.NumberColumn(format=fmt)
        elif pd.api.types.is_integer_dtype(frame[col]):
            config[header(col)] = st.column_config.NumberColumn(format="localized")
    event = st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        key=key,
        height=height or "auto",
        on_select=on_select,
        selection_mode="single-row",
    )
    downloads(shown, key=key, file_stem=file_stem, notes=notes)
    return event


def downloads(shown: pd.DataFrame, *, key: str, file_stem: str, notes: list[str] | None = None) -> None:
    """CSV and Excel of what a table shows; the files are built only when a button is clicked."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        "下载 CSV",
        lambda: to_csv_bytes(shown),
        f"{file_stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    c2.download_button(
        "下载 Excel",
        lambda: to_excel_bytes({file_stem: shown}, notes),
        f"{file_stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )


def band_text(band: str | None) -> str:
    return enum_label("destock_band", band) if isinstance(band, str) else "无成交"


def empty_state(message: str) -> None:
    st.info(message + "\n\n数据可在「数据上传」页导入；也可以在命令行运行 `python -m analysis demo` 写入演示数据。")
