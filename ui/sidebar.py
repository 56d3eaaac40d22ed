"""The one sidebar every page shares: province, month and window, kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import data


@dataclass(frozen=True)
class Selection:
    state: data.DataState
    province_code: str | None
    province_name: str
    period: str | None
    window: int

    @property
    def has_data(self) -> bool:
        return self.province_code is not None


def render() -> Selection:
    state = data.current()
    provinces = data.provinces_with_data(state.data_dir, state.version) if state.version else []
    periods = data.periods(state.data_dir, state.version) if state.version else []
    with st.sidebar:
        st.markdown("### 查看范围")
        if not provinces:
            st.info("还没有数据：请到「数据上传」页导入，或运行 `python -m analysis demo` 写入演示数据。")
            return Selection(state, None, "", None, 12)
        names = dict(provinces)
        province = st.selectbox("省份", list(names), format_func=names.get, key="province", bind="query-params")
        period = None
        if periods:
            period = st.selectbox(
                "统计月份",
                periods[::-1],
                key="period",
                bind="query-params",
                help="库存取该月月末数；月均销售取截至该月的滚动窗口",
            )
        window = st.radio(
            "月均销售窗口",
            [12, 6],
            format_func=lambda w: f"近{w}个月",
            key="window",
            horizontal=True,
            bind="query-params",
            help="去化周期 = 可售面积 ÷ 窗口内月均销售面积",
        )
        st.caption("口径：广义库存（可售面积），按面积计算；区间左闭右开。")
    return Selection(state, province, names[province], period, int(window))
