"""Widgets every page uses: headline cards, tables with downloads, 口径 expanders, banners.

Numbers come formatted from :mod:`analysis.format` and tables from :func:`analysis.export.for_people`, so a
card, a table cell, a download and the scenario report show one value the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analysis import catalogue
from analysis.export import for_people, header, notes_for, to_csv_bytes, to_excel_bytes
from analysis.metrics import COMPACT_NOTE_LEGEND, compact_note
from ui import data, errors, nav, state, text

# Streamlit's own English texts, on every page and on the login form: the form's "Press Enter to submit
# form" hint is hidden (the keyboard users' "Skip to main content" link is renamed by the names script)
CHROME_CSS = """
[data-testid="InputInstructions"] { display: none; }
[data-testid="stElementContainer"]:has(.housing-names) { display: none; }
"""
# Streamlit's own English names for screen readers, tooltips and empty pickers, said in Chinese: an exact
# text, or (PREFIXED) a start followed by the widget's own label ("Help for 统计月份" → "统计月份：说明")
CHINESE_NAMES = {
    "Show password": "显示密码", "Hide password": "隐藏密码", "Skip to main content": "跳到主要内容",
    "Sidebar": "侧边栏", "Collapse sidebar": "收起侧边栏", "Expand sidebar": "展开侧边栏", "Main menu": "主菜单",
    "Copy to clipboard": "复制到剪贴板", "Choose an option": "请选择", "Choose options": "请选择",
    "Open": "展开选项", "Close": "关闭", "Clear": "清除", "Clear all": "全部清除", "Selected values": "已选项",
    "Link to heading": "本节链接", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示或隐藏列", "Download as CSV": "下载 CSV", "Search": "搜索",
    "Decrement": "减小", "Increment": "增大", "file upload": "上传文件", "Dismiss": "关闭",
    "Clear value": "清除所选", "Clear selection": "清除所选", "Close dialog": "关闭对话框", "Add files": "添加文件",
    "Add file": "添加文件", "add icon": "添加文件",
}  # fmt: skip
PREFIXED = {"Help for ": "{}：说明", "Remove ": "移除 {}"}


def chinese_names_script() -> str:
    """A script that renames Streamlit's English ``aria-label``, ``title``, ``placeholder`` and ``data-title``
    texts and icon buttons' hidden names (:data:`CHINESE_NAMES`) now and whenever the page changes (once per
    batch of changes, before the browser paints them). Its element takes no room (CHROME_CSS hides it)."""
    import json

    names, prefixed = json.dumps(CHINESE_NAMES, ensure_ascii=False), json.dumps(PREFIXED, ensure_ascii=False)
    return f"""<span class="housing-names" hidden></span><script>
(() => {{
  const names = {names}, prefixed = {prefixed};
  const said = (t) => {{
    if (names[t]) return names[t];
    for (const [start, form] of Object.entries(prefixed)) if (t.startsWith(start)) return form.replace("{{}}", t.slice(start.length));
    return null;
  }};
  const fix = () => {{
    for (const a of ["aria-label", "title", "placeholder", "data-title"]) {{
      document.querySelectorAll(`[${{a}}]`).forEach((e) => {{ const c = said(e.getAttribute(a)); if (c) e.setAttribute(a, c); }});
    }}
    // an icon button's name for screen readers, in a visually hidden span ("add icon")
    document.querySelectorAll("button span").forEach((e) => {{
      if (!e.children.length && names[e.textContent]) e.textContent = names[e.textContent];
    }});
    // the skip link's own text, its name for screen readers too ("Skip to main content")
    document.querySelectorAll('[data-testid="stSkipToContent"]').forEach((e) => {{
      if (!e.children.length && names[e.textContent]) e.textContent = names[e.textContent];
    }});
  }};
  fix();
  if (!window.__housingNames) {{
    window.__housingNames = new MutationObserver(fix);  // once per batch of changes, before the next paint
    window.__housingNames.observe(document.body, {{subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["aria-label", "title", "placeholder", "data-title"]}});
  }}
}})();
</script>"""


CARD_MIN_PX, CARD_GAP_PX, MOST_CARDS = 170, 12, 8


def per_row(n: int) -> list[int]:
    """How many of ``n`` cards a row may hold so that the rows come out even (never 5 + 1), most first.

    >>> per_row(6), per_row(5), per_row(4)
    ([6, 3, 2, 1], [5, 3, 2, 1], [4, 2, 1])
    """
    return sorted({-(-n // rows) for rows in range(1, n + 1)}, reverse=True)


# n cards, c to a row, where c cards of CARD_MIN_PX fit the width (a container query on the cards' box)
_BALANCED_ROWS = [
    f"@container (min-width: {c * CARD_MIN_PX + (c - 1) * CARD_GAP_PX}px) "
    f"{{ .kpi-n{n} {{ grid-template-columns: repeat({c}, minmax(0, 1fr)); }} }}"
    for n in range(2, MOST_CARDS + 1)
    for c in reversed(per_row(n))
]

CSS = (
    """<style>
