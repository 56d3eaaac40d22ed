"""The brief's "进度落后" block: each flagged region with its 处置 tag, the figures and the rule.

Two forms: beside the map under the ranking (``draw_side``: one entry of two or three lines per region),
or across the page (``draw_wide``: one row per region, ending with "…另有 N 个" when space runs out).
"""

from __future__ import annotations

from analysis.brief.layout import INK, MUTED, SECTION_H, STRIPE, Page, section
from analysis.brief.model import Brief, Flagged

ACTION_COLORS = {"约谈": ("#b3261e", "#ffffff"), "通报": ("#e8710a", "#ffffff"), "预警": ("#f9d45c", "#202124")}
TAG_W = 8.6
WIDE_ROW = 5.0
LINE = 3.7  # a line of an entry beside the map
NAME_SIZE, FIG_SIZE, RULE_SIZE = 8.0, 7.5, 7.0


def figures_text(f: Flagged) -> str:
    return " · ".join(f"{label} {value}" for label, value in f.figures)


def _rule_lines(page: Page, b: Brief, w: float) -> list[str]:
    return page.wrap("规则：" + b.laggards_rule, RULE_SIZE, w - 2.6) if b.laggards_rule else []


def _name_w(page: Page, b: Brief) -> float:
    return max((page.width(f.region, NAME_SIZE) for f in b.laggards), default=0.0) + 2.5


def _figures_inline(page: Page, b: Brief, f: Flagged, w: float) -> bool:
    """Whether the figures fit on the name line (at 6.5 pt at least)."""
    room = w - 1.0 - _name_w(page, b) - TAG_W - 2.5
    return page.width(figures_text(f), 6.5) <= room


def side_height(page: Page, b: Brief, w: float) -> float:
    """Height of the block in the narrow form."""
    h = SECTION_H + LINE * len(_rule_lines(page, b, w)) + 1.0
    if not b.laggards:
        return h + 5.0
    for f in b.laggards:
        h += LINE * (2 if _figures_inline(page, b, f, w) else 3) + 1.6
    return h


def _tag(page: Page, x: float, top: float, h: float, action: str) -> None:
    bg, fg = ACTION_COLORS[action]
    page.pill(x, top + (h - 3.4) / 2, TAG_W, 3.4, bg)
    page.text(x + TAG_W / 2, page.middle(top, h, 7), action, 7, fg, ha="center")


def draw_side(page: Page, b: Brief, x: float, y: float, w: float) -> None:
    top = section(page, x, y, b.laggards_title, w)
    for line in _rule_lines(page, b, w):
        page.text(x + 2.6, top + 2.6, line, RULE_SIZE, MUTED)
        top += LINE
    top += 1.0
    if not b.laggards:
        page.text(x + 2.6, top + 3.4, b.laggards_empty, 8, INK)
        return
    name_w = _name_w(page, b)
    for i, f in enumerate(b.laggards):
        inline = _figures_inline(page, b, f, w)
        h = LINE * (2 if inline else 3) + 1.6
        if i % 2 == 1:
            page.rect(x, top, w, h, STRIPE)
        line_top = top + 0.8
        page.text(x + 1.0, page.middle(line_top, LINE, NAME_SIZE), f.region, NAME_SIZE, INK)
        _tag(page, x + 1.0 + name_w, line_top, LINE, f.action)
        fig_x = x + 1.0 + name_w + TAG_W + 2.5
        if not inline:
            line_top += LINE
            fig_x = x + 1.0 + name_w
        t, s = page.fit(figures_text(f), FIG_SIZE, x + w - fig_x - 0.5, 6.5)
        page.text(fig_x, page.middle(line_top, LINE, FIG_SIZE), t, s, INK)
        line_top += LINE
        t, s = page.fit(f.rule, RULE_SIZE, w - name_w - 1.5, 5.5)
        page.text(x + 1.0 + name_w, page.middle(line_top, LINE, RULE_SIZE), t, s, MUTED)
        top += h


def wide_height(b: Brief, budget: float) -> float:
    """Room for the wide form: every region if they fit in ``budget`` mm, else as many rows as fit."""
    n = max(1, len(b.laggards))
    rows = max(2, min(n, int((budget - SECTION_H - 4.6) / WIDE_ROW)))
    return SECTION_H + 4.6 + WIDE_ROW * rows


def draw_wide(page: Page, b: Brief, x: float, y: float, w: float, h: float) -> None:
    top = section(page, x, y, b.laggards_title, w)
    if b.laggards_rule:
        t, s = page.fit("规则：" + b.laggards_rule, RULE_SIZE, w - 2.6, 5.5)
        page.text(x + 2.6, top + 0.8, t, s, MUTED)
    top += 3.6
    if not b.laggards:
        page.text(x + 2.6, top + 3.4, b.laggards_empty, 8, INK)
        return
    fit = int((y + h - top + 0.01) / WIDE_ROW)
    shown = b.laggards if len(b.laggards) <= fit else b.laggards[: fit - 1]
    name_w = max(page.width(f.region, NAME_SIZE) for f in shown) + 3.0
    figs = [figures_text(f) for f in shown]
    fig_w = min(96.0, max(page.width(s, FIG_SIZE) for s in figs) + 4.0)
    for i, (f, fig_text) in enumerate(zip(shown, figs)):
        yy = top + i * WIDE_ROW
        if i % 2 == 1:
            page.rect(x, yy, w, WIDE_ROW, STRIPE)
        page.text(x + 1.0, page.middle(yy, WIDE_ROW, NAME_SIZE), f.region, NAME_SIZE, INK)
        _tag(page, x + name_w, yy, WIDE_ROW, f.action)
        fx = x + name_w + TAG_W + 3.0
        t, s = page.fit(fig_text, FIG_SIZE, fig_w - 2, 6)
        page.text(fx, page.middle(yy, WIDE_ROW, FIG_SIZE), t, s, INK)
        t, s = page.fit(f.rule, RULE_SIZE, x + w - fx - fig_w - 1, 5.5)
        page.text(fx + fig_w, page.middle(yy, WIDE_ROW, RULE_SIZE), t, s, MUTED)
    if len(shown) < len(b.laggards):
        yy = top + len(shown) * WIDE_ROW
        more = f"…另有 {len(b.laggards) - len(shown)} 个未列出"
        page.text(x + 1.0, page.middle(yy, WIDE_ROW, 7), more, 7, MUTED)
