"""Drawing primitives for an A4 page in millimetres (origin top left, y down) on one matplotlib figure.

Text is measured with the same FreeType face matplotlib draws with, so widths are exact; text that does
not fit shrinks to a minimum size and is then cut with an ellipsis, never clipped or overlapped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

PAGE_W_MM = 210.0
PAGE_H_MM = 297.0
PT_MM = 25.4 / 72  # one point in millimetres
INK = "#202124"
MUTED = "#5f6368"
RULE = "#c4c8ce"
ACCENT = "#1f3a5f"  # section bars
RED = "#b3261e"  # the 红头 rule, the 演示数据 mark
STRIPE = "#f6f7f9"  # every other table row
SECTION_H = 6.4  # a section title and the space under it
# a short bracket ("（3 县同口径）") stays on one line, as a number or a Latin word does
_TOKENS = re.compile(r"（[^（）]{1,10}）|[A-Za-z0-9.,:%+\-−–_/~]+|\s+|.")
_NO_BREAK_BEFORE = set("，。、；：？！）》」”’%…·")
_NO_BREAK_AFTER = set("<>≤≥=÷→（《「“‘")


def _breakable(before: list[str], token: str) -> bool:
    """Whether a line may end after the tokens ``before`` and the next start with ``token``."""
    last = "".join(before).rstrip()[-1:]
    return bool(last) and token[0] not in _NO_BREAK_BEFORE and last not in _NO_BREAK_AFTER


@lru_cache(maxsize=4)
def _face(path: str) -> FT2Font:
    face = FT2Font(path)
    face.set_size(100, 72)
    return face


@lru_cache(maxsize=8192)
def _em_width(path: str, text: str) -> float:
    """Width of ``text`` in em (as matplotlib lays it out: the ink box of the FreeType layout)."""
    face = _face(path)
    face.set_text(text, 0.0)
    return face.get_width_height()[0] / 64 / 100


class Page:
    """One A4 page: ``text``, ``rect``, ``hline`` in mm; ``axes`` for an inset (the map)."""

    def __init__(self, font_path: Path) -> None:
        self.font_path = str(font_path)
        self.font = FontProperties(fname=self.font_path)
        self.fig = Figure(figsize=(PAGE_W_MM / 25.4, PAGE_H_MM / 25.4))
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, PAGE_W_MM)
        self.ax.set_ylim(PAGE_H_MM, 0)
        self.ax.set_axis_off()

    # --- measuring -----------------------------------------------------------------------------

    def width(self, text: str, size: float) -> float:
        """Width in mm of ``text`` at ``size`` pt."""
        return _em_width(self.font_path, text) * size * PT_MM if text else 0.0

    def fit(self, text: str, size: float, max_w: float, min_size: float | None = None) -> tuple[str, float]:
        """``(text, size)`` that fits ``max_w`` mm: shrink down to ``min_size`` pt, then cut with "…"."""
        min_size = size if min_size is None else min_size
        w = self.width(text, size)
        if w <= max_w:
            return text, size
        shrunk = max(min_size, size * max_w / w)
        if self.width(text, shrunk) <= max_w:
            return text, shrunk
        while len(text) > 1 and self.width(text + "…", shrunk) > max_w:
            text = text[:-1]
        return text + "…", shrunk

    def wrap(self, text: str, size: float, max_w: float) -> list[str]:
        """Lines of ``text`` no wider than ``max_w`` mm: breaks between CJK characters, never inside a
        number or a Latin word, never before closing punctuation nor after "<", "→", an opening bracket…"""
        lines: list[str] = []
        cur: list[str] = []
        for token in _TOKENS.findall(text):
            cur.append(token)
            if self.width("".join(cur), size) <= max_w:
                continue
            k = next((k for k in range(len(cur) - 1, 0, -1) if _breakable(cur[:k], cur[k])), None)
            if k is not None:
                lines.append("".join(cur[:k]).rstrip())
                cur = cur[k:]
                while cur and cur[0].isspace():
                    cur.pop(0)
            elif len(cur) == 1:  # a single token wider than the line: cut it
                line = cur[0]
                while len(line) > 1 and self.width(line, size) > max_w:
                    cut = len(line) - 1
                    while cut > 1 and self.width(line[:cut], size) > max_w:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                cur = [line]
        tail = "".join(cur).rstrip()
        if tail:
            lines.append(tail)
        return lines

    # --- drawing -------------------------------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        color: str = INK,
        ha: str = "left",
        va: str = "baseline",
        **kw,
    ) -> None:
        """Text with its baseline (or ``va``) at ``y`` mm."""
        self.ax.text(x, y, s, fontproperties=self.font, fontsize=size, color=color, ha=ha, va=va, **kw)

    def middle(self, top: float, height: float, size: float) -> float:
        """The baseline that centres CJK text of ``size`` pt vertically in a band."""
        return top + height / 2 + 0.36 * size * PT_MM

    def rect(self, x: float, y: float, w: float, h: float, color: str, **kw) -> None:
        self.ax.add_patch(Rectangle((x, y), w, h, facecolor=color, edgecolor=kw.pop("edgecolor", "none"), **kw))

    def pill(self, x: float, y: float, w: float, h: float, color: str) -> None:
        self.ax.add_patch(
            FancyBboxPatch(
                (x, y), w, h, boxstyle=f"round,pad=0,rounding_size={h * 0.3}", facecolor=color, edgecolor="none"
            )
        )

    def hline(self, x0: float, x1: float, y: float, width_pt: float = 0.5, color: str = RULE) -> None:
        self.ax.plot([x0, x1], [y, y], color=color, linewidth=width_pt, solid_capstyle="butt")

    def axes(self, x: float, y: float, w: float, h: float):
        return self.fig.add_axes((x / PAGE_W_MM, 1 - (y + h) / PAGE_H_MM, w / PAGE_W_MM, h / PAGE_H_MM))

    def watermark(self, s: str, size_mm: float, color: str, alpha: float, angle: float = 30) -> None:
        """Large diagonal text over everything (the map too), drawn as outlines so that it does not mix
        into the text a PDF reader extracts."""
        top = self.fig.add_axes((0, 0, 1, 1), zorder=100)
        top.set_xlim(0, PAGE_W_MM)
        top.set_ylim(PAGE_H_MM, 0)
        top.set_axis_off()
        top.patch.set_alpha(0)
        path = TextPath((0, 0), s, size=1, prop=self.font)
        ext = path.get_extents()
        cx, cy = (ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2
        where = (
            Affine2D()
            .translate(-cx, -cy)
            .scale(size_mm, -size_mm)
            .rotate_deg(-angle)
            .translate(PAGE_W_MM / 2, PAGE_H_MM / 2)
        )
        top.add_patch(PathPatch(where.transform_path(path), facecolor=color, edgecolor="none", alpha=alpha))


def section(page: Page, x: float, y: float, title: str, w: float) -> float:
    """A section title with its bar; returns the y under it."""
    page.rect(x, y, 1.1, 4.2, ACCENT)
    t, s = page.fit(title, 10, w - 3, 8)
    page.text(x + 2.6, y + 3.6, t, s, INK)
    return y + SECTION_H
