"""The one sidebar every page shares: province, month and window, kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import data, nav


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


SHARED_KEYS = ("province", "period", "window")


def _carry_over(options: dict[str, list]) -> None:
    """Keep the selection when the navigation menu opens a page without the URL's parameters.

    The widgets are bound to the URL (a link reproduces the view); the last values are also kept in the
    session so that moving between pages does not reset them.
    """
    for key, allowed in options.items():
        last = st.session_state.get(f"_last_{key}")
        if key not in st.query_params and last is not None and last in allowed:
            st.session_state[key] = last


def _remember(**values) -> None:
    for key, value in values.items():
        st.session_state[f"_last_{key}"] = value


def render() -> Selection:
    state = data.current()
    provinces = data.provinces_with_data(state.data_dir, state.version) if state.version else []
    periods = data.periods(state.data_dir, state.version) if state.version else []
    menu = st.sidebar.container()
    with st.sidebar:
        st.divider()
        st.markdown("### 查看范围")
        if not provinces:
            st.info("还没有数据：请到「数据上传」页导入，或运行 `python -m analysis demo` 写入演示数据。")
            nav.menu(menu, {})
            return Selection(state, None, "", None, 12)
        names = dict(provinces)
        _carry_over({"province": list(names), "period": periods, "window": [12, 6]})
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
    _remember(province=province, period=period, window=window)
    params = {"province": names[province], "window": f"近{window}个月"}
    if period:
        params["period"] = period
    nav.menu(menu, params)
    nav.share_link(params)
    return Selection(state, province, names[province], period, int(window))
