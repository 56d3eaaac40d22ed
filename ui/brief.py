"""「生成简报」: the brief (PDF, PNG) and the 通报 (.docx) of the view on screen, built only when clicked.

One call on a page: ``brief.offer(sel, code)``. The files are made from the page's own cached figures
(``ui.data.compute_for``), so they carry the numbers on screen. A download's callable runs outside the
page's run: it never raises (Streamlit would show an English error), but logs the failure under a
reference code and hands over a file that says so in Chinese.
"""

from __future__ import annotations

import streamlit as st

from analysis import brief, progress
from analysis.brief import FORMATS, facts, fonts
from analysis.regions import load_registry
from ui import data, errors, text, widgets

THRESHOLD_KEYS = ("t_summon", "t_notice", "t_warning")  # the sliders of 总览's laggards


def thresholds() -> tuple[progress.Thresholds, bool]:
    """The thresholds the 总览 sliders hold (the defaults elsewhere), and whether they are the defaults."""
    d = progress.Thresholds()
    values = [st.session_state.get(k, v) for k, v in zip(THRESHOLD_KEYS, (d.summon, d.notice, d.warning))]
    try:
        t = progress.Thresholds(*map(float, values))
    except ValueError:
        t = d
    return t, t == d


def source(sel) -> brief.Source:
    manifest = data.manifest(sel.state.data_dir, sel.state.version)
    return brief.Source(data.compute_for(sel), tuple(sel.periods), sel.window, manifest.is_synthetic, sel.state.version)


def _maker(src: brief.Source, code: str, period: str, form: str, t: progress.Thresholds):
    def make() -> bytes:
        try:
            return brief.generate(src, code, period, form, t)
        except Exception as exc:  # a download's callable must not raise: see the module docstring
            ref = errors.record(exc)
            try:
                return brief.error_file(form, f"简报未能生成：{errors.message(ref)}")
            except Exception:
                return b""

    return make


def offer(sel, code: str) -> None:
    """The control for province or city ``code`` (a county offers its city's brief) at the sidebar's month."""
    reg = load_registry()
    if not code or code not in reg.regions:  # a view the brief does not cover (no single province)
        return
    if reg.get(code).level == "county":
        code = reg.get(code).parent_code
    name = reg.name(code)
    with st.popover(
        "生成简报", icon=":material/description:", help="一页简报（PDF、PNG）和通报草稿（Word），按当前视图生成"
    ):
        src = source(sel)
        try:
            facts.check_view(src, code, sel.period)
        except facts.NotBriefable as exc:
            st.info(text.plain(str(exc)))
            return
        t, default = thresholds()
        st.markdown(
            f"**{text.plain(name)}** · 统计月份 {text.plain(sel.period)} · 月均销售窗口 近{sel.window}个月  \n"
            f"进度落后：{text.plain(t.describe())}" + ("（默认阈值，可在总览调整）" if default else "（总览所设阈值）")
        )
        try:
            fonts.cjk_font_path()
            font_problem = None
        except fonts.FontMissing as exc:
            font_problem = str(exc)
        row = st.container(horizontal=True, key=f"downloads_brief_{code}")
        for form, spec in FORMATS.items():
            row.download_button(
                spec.label,
                _maker(src, code, sel.period, form, t),
                widgets.safe_file_name(brief.file_name(name, sel.period, form)),
                spec.mime,
                key=f"brief_{form}",
                on_click="ignore",
                icon=":material/download:",
                disabled=form != "docx" and font_problem is not None,
            )
        if font_problem:
            st.warning(text.plain(f"无法生成 PDF 和 PNG：{font_problem}"))
        st.caption("文件在点击时生成（省级约需数秒）；简报为 A4 一页，通报为公文格式草稿，“下一步工作要求”待填写。")
