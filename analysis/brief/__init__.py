"""The leader's one-page brief (PDF / PNG) and the 通报 draft (.docx), rendered from :mod:`analysis.brief.model`.

>>> from analysis.brief import render_pdf, render_png, render_docx
>>> from analysis.brief.sample import shanxi_brief, shanxi_notice
>>> render_pdf(shanxi_brief())[:5]
b'%PDF-'

The renderers only lay out the text they are given; the figures are computed and formatted by the caller.
matplotlib, GeoPandas and python-docx are imported on first use, not with this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.brief.fonts import FontMissing

if TYPE_CHECKING:
    from analysis.brief.model import Brief, Notice

__all__ = ["FontMissing", "render_docx", "render_pdf", "render_png"]


def render_pdf(brief: Brief) -> bytes:
    """The brief as a one-page A4 PDF."""
    from analysis.brief import pdf

    return pdf.render_pdf(brief)


def render_png(brief: Brief, dpi: int | None = None) -> bytes:
    """The brief as a PNG of the A4 page (200 dpi unless ``dpi`` is given)."""
    from analysis.brief import pdf

    return pdf.render_png(brief) if dpi is None else pdf.render_png(brief, dpi)


def render_docx(notice: Notice) -> bytes:
    """The 通报 draft as a .docx in 公文 layout."""
    from analysis.brief import notice as docx_notice

    return docx_notice.render_docx(notice)
