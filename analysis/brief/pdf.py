"""The one-page A4 brief: one matplotlib figure, saved as PDF (TrueType fonts embedded, text selectable)
and as PNG, so both show the same page.

Top to bottom: title band, headline cards, the absorption line, the map by band with its legend beside
the ranking, the laggards with their rules, the 口径 footnotes. The middle and the laggards share the
space left; a ranking or a laggard list too long for it shrinks its type, then ends with "…另有 N 个".
"""

from __future__ import annotations

import io
import re

import matplotlib

import analysis.brief.laggards as laggards
import analysis.brief.panels as panels
from analysis.brief.fonts import cjk_font_path
from analysis.brief.layout import (
    ACCENT,
    INK,
    MUTED,
    PAGE_H_MM,
    PAGE_W_MM,
    RED,
    RULE,
    Page,
)
from analysis.brief.model import Brief, Headline

PNG_DPI = 200
# TrueType (Type 42) fonts; ps.fonttype 42 too: matplotlib's PDF backend splits a font into subsets of 256
# glyphs unless it is set, and every subset parses the whole 50,000-glyph font again (≈1 s each)
PDF_RC = {"pdf.fonttype": 42, "ps.fonttype": 42}
LEFT, RIGHT, TOP, BOTTOM = 12.0, 12.0, 10.0, 9.0
WIDTH = PAGE_W_MM - LEFT - RIGHT
MAP_W, GAP = 84.0, 6.0  # the map column; the ranking takes the rest
LAG_W = 74.0  # the laggards beside the ranking when the map runs across the page
CARD_BG = "#f3f5f8"
BANNER_BG = "#eaf1f8"
SYNTHETIC_NOTE = "演示数据：本简报的数字由程序生成的演示数据计算，不代表任何地区的真实情况。"
UNIT_GAP = 0.15  # mm between a figure and its unit: so small that pdftotext keeps "14.3万户" one word
_NUMBER = re.compile(r"^([+\-−]?[\d,]+(?:\.\d+)?)(.*)$")


def render_pdf(brief: Brief) -> bytes:
    """The brief as a one-page A4 PDF (fonts embedded as TrueType, Chinese text extractable)."""
    page = draw(brief)
    buf = io.BytesIO()
    meta = {"Title": f"{brief.title}（{brief.period}）", "Subject": brief.region_name, "Creator": "analysis.brief"}
    with matplotlib.rc_context(PDF_RC):
        page.fig.savefig(buf, format="pdf", metadata={**meta, "CreationDate": None})
    return buf.getvalue()


def render_png(brief: Brief, dpi: int = PNG_DPI) -> bytes:
    """The brief as a PNG of the A4 page at ``dpi`` (default 200: 1653 × 2338 px)."""
    page = draw(brief)
    buf = io.BytesIO()
    page.fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def draw(brief: Brief) -> Page:
    """Lay the brief out on one :class:`Page` (nothing is saved)."""
    page = Page(cjk_font_path())
    y = _header(page, brief, TOP)
    y = _cards(page, brief, y + 3.5)
    if brief.absorption:
        y = _banner(page, brief.absorption, y + 3.0)
    notes = _footnote_lines(page, brief)
    bottom = PAGE_H_MM - BOTTOM - (len(notes) * 3.15 + 2.5)
    top, avail = y + 4.0, bottom - y - 6.0
    if not _map_on_top(page, brief, top, avail):
        _columns(page, brief, top, avail)
    _footnotes(page, notes, bottom + 1.5)
    if brief.is_synthetic:
        page.watermark("演示数据", 34.0, RED, 0.09)
    return page


