"""Links between pages that carry the shared sidebar state (province, month, window) along."""

from __future__ import annotations

import streamlit as st

SHARED = ("province", "period", "window")
REGION_PAGE = "pages/region.py"


def shared_params(**extra: str) -> dict[str, str]:
    params = {k: v for k, v in st.query_params.to_dict().items() if k in SHARED}
    params.update({k: v for k, v in extra.items() if v})
    return params


def go_to_region(code: str) -> None:
    st.switch_page(REGION_PAGE, query_params=shared_params(region=code))


def region_link(code: str, label: str) -> None:
    st.page_link(REGION_PAGE, label=label, icon=":material/arrow_upward:", query_params=shared_params(region=code))
