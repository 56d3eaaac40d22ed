"""The brief's map panel (map + legend) and its ranking table, each drawn into a given box."""

from __future__ import annotations

import math

import analysis.brief.mapdraw as mapdraw
from analysis.brief.layout import INK, MUTED, PT_MM, RULE, SECTION_H, STRIPE, Page, section
from analysis.brief.model import Brief, Table

SIDE_W = 31.0  # a legend beside the map
ENTRY_H = 4.2  # a legend line
ROW_H = 5.6  # a table row at its natural height
MIN_ROW_H = 3.4  # below this, rows are left out ("…另有 N 个")
HEAD_EXTRA = 1.3  # the header row and the closing rule, in rows
HEAD_SIZE, HEAD_LEADING = 7.0, 1.15  # the header's type (pt) and its line spacing (in sizes)


# --- map ----------------------------------------------------------------------------------------


def _entries(b: Brief) -> list[tuple[str, str, bool]]:
    out = [(e.color, f"{e.label} {e.advice}", False) for e in b.bands]
    return out + [(mapdraw.NO_DATA_COLOR, b.no_data_label, False), ("#ffffff", b.thin_label, True)]


def _below_h(b: Brief) -> float:
    return ENTRY_H * math.ceil(len(_entries(b)) / 2) + 1.0


def map_box(b: Brief, w: float, h: float) -> tuple[str, float, float]:
    """Where the legend goes ("side" or "below") and the map's drawn width and height in a w × h panel,
    whichever draws the map larger."""
    ratio = mapdraw.aspect(b.map)
    side_w = min(w - SIDE_W, (h - SECTION_H) / ratio)
    below_w = min(w, (h - SECTION_H - _below_h(b)) / ratio)
    if side_w > below_w:
        return "side", side_w, side_w * ratio
    return "below", below_w, below_w * ratio


def map_height(b: Brief, w: float, h: float) -> float:
    """The height the map panel takes in a w × h box (the map is drawn at its natural shape)."""
    legend, _, mh = map_box(b, w, h)
    if legend == "side":
        return SECTION_H + max(mh, ENTRY_H * len(_entries(b)))
    return SECTION_H + mh + _below_h(b)


def draw_map(page: Page, b: Brief, x: float, y: float, w: float, h: float) -> mapdraw.MapDrawing:
    """The panel: a title, the map at the top of the box, the legend beside it or under it."""
    top = section(page, x, y, "去化周期分档地图", w)
    legend, mw, mh = map_box(b, w, h)
    entries = _entries(b)
    if legend == "side":
        box_w = w - SIDE_W
        ax = page.axes(x + (box_w - mw) / 2, top, mw, mh)
        lh = ENTRY_H * len(entries)
        _legend(page, entries, x + box_w + 1.0, top + max(mh, lh) - lh, SIDE_W - 1.0, 1)
    else:
        ax = page.axes(x + (w - mw) / 2, top, mw, mh)
        _legend(page, entries, x, top + mh + 1.5, w, 2)
    colors = {e.key: e.color for e in b.bands}
    return mapdraw.draw_map(ax, b.map, colors, font=page.font, text_width_mm=page.width)