def _columns(page: Page, b: Brief, top: float, avail: float) -> None:
    """The map on the left, the ranking on the right; the laggards under whichever has room, else across."""
    rx, rw = LEFT + MAP_W + GAP, WIDTH - MAP_W - GAP
    map_h = panels.map_height(b, MAP_W, avail)
    rank_h = min(panels.ranking_height(b), avail)
    if rank_h + GAP + laggards.side_height(page, b, rw) <= avail:
        panels.draw_map(page, b, LEFT, top, MAP_W, avail)
        panels.draw_ranking(page, b, rx, top, rw, rank_h)
        laggards.draw_side(page, b, rx, top + rank_h + GAP, rw)
    elif map_h + GAP + laggards.side_height(page, b, MAP_W) <= avail:
        panels.draw_map(page, b, LEFT, top, MAP_W, avail)
        panels.draw_ranking(page, b, rx, top, rw, avail)
        laggards.draw_side(page, b, LEFT, top + map_h + GAP, MAP_W)
    else:
        lag_h = laggards.wide_height(b, avail - 112.0)
        panels.draw_map(page, b, LEFT, top, MAP_W, avail - lag_h - 3.0)
        panels.draw_ranking(page, b, rx, top, rw, avail - lag_h - 3.0)
        laggards.draw_wide(page, b, LEFT, top + avail - lag_h, WIDTH, lag_h)


def _map_on_top(page: Page, b: Brief, top: float, avail: float) -> bool:
    """A wide map across the page, the ranking and the laggards under it, if that draws the map much
    larger than the columns would (and everything fits); returns whether it drew the page so."""
    rank_h = panels.ranking_height(b)
    below = max(rank_h, laggards.side_height(page, b, LAG_W))
    budget = avail - below - GAP
    if budget < 60:
        return False
    _, w_top, h_top = panels.map_box(b, WIDTH, budget)
    _, w_col, h_col = panels.map_box(b, MAP_W, avail)
    if w_top * h_top < 1.3 * w_col * h_col:
        return False
    used = panels.map_height(b, WIDTH, budget)
    panels.draw_map(page, b, LEFT, top, WIDTH, budget)
    y = top + used + GAP
    panels.draw_ranking(page, b, LEFT, y, WIDTH - LAG_W - GAP, rank_h)
    laggards.draw_side(page, b, LEFT + WIDTH - LAG_W, y, LAG_W)
    return True


# --- header, cards, banner ----------------------------------------------------------------------


def _header(page: Page, b: Brief, y: float) -> float:
    if b.issuer:
        page.text(LEFT, y + 3.0, b.issuer, 8, MUTED)
    if b.is_synthetic:
        w = page.width("演示数据", 8) + 4
        page.rect(PAGE_W_MM - RIGHT - w, y, w, 4.6, "none", edgecolor=RED, linewidth=0.8)
        page.text(PAGE_W_MM - RIGHT - w / 2, page.middle(y, 4.6, 8), "演示数据", 8, RED, ha="center")
    title, size = page.fit(b.title, 21, WIDTH - 50, 14)
    page.text(PAGE_W_MM / 2, y + 12.5, title, size, INK, ha="center")
    scope = {"province": "全省", "city": "全市"}[b.region_level]
    parts = [f"统计月份 {b.period}", f"月均销售窗口 近{b.window_months}个月", f"{scope}口径"]
    if b.region_name not in b.title:
        parts.insert(0, b.region_name)
    sub, s = page.fit(" · ".join(parts), 9, WIDTH, 7)
    page.text(PAGE_W_MM / 2, y + 18.5, sub, s, MUTED, ha="center")
    page.hline(LEFT, PAGE_W_MM - RIGHT, y + 21.5, 2.2, RED)
    page.hline(LEFT, PAGE_W_MM - RIGHT, y + 22.6, 0.6, RED)
    return y + 22.6


CARD_SIZE, CARD_LINE = 7.0, 3.2


