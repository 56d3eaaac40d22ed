"""The one sidebar every page shares: province, month and window, kept in the URL (ui/state)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from ui import access, auth, data, nav, state

WINDOWS = (12, 6)  # the months of sales 去化周期 averages over, the default first
DEFAULT_WINDOW = WINDOWS[0]


@dataclass(frozen=True)
class Selection:
    state: data.DataState
    province_code: str | None
    province_name: str
    period: str | None
    window: int
    periods: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return self.province_code is not None


def _window(text: str) -> int:
    m = re.fullmatch(r"\s*(?:近)?\s*(\d+)\s*(?:个月|月)?\s*", text)
    if not m:
        raise state.Invalid("无法识别")
    return int(m.group(1))


def window_label(w: int) -> str:
    return f"近{w}个月"


def render() -> Selection:
    ds = data.current()
    stored = data.provinces_with_data(ds.data_dir, ds.version) if ds.version else []
    provinces = [(c, n) for c, n in stored if access.may_read(c)]  # the account's scope
    elsewhere = {text for pair in set(stored) - set(provinces) for text in pair}  # with data, not for this account
    periods = data.periods(ds.data_dir, ds.version) if ds.version else []
    menu = st.sidebar.container()
    state.at_end(lambda: nav.menu(menu, national=len(provinces) > 1))
    state.at_end(lambda: auth.user_box(st.sidebar))  # at the foot of the sidebar: who is logged in, 退出登录
    with st.sidebar:
        st.divider()
        st.markdown("### 查看范围")
        share = st.container()
        state.at_end(lambda: nav.share_link(share))
        if not provinces:
            st.info("还没有数据：请到「数据上传」页导入，或运行 `python -m analysis demo` 写入演示数据。")
            return Selection(ds, None, "", None, DEFAULT_WINDOW)
        names = dict(provinces)
        by_name = {n: c for c, n in provinces}
        linked = state.url_value("region") or ""  # a detail link without province= opens the region's province
        if (
            state.page() == nav.PATHS[nav.REGION_PAGE]
            and re.fullmatch(r"\d{6}", linked)
            and f"{linked[:2]}0000" in names
        ):
            state.assume("province", names[f"{linked[:2]}0000"])

        def parse_province(text: str) -> str:
            if text.strip() in elsewhere:  # it has data, but not for this account
                raise state.Invalid("不在您账户的查看范围内，已显示" + names[provinces[0][0]])
            return by_name.get(text.strip(), text.strip())

        province = state.declare(
            state.Param(
                "province",
                default=provinces[0][0],
                options=list(names),
                parse=parse_province,
                to_url=names.get,
                refused="没有数据或无法识别，已显示" + names[provinces[0][0]],
                shared=True,
            )
        )
        st.selectbox("省份", list(names), format_func=names.get, key="province")
        if len(provinces) > 1 and state.page() != "national":
            st.page_link(
                nav.NATIONAL,
                label="全国：各省排名",
                icon=":material/public:",
                query_params=state.values(shared_only=True),
            )
        period = None
        if periods:
            period = state.declare(
                state.Param(
                    "period",
                    default=periods[-1],
                    options=periods,
                    parse=str.strip,
                    refused=f"不在数据范围内（{periods[0]} 至 {periods[-1]}），已显示最新月份",
                    shared=True,
                )  # fmt: skip
            )
            st.selectbox("统计月份", periods[::-1], key="period", help="库存取该月月末数；月均销售取截至该月的滚动窗口")
        window = state.declare(
            state.Param(
                "window",
                default=DEFAULT_WINDOW,
                options=list(WINDOWS),
                parse=_window,
                to_url=window_label,
                refused="应为近12个月或近6个月，已显示近12个月",
                shared=True,
            )  # fmt: skip
        )
        st.radio(
            "月均销售窗口",
            list(WINDOWS),
            format_func=window_label,
            key="window",
            horizontal=True,
            help="去化周期 = 可售面积 ÷ 窗口内月均销售面积",
        )
        st.caption("口径：广义库存（可售面积），按面积计算；区间左闭右开。")
    return Selection(ds, province, names[province], period, int(window), tuple(periods))