.stMainBlockContainer { padding-left: 2rem !important; padding-right: 2rem !important; }
"""
    + CHROME_CSS
    + """
@media (max-width: 1279px) {
  section[data-testid="stSidebar"] { width: 224px !important; min-width: 224px !important; }
  .stMainBlockContainer { padding-left: 1.25rem !important; padding-right: 1.25rem !important; }
}
.kpi-box { container-type: inline-size; }
.kpi-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 0.75rem;
  margin: 0.25rem 0 0.75rem 0; }
"""
    + "\n".join(_BALANCED_ROWS)
    + """
.kpi { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.55rem 0.85rem; min-width: 0; }
.kpi-label { font-size: 0.875rem; color: rgba(49, 51, 63, 0.75); line-height: 1.3; }
.kpi-value { font-size: clamp(1.3rem, 1.05rem + 0.7vw, 1.85rem); font-weight: 600; line-height: 1.3;
  overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.kpi-num, .kpi-unit { white-space: nowrap; }
.kpi-unit { font-size: 0.8em; margin-left: 0.05em; }
.kpi-change { font-size: 0.85rem; line-height: 1.35; color: rgba(49, 51, 63, 0.75); }
.kpi-change.good { color: #1a7f37; } .kpi-change.bad { color: #b42318; }
.kpi-note { font-size: 0.8rem; line-height: 1.35; color: #8a5300; }
[data-testid="InputInstructions"] { font-size: 0 !important; }  /* Streamlit's "Press Enter to apply" */
[data-testid="InputInstructions"]::after { content: "按回车键确认"; font-size: 0.75rem; }
[data-testid="stElementToolbar"] { display: none !important; }  /* English tooltips; downloads are ours */
.modebar-btn[data-title="Fullscreen"], .modebar-btn[data-title="Close fullscreen"] { display: none !important; }
[class*="st-key-wide_"] { flex-wrap: wrap !important; }
[class*="st-key-wide_"] > div:nth-child(1) { flex: 3 1 560px !important; min-width: 0; }
[class*="st-key-wide_"] > div:nth-child(2) { flex: 2 1 380px !important; min-width: 0; }
[class*="st-key-pair_"] { flex-wrap: wrap !important; }
[class*="st-key-pair_"] > div { flex: 1 1 440px !important; min-width: 0; }
[class*="st-key-twos_"] { flex-wrap: wrap !important; }
[class*="st-key-twos_"] > div { flex: 1 1 0 !important; min-width: 0; }
@media (max-width: 1279px) { [class*="st-key-twos_"] > div { flex: 1 1 40% !important; } }
[class*="st-key-threes_"] { flex-wrap: wrap !important; }
[class*="st-key-threes_"] > div { flex: 1 1 0 !important; min-width: 0; }
@media (max-width: 1439px) { [class*="st-key-threes_"] > div { flex: 1 1 30% !important; } }
[data-testid="stTable"] th, [data-testid="stTable"] th * { white-space: nowrap !important; }  /* a column is never narrower than its header (级别) */
[class*="st-key-controls_"] { flex-wrap: wrap !important; }
[class*="st-key-controls_"] > div { flex: 0 1 230px !important; min-width: 180px; }
</style>"""
)


def side_by_side(key: str, *, wide_first: bool = False):
    """Two containers side by side where there is room, one above the other where there is not (1024 px)."""
    row = st.container(horizontal=True, key=f"{'wide' if wide_first else 'pair'}_{key}")
    with row:
        return st.container(), st.container()


def twos(key: str):
    """Controls side by side in one row, two to a row below 1280 px (where four would wrap their labels)."""
    return st.container(horizontal=True, key=f"twos_{key}")


def threes(key: str):
    """Controls side by side in one row, three to a row below 1440 px (where six would wrap their labels)."""
    return st.container(horizontal=True, key=f"threes_{key}")


def controls(key: str):
    """A row of small controls that wraps instead of squeezing their labels."""
    return st.container(horizontal=True, key=f"controls_{key}")


@dataclass(frozen=True)
class Card:
    """A headline figure: label, value with its unit, its change, a note (coverage, a short window)."""

    label: str
    value: str
    change: str | None = None
    note: str | None = None
    help: str | None = None
    tone: str | None = None  # "good" | "bad": the colour of the change


def cards(items: Sequence[Card], key: str) -> None:
    """Cards that wrap onto more rows instead of cutting a value, at any width."""
    parts = []
    for c in items:
        title = f' title="{text.html(c.help)}"' if c.help else ""
        change = f'<div class="kpi-change {c.tone or ""}">{text.html(c.change)}</div>' if c.change else ""
        note = f'<div class="kpi-note">{text.html(c.note)}</div>' if c.note else ""
        parts.append(
            f'<div class="kpi"{title}><div class="kpi-label">{text.html(c.label)}</div>'
            f'<div class="kpi-value">{value_html(c.value)}</div>{change}{note}</div>'
        )
    grid = f"kpi-grid kpi-n{len(parts)}" if len(parts) <= MOST_CARDS else "kpi-grid"  # rows that come out even
    st.html(f'<div class="kpi-box"><div class="{grid}" data-testid="kpi-{text.html(key)}">{"".join(parts)}</div></div>')


NUMBER_FIRST = re.compile(r"^([+\-−]?[\d,]+(?:\.\d+)?)(\S.*)?$")


def value_html(value: str) -> str:
    """A card's value: the number and its unit each kept whole; where the card is narrow the unit goes under
    the number as a whole (``6,075.72`` / ``万㎡``), never split inside either."""
    m = NUMBER_FIRST.match(value or "")
    if not m:
        return f'<span class="kpi-num">{text.html(value)}</span>'
    unit = f'<wbr><span class="kpi-unit">{text.html(m.group(2))}</span>' if m.group(2) else ""
    return f'<span class="kpi-num">{text.html(m.group(1))}</span>{unit}'


def demo_banner(ds: data.DataState) -> None:
    if ds.version and data.manifest(ds.data_dir, ds.version).is_synthetic:
        st.warning(
            "**演示数据**：当前显示的是内置的合成数据（模拟山西、辽宁 2015–2017 年），不是真实统计，"
            "不能作为决策依据。导入真实报表后，相应地区的数据将被替换。",
            icon=":material/warning:",
        )


def formulas(columns: list[str], title: str = "口径（指标公式）", extra: Sequence[tuple[str, str]] = ()) -> None:
    with st.expander(title):
        lines = [f"- **{text.plain(catalogue.label(c))}**：{text.plain(catalogue.formula(c))}" for c in columns
                 if catalogue.formula(c)]  # fmt: skip
        lines += [f"- **{text.plain(a)}**：{text.plain(b)}" for a, b in extra]
        st.markdown("\n".join(lines))


def column_config(
    shown: pd.DataFrame, name_columns: Sequence[str] = ("地区", "城市", "县（市、区）"), pinned: Sequence[str] = ()
) -> dict:
    """Fixed decimals with thousands separators for numbers, short headers on screen, room for names; the
    ``pinned`` columns stay at the left while a wide table scrolls sideways.

    The full header stays in the data (and so in the downloads); the screen shows the catalogue's short
    label, with the full one as the column's tooltip.
    """
    config = {}
    decimals = shown.attrs.get("decimals", {})
    sources = shown.attrs.get("columns", {})
    for col in shown.columns:
        spec = catalogue.columns().get(sources.get(col, ""))
        label = spec.short_header if spec is not None and spec.short else None
        helptext = col if label else None
        if col in decimals:
            sign = "+" if sources.get(col, "").startswith("delta_") else ""  # a change: +0.2 beside -19.61
            fmt = f"%{sign},.{decimals[col]}f" if decimals[col] else f"%{sign},d"
            if spec is not None and spec.unit == "年":
                fmt = "%d"  # 2016, never 2,016
            config[col] = st.column_config.NumberColumn(label=label, format=fmt, help=helptext)
        elif col in name_columns:
            config[col] = st.column_config.TextColumn(label=label, help=helptext)
        elif label:
            config[col] = st.column_config.TextColumn(label=label, help=helptext)
        if col in pinned:
            config[col] = {**config.get(col, {}), "pinned": True}
    return config


def table(
    frame: pd.DataFrame,
    columns: list[str],
    *,
    key: str,
    file_stem: str,
    notes: list[str] | None = None,
    as_of: str | None = None,
    clickable: bool = False,
    more: Sequence[str] = (),
) -> str | None:
    """A table with Chinese headers, fixed decimals, every row shown, and CSV / Excel of what it shows.

    ``more`` columns are in the downloads only (the screen keeps what fits at 1024 px). With ``clickable``
    a row can be selected; the region code of the row clicked is returned (once: the table is drawn
    afresh after a click, so Back never finds it still selected).
    """
    if "data_note" in frame and "data_note" not in columns and frame.data_note.fillna("").astype(bool).any():
        columns = [*columns, "data_note"]  # 未报送 / 无成交 / N/M 县已报送 beside the figures they qualify
    full = for_people(frame, [*columns, *more])
    shown = for_people(frame, columns)
    legend = None
    if "data_note" in columns:
        note = header("data_note")
        shown[note] = shown[note].map(lambda v: compact_note(v) if isinstance(v, str) else v)
        if (shown[note] != full[note]).any():
            legend = COMPACT_NOTE_LEGEND
    round_key = f"_{key}_round"
    widget_key = f"{key}_{st.session_state.get(round_key, 0)}"
    event = st.dataframe(
        shown,
        hide_index=True,
        column_config=column_config(shown),
        key=widget_key,
        height="content",
        width="stretch",
        on_select="rerun" if clickable else "ignore",
        selection_mode=["single-row", "single-cell"] if clickable else "single-row",  # any cell of a row, or its marker
    )
    if legend:
        st.caption(legend)
    downloads(full, key=key, file_stem=file_stem, notes=(notes or []) + notes_for([*columns, *more], as_of=as_of))
    picked = event.selection if clickable and event is not None and hasattr(event, "selection") else None
    rows = [*picked.rows, *(cell[0] for cell in picked.cells)] if picked is not None else []
    if rows and "region_code" in frame.columns and 0 <= rows[0] < len(frame):
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
        return str(frame.iloc[rows[0]].region_code)
    return None


def plain_table(shown: pd.DataFrame, *, key: str, file_stem: str, notes: list[str] | None = None) -> None:
    """A table already in people's form (``for_people`` or hand-made headers), every row shown."""
    st.dataframe(shown, hide_index=True, column_config=column_config(shown), height="content", width="stretch")
    downloads(shown, key=key, file_stem=file_stem, notes=notes)


def view_notes(about_view: bool = True) -> list[str]:
    """The top of every 说明 sheet: which page and view, the data's source, whether it is synthetic (only the
    page when not ``about_view``: a table of an uploaded file, not of the data)."""
    lines = []
    titles = {path: title for items in nav.PAGES.values() for _, title, _, path in items}
    sel = st.session_state.get("selection")
    where = f"页面：{titles.get(state.page() or 'overview', state.page())}"
    if about_view and sel is not None and sel.has_data:
        where += f"；{sel.province_name}，统计月份 {sel.period}，月均销售窗口近{sel.window}个月"
        lines.append(where)
        v = data.manifest(sel.state.data_dir, sel.state.version)
        what = ACTIONS.get(v.action, v.action) + (f"「{v.file_name}」" if v.file_name and v.action == "import" else "")
        source = f"数据来源：数据版本 {v.version}（{what}，{v.created_at[:19].replace('T', ' ')}）"
        lines.append(source)
        if v.is_synthetic:
            lines.append("演示数据：内置的合成数据（模拟山西、辽宁 2015–2017 年），不是真实统计，不能作为决策依据。")
    else:
        lines.append(where)
    return lines


ACTIONS = {"demo": "写入演示数据", "import": "导入", "rollback": "回退"}


def export_notes(shown: pd.DataFrame, notes: Sequence[str] = (), about_view: bool = True) -> list[str]:
    """A 说明 sheet: the view and source, then the table's own notes, then the 口径 of its columns (once each)."""
    sources = list((shown.attrs.get("columns") or {}).values())
    lines = [*view_notes(about_view), *notes, *notes_for(sources)]
    return list(dict.fromkeys(line for line in lines if line))


def stamped(lines: Sequence[str]) -> list[str]:
    """The notes with the moment of export (the file is built when its button is clicked)."""
    from datetime import datetime

    return [*lines[:1], f"导出时间：{datetime.now().strftime('%Y-%m-%d %H:%M')}", *lines[1:]]


def downloads(
    shown: pd.DataFrame, *, key: str, file_stem: str, notes: list[str] | None = None, about_view: bool = True
) -> None:
    """CSV and Excel of what a table shows (the Excel with its 说明 sheet, which names the view unless
    ``about_view`` is False); files are built only when clicked."""
    row = st.container(horizontal=True, key=f"downloads_{key}")
    c1 = c2 = row
    stem = safe_file_name(file_stem)
    notes = export_notes(shown, notes or [], about_view)
    c1.download_button(
        "下载 CSV", lambda: to_csv_bytes(shown), f"{stem}.csv", "text/csv", key=f"{key}_csv", on_click="ignore",
        icon=":material/download:",
    )  # fmt: skip
    c2.download_button(
        "下载 Excel",
        lambda: to_excel_bytes({stem[:31]: shown}, stamped(notes)),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )


def safe_file_name(stem: str) -> str:
    """A download's file name without the characters file systems refuse."""
    return "".join("_" if ch in '\\/:*?"<>|\r\n\t' else ch for ch in str(stem)).strip() or "下载"


def band_text(band: str | None) -> str:
    return catalogue.enum_label("destock_band", band) if isinstance(band, str) else "—"


def empty_state(message: str) -> None:
    st.info(
        text.plain(message)
        + "\n\n数据可在「数据上传」页导入；也可以在命令行运行 `python -m analysis demo` 写入演示数据。"
    )


guard = errors.guard