def _cards(page: Page, b: Brief, y: float) -> float:
    n = max(1, len(b.headlines))
    gap = 2.5
    w = (WIDTH - gap * (n - 1)) / n
    wrapped = [_card_lines(page, b, hl, w) for hl in b.headlines]
    h = 15.5 + CARD_LINE * max((len(x) for x in wrapped), default=0) + 1.6
    for i, (hl, lines) in enumerate(zip(b.headlines, wrapped)):
        x = LEFT + i * (w + gap)
        page.rect(x, y, w, h, CARD_BG)
        page.rect(x, y, w, 0.7, ACCENT)
        label, s = page.fit(hl.label, 8, w - 4, 6.5)
        page.text(x + 2, y + 5.2, label, s, MUTED)
        _value(page, hl.value, x + 2, y + 13.2, w - 4)
        yy = y + 13.2 + 3.9
        for kind, text, first in lines:
            if kind == "band":
                if first:
                    entry = b.band(hl.band)
                    page.rect(x + 2, yy - 2.1, 2.4, 2.4, entry.color, edgecolor="#9aa0a6", linewidth=0.3)
                page.text(x + 5.3, yy, text, CARD_SIZE, INK)
            else:
                color = {"change": INK, "coverage": MUTED, "note": "#b06000"}[kind]
                page.text(x + 2, yy, text, CARD_SIZE, color)
            yy += CARD_LINE
    return y + h


def _card_lines(page: Page, b: Brief, h: Headline, w: float) -> list[tuple[str, str, bool]]:
    """The lines under a card's figure, each text wrapped to the card (never cut): (kind, line, first)."""
    parts = [("change", h.change)] if h.change else []
    if h.band:
        entry = b.band(h.band)
        parts.append(("band", f"{entry.label} · {entry.advice}"))
    parts += [(k, v) for k, v in (("coverage", h.coverage), ("note", h.note)) if v]
    out = []
    for kind, text in parts:
        room = w - (7.5 if kind == "band" else 4.0)
        out += [(kind, line, j == 0) for j, line in enumerate(page.wrap(text, CARD_SIZE, room))]
    return out


def _value(page: Page, value: str, x: float, y: float, max_w: float) -> None:
    """The figure large and its unit smaller: "41.3" 17 pt + "万户" 9 pt, shrunk together to fit."""
    m = _NUMBER.match(value)
    number, unit = (m.group(1), m.group(2)) if m else (value, "")
    big, small = 17.0, 9.0
    k = min(1.0, max_w / max(0.1, page.width(number, big) + UNIT_GAP + page.width(unit, small)))
    if k < 1:
        big, small = big * k, small * max(k, 0.8)
    page.text(x, y, number, big, INK)
    if unit:
        page.text(x + page.width(number, big) + UNIT_GAP, y, unit, small, INK)


def _banner(page: Page, text: str, y: float) -> float:
    size = 9.0 if page.width(text, 9.0) <= WIDTH - 8 else max(8.0, 9.0 * (WIDTH - 8) / page.width(text, 9.0))
    lines = page.wrap(text, size, WIDTH - 8)
    if len(lines) > 2:
        lines = [lines[0], page.fit("".join(lines[1:]), size, WIDTH - 8)[0]]
    h = 4.2 + 4.4 * len(lines)
    page.rect(LEFT, y, WIDTH, h, BANNER_BG)
    page.rect(LEFT, y, 1.0, h, ACCENT)
    for i, line in enumerate(lines):
        page.text(LEFT + 4, y + 5.6 + 4.4 * i, line, size, INK)
    return y + h


# --- footnotes ---------------------------------------------------------------------------------


def _footnote_lines(page: Page, b: Brief) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    notes = list(b.footnotes) + ([SYNTHETIC_NOTE] if b.is_synthetic else [])
    for i, note in enumerate(notes, 1):
        prefix = f"{i}. "
        for j, line in enumerate(page.wrap(note, 6.5, WIDTH - 10)):
            lines.append((prefix if j == 0 else "", line))
    return lines


def _footnotes(page: Page, lines: list[tuple[str, str]], y: float) -> None:
    page.hline(LEFT, LEFT + 40, y - 0.5, 0.5, RULE)
    for i, (prefix, line) in enumerate(lines):
        base = y + 3.0 + i * 3.15
        if i == 0:
            page.text(LEFT, base, "注：", 6.5, MUTED)
        page.text(LEFT + 4.6, base, prefix, 6.5, MUTED)
        page.text(LEFT + 7.4, base, line, 6.5, MUTED if not line.startswith("演示数据") else RED)