def _legend(page: Page, entries: list[tuple[str, str, bool]], x: float, y: float, w: float, cols: int) -> None:
    col_w = w / cols
    rows = math.ceil(len(entries) / cols)
    for i, (color, label, hatched) in enumerate(entries):
        cx = x + (i // rows) * col_w
        cy = y + (i % rows) * ENTRY_H
        if hatched:
            page.rect(cx, cy + 0.5, 3.6, 2.6, color, edgecolor=mapdraw.HATCH_COLOR, linewidth=0.3, hatch="/////")
        else:
            page.rect(cx, cy + 0.5, 3.6, 2.6, color, edgecolor="#9aa0a6", linewidth=0.3)
        t, s = page.fit(label, 7, col_w - 5.0, 5.5)
        page.text(cx + 4.6, cy + 2.9, t, s, INK)


# --- ranking ------------------------------------------------------------------------------------


def ranking_height(b: Brief) -> float:
    """The ranking's natural height: a title, the header, every row at :data:`ROW_H`."""
    return SECTION_H + (len(b.ranking.rows) + HEAD_EXTRA) * ROW_H


def draw_ranking(page: Page, b: Brief, x: float, y: float, w: float, h: float) -> int:
    """The ranking in a w × h box; returns how many rows were left out."""
    top = section(page, x, y, b.ranking_title, w)
    unit = "市" if b.map.level == "city" else "县（市、区）"
    return draw_table(page, b.ranking, x, top, w, y + h - top, more=f"个{unit}未列出", brief=b)


def draw_table(page: Page, t: Table, x: float, y: float, w: float, h: float, *, more: str, brief: Brief) -> int:
    """Header, striped rows, and a last "…另有 N 个" line when the rows do not fit at MIN_ROW_H each.

    A header too wide for its column goes on two lines, its unit under its name. Returns how many rows
    were left out."""
    n = len(t.rows)
    row_h = min(ROW_H, h / max(1.0, n + HEAD_EXTRA))
    rows = list(t.rows)
    chips = list(t.row_bands) if t.row_bands is not None else None
    hidden = 0
    if row_h < MIN_ROW_H:
        row_h = MIN_ROW_H
        keep = max(1, int(h / row_h - HEAD_EXTRA) - 1)  # one line for "…另有 N 个"
        hidden = n - keep
        rows = rows[:keep]
        chips = chips[:keep] if chips is not None else None
    size = max(5.5, min(8.0, row_h / PT_MM * 0.5))
    chip_w = 3.6 if chips is not None else 0.0
    widths, size = _columns(page, t, rows, size, w - chip_w)
    head_size = min(size, HEAD_SIZE)
    two = any(page.width(hd, head_size) > cw - 1.6 for hd, cw in zip(t.headers, widths))
    head_h = max(row_h + 0.8, 2 * head_size * PT_MM * HEAD_LEADING + 1.0) if two else row_h + 0.8
    while hidden and len(rows) > 1 and head_h + (len(rows) + 1) * row_h > h:  # the taller header takes a row
        rows, chips, hidden = rows[:-1], chips[:-1] if chips is not None else None, hidden + 1
    aligns = t.alignments()
    _header(page, t.headers, x + chip_w, y, widths, head_h, head_size, aligns)
    page.hline(x, x + w, y + head_h, 0.8, INK)
    yy = y + head_h
    for i, row in enumerate(rows):
        if i % 2 == 1:
            page.rect(x, yy, w, row_h, STRIPE)
        if chips is not None and chips[i] is not None:
            color = brief.band(chips[i]).color
            page.rect(x + 0.4, yy + row_h / 2 - 1.1, 2.2, 2.2, color, edgecolor="#9aa0a6", linewidth=0.3)
        _row(page, row, x + chip_w, yy, widths, row_h, size, aligns, INK)
        yy += row_h
    page.hline(x, x + w, yy, 0.5, RULE)
    if hidden:
        page.text(x + chip_w + 0.8, page.middle(yy, row_h, 7), f"…另有 {hidden} {more}", min(size, 7), MUTED)
    return hidden


def header_lines(header: str) -> tuple[str, ...]:
    """A header as it may be set on two lines: its name, then its unit in brackets.

    >>> header_lines("去化周期（个月）"), header_lines("报送")
    (('去化周期', '（个月）'), ('报送',))
    """
    name, bracket, unit = header.partition("（")
    return (name, bracket + unit) if len(name) > 1 and bracket else (header,)


def _columns(page: Page, t: Table, rows: list, size: float, w: float) -> tuple[list[float], float]:
    """Column widths (natural width + padding, spread over ``w``) and the font size that lets them fit;
    a header counts by its wider line (see :func:`header_lines`)."""
    pad = 2.2
    natural: list[float] = []
    for s in (size, size * 0.92, size * 0.85, size * 0.78, max(5.0, size * 0.7)):
        hs = min(s, HEAD_SIZE)
        natural = [
            max([page.width(line, hs) for line in header_lines(t.headers[j])] + [page.width(r[j], s) for r in rows])
            + pad
            for j in range(len(t.headers))
        ]
        if sum(natural) <= w:
            extra = (w - sum(natural)) / len(natural)
            return [c + extra for c in natural], s
    return [c * w / sum(natural) for c in natural], s  # the widest cells are cut with "…" by _row


def _header(page: Page, cells, x: float, y: float, widths, h: float, size: float, aligns) -> None:
    """The header row: a header that fits on one line, centred in the band; else its two lines."""
    lead = size * PT_MM * HEAD_LEADING
    for cell, cw, a in zip(cells, widths, aligns):
        lines = header_lines(cell) if page.width(cell, size) > cw - 1.6 else (cell,)
        first = page.middle(y, h, size) - lead * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            _cell(page, line, x, cw, first + k * lead, size, a, MUTED)
        x += cw


def _row(page: Page, cells, x: float, y: float, widths, h: float, size: float, aligns, color: str) -> None:
    base = page.middle(y, h, size)
    for cell, cw, a in zip(cells, widths, aligns):
        _cell(page, cell, x, cw, base, size, a, color)
        x += cw


def _cell(page: Page, cell: str, x: float, cw: float, base: float, size: float, align: str, color: str) -> None:
    text, s = page.fit(cell, size, cw - 1.6, size * 0.85)
    if align == "l":
        page.text(x + 0.8, base, text, s, color)
    elif align == "c":
        page.text(x + cw / 2, base, text, s, color, ha="center")
    else:
        page.text(x + cw - 0.8, base, text, s, color, ha="right")
