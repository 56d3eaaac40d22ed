"""The leader's one-page brief (PDF / PNG) and the 通报 draft (.docx) of a province or a city.

    facts = gather(source, "140000", "2017-12")        # the page's figures (analysis.brief.facts)
    pdf = render_pdf(build.brief(facts))                 # or generate(source, "140000", "2017-12", "pdf")
    docx = render_docx(build.notice(facts))

:mod:`~analysis.brief.facts` gathers the figures with the functions the pages use, :mod:`~analysis.brief.build`
writes them into :mod:`~analysis.brief.model` records, and the renderers only lay those out. matplotlib,
GeoPandas and python-docx are imported on first use, not with this package.

>>> FORMATS["docx"].suffix, file_name("山西省", "2017-12", "pdf")
('.docx', '山西省简报_2017-12.pdf')
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.brief.facts import NotBriefable, Source, connection_compute, gather
from analysis.brief.fonts import FontMissing, cjk_font_path

if TYPE_CHECKING:
    from analysis.brief.model import Brief, Notice
    from analysis.progress import Thresholds

__all__ = [
    "FORMATS", "FontMissing", "NotBriefable", "Source", "connection_compute", "file_name", "gather", "generate",
    "render_docx", "render_pdf", "render_png", "error_file",
]  # fmt: skip


@dataclass(frozen=True)
class Format:
    suffix: str
    mime: str
    label: str  # what the download button says


FORMATS = {
    "pdf": Format(".pdf", "application/pdf", "简报 PDF"),
    "png": Format(".png", "image/png", "简报 PNG 图片"),
    "docx": Format(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "通报 Word"),
}


def file_name(region_name: str, period: str, form: str) -> str:
    """``山西省简报_2017-12.pdf`` / ``山西省通报_2017-12.docx``."""
    kind = "通报" if form == "docx" else "简报"
    return f"{region_name}{kind}_{period}{FORMATS[form].suffix}"


def generate(source: Source, code: str, period: str | None, form: str, thresholds: Thresholds | None = None) -> bytes:
    """The brief (``pdf`` / ``png``) or the 通报 (``docx``) of province or city ``code`` at ``period``."""
    from analysis.brief import build

    if form not in FORMATS:
        raise ValueError(f"format must be one of {tuple(FORMATS)}")
    facts = gather(source, code, period, thresholds)
    if form == "docx":
        return render_docx(build.notice(facts))
    brief = build.brief(facts)
    return render_pdf(brief) if form == "pdf" else render_png(brief)


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


def error_file(form: str, message: str) -> bytes:
    """A file of the asked format that says, in Chinese, why the brief could not be made (a download that
    fails in the browser would show Streamlit's English error instead)."""
    if form == "docx":
        from docx import Document

        doc = Document()
        doc.add_paragraph(message)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    import matplotlib

    from analysis.brief.layout import Page
    from analysis.brief.pdf import PDF_RC

    page = Page(cjk_font_path())
    for i, line in enumerate(page.wrap(message, 12, 170)):
        page.text(20, 40 + i * 7, line, 12)
    out = io.BytesIO()
    with matplotlib.rc_context(PDF_RC):
        page.fig.savefig(out, format="pdf" if form == "pdf" else "png", dpi=100)
    return out.getvalue()
