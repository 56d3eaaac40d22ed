"""数据: what is loaded, from when and which import; who has reported for each month (报送进度)."""

from __future__ import annotations

import streamlit as st

from analysis import catalogue, charts, maps
from analysis import format as fmt
from analysis.history import history_frame
from analysis.series import previous_period
from ui import access, data, page, tables, text, widgets

sel = page.setup("数据")
store = sel.state.store
hist = history_frame(store)
if hist.empty:
    widgets.empty_state("数据目录中还没有任何提交。")
    page.stop()
v = data.manifest(sel.state.data_dir, sel.state.version)
st.markdown(f"**当前版本 {v.version}**（{v.created_at.replace('T', ' ')}，{'演示数据' if v.is_synthetic else '导入'}）")
if access.is_admin():  # the server's own paths: to admins only
    st.caption(f"数据目录（服务器上）：`{text.plain(sel.state.data_dir)}`")

if sel.has_data and sel.period:
    st.subheader(f"报送进度：{sel.province_name}")
    months = st.slider("显示最近几个月", 3, 36, 12, key="ds_months")
    first = previous_period(sel.period, months - 1)
    sub = data.submissions_frame(sel.state.data_dir, sel.state.version, sel.province_code, first, sel.period)
    latest = sub[sub.period == sel.period]
    missing = latest[~latest.submitted]
    n = len(latest)
    widgets.cards(
        [
            widgets.Card(f"{sel.period} 已报送县（市、区）", f"{n - len(missing)}/{n}"),
            widgets.Card("未报送", f"{len(missing)}"),
            widgets.Card("报送率", fmt.percent((n - len(missing)) / n, 0) if n else "—"),
        ],
        key="submissions",
    )
    if missing.empty:
        st.success(f"{sel.period} 全省各县（市、区）均已报送商品住房库存数据。")
    else:
        st.error(
            f"{sel.period} 未报送库存数据的县（市、区）："
            + "、".join(text.plain(n) for n in missing.city_name + missing.region_name)
        )
        widgets.downloads(
            missing.rename(columns={"city_name": "市", "region_name": "县（市、区）", "region_code": "代码"})[
                ["市", "县（市、区）", "代码"]
            ],
            key="missing",
            file_stem=f"{sel.province_name}_{sel.period}_未报送",
        )
    st.plotly_chart(charts.submission_grid(sub, "报送进度（蓝：已报送；橙：未报送）"), config=charts.CONFIG)

if access.is_national():  # other provinces' figures: to national accounts only
    st.subheader("全国：已有数据的省份")
    national = data.metrics_frame(sel.state.data_dir, sel.state.version, "province", None, sel.period, sel.window)
    st.plotly_chart(
        maps.china_by_province(
            national,
            color="destock_band",
            title="各省去化周期分档（灰色：尚无数据）",
            hover=[("destock_months", "去化周期"), ("saleable_area_m2", "可售面积")],
        ),
        config=maps.MAP_CONFIG,
    )

st.subheader("版本历史")
tables.text_table(hist, key="history")
widgets.downloads(hist, key="history", file_stem="版本历史")
st.caption(
    "每次导入、写入演示数据或回退都会生成新版本；旧版本不会删除，可在「数据上传」页或命令行 "
    "`python -m analysis rollback 版本号` 回退。"
)
st.subheader("当前版本包含的数据")
parts = [
    {
        "数据类型": catalogue.kind_label(t),
        "省份代码": f"{p}0000",
        "文件": info["file"],
        "演示数据": "是" if info.get("synthetic") else "",
    }
    for t, ps in v.tables.items()
    for p, info in ps.items()
    if access.may_read(f"{p}0000")
]
st.dataframe(parts, hide_index=True, height="content")
