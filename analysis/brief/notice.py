"""The 通报 draft as .docx (python-docx), in the 公文 layout of GB/T 9704-2012 as far as fonts allow.

A4; margins 37 / 35 / 28 / 26 mm (top / bottom / left / right); a 22-line × 28-character grid
(fixed line spacing 28.95 pt); title 二号 (22 pt) 方正小标宋简体; body 三号 (16 pt) 仿宋_GB2312;
first-level headings 黑体 "一、", second-level 楷体_GB2312 "（一）"; page numbers "— 1 —" in 四号 宋体,
odd pages on the right and even pages on the left, one character in. The fonts are named, not embedded:
Word and WPS use them when installed, else the substitutes in the font table (仿宋, 楷体, 宋体).
下一步工作要求 is a highlighted placeholder for the clerk.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from analysis.brief.model import Flagged, Notice, Table
from analysis.brief.ooxml import PPR_AFTER_SNAP, RPR_AFTER_SPACING, insert, valued

PAGE = (Mm(210), Mm(297))
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # mm, GB/T 9704 §5.2.1
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines, rounded as the templates do
CHARS_PER_LINE = 28
TEXT_W_PT = (210 - 28 - 26) / 25.4 * 72  # 442.2 pt
# 28 characters of 三号 need 15.79 pt each: condense by 0.25 pt (w:spacing is in 1/20 pt)
CHAR_SPACING_TWIPS = -5
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT = 16, 22, 14, 12  # 三号, 二号, 四号, 小四
TITLE_FONT, BODY_FONT, HEI, KAI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
SUBSTITUTES = {TITLE_FONT: SONG, BODY_FONT: "仿宋", KAI: "楷体"}  # w:altName in the font table
RED = RGBColor(0xC0, 0x00, 0x00)
NUMERALS = "一二三四五六七八九十"
SYNTHETIC_NOTE = "【演示数据】本通报的数字由程序生成的演示数据计算，仅供演示，不得印发。"


def render_docx(notice: Notice) -> bytes:
    """The 通报 draft as .docx bytes."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_table(doc)
    _page_numbers(doc, notice.is_synthetic)
    if notice.is_synthetic:
        _para(doc, SYNTHETIC_NOTE, "公文正文", color=RED, bold=True, indent=False)
    if notice.doc_number:
        _para(doc, notice.doc_number, "公文正文", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", "公文正文", indent=False)
    _para(doc, notice.title, "公文标题")
    _para(doc, "", "公文正文", indent=False)
    _para(doc, notice.recipients, "公文正文", indent=False)
    _para(doc, notice.opening, "公文正文")

    _heading(doc, 1, "总体情况")
    for text in (*notice.overview, *notice.warnings):
        _para(doc, text, "公文正文")

    _heading(doc, 2, notice.progress_heading)
    _para(doc, f"{notice.progress_heading}见表1。{_table_note(notice.city_table)}", "公文正文")
    _para(doc, f"表1　{notice.city_table_title}", "表题")
    _table(doc, notice.city_table)
    for note in notice.footnotes:
        _para(doc, note if note.startswith("注") else f"注：{note}", "表注")

    _heading(doc, 3, "通报和约谈")
    _para(doc, notice.thresholds, "公文正文")
    who = notice.subject
    _subheading(doc, 1, f"予以通报的{who}")
    _flagged(doc, notice.named, f"本月无予以通报的{who}。")
    _subheading(doc, 2, f"约谈的{who}")
    _flagged(doc, notice.summoned, f"本月无约谈的{who}。")
    _subheading(doc, 3, f"予以预警的{who}")
    _flagged(doc, notice.warned, f"本月无予以预警的{who}。")

    _heading(doc, 4, "下一步工作要求")
    for para in (
        _para(doc, notice.requirements, "公文正文", highlight=True),
        _para(doc, "", "公文正文", indent=False),
    ):  # the signature never stands alone on a page (GB/T 9704 §7.3.5)
        para.paragraph_format.keep_with_next = True
    _signature(doc, notice.issuer, notice.date_text)
    doc.core_properties.title = notice.title
    doc.core_properties.author = ""
    doc.core_properties.comments = "演示数据" if notice.is_synthetic else ""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- page, styles, fonts ------------------------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(25)  # the page number about 7 mm under the type area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")  # 22 lines; the 28 characters come from the body's character spacing
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)


def _fonts(rpr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    _set_fonts(rpr_owner.get_or_add_rPr().get_or_add_rFonts(), east_asia, latin)


def _set_fonts(rfonts, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts, no theme fonts (a theme attribute would win over the explicit name)."""
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


KEEP_WITH_NEXT = ("公文标题", "一级标题", "二级标题", "表题")


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr.find(qn("w:rFonts")), BODY_FONT)
    for tag in ("w:sz", "w:szCs"):  # the character grid's pitch is counted from the default size
        el = rpr.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")

    normal = doc.styles["Normal"]
    _fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(BODY_PT)
    _spacing(normal, exact=True)
    off_grid = {"公文标题", "表格文字", "表注", "页码"}  # type other than 三号 does not snap to the 三号 grid
    specs = {  # name: (east Asian font, size, align, exact line, indent 2 chars, outline level)
        "公文正文": (BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, True, True, None),
        "公文标题": (TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, False, False, 0),
        "一级标题": (HEI, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, True, True, 1),
        "二级标题": (KAI, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, True, True, 2),
        "表题": (HEI, 14, WD_ALIGN_PARAGRAPH.CENTER, True, False, None),
        "表格文字": (BODY_FONT, TABLE_PT, WD_ALIGN_PARAGRAPH.CENTER, False, False, None),
        "表注": (BODY_FONT, 12, WD_ALIGN_PARAGRAPH.LEFT, False, False, None),
        "页码": (SONG, PAGE_NO_PT, WD_ALIGN_PARAGRAPH.RIGHT, False, False, None),
    }
    for name, (font, size, align, exact, indent, level) in specs.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _fonts(style.element, font)
        style.font.size = Pt(size)
        style.paragraph_format.alignment = align
        style.paragraph_format.keep_with_next = name in KEEP_WITH_NEXT  # a heading never ends a page
        _spacing(style, exact=exact)
        if name == "公文标题":
            style.paragraph_format.line_spacing = Pt(35)  # a two-line title keeps its lines apart
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if indent:
            _indent_chars(style.element, 200)
        if name in off_grid:
            insert(style.element.get_or_add_pPr(), valued("w:snapToGrid", "0"), PPR_AFTER_SNAP)
        if size == BODY_PT:
            insert(style.element.get_or_add_rPr(), valued("w:spacing", str(CHAR_SPACING_TWIPS)), RPR_AFTER_SPACING)
        if level is not None:
            style.element.get_or_add_pPr()._insert_outlineLvl(valued("w:outlineLvl", str(level)))


def _spacing(style, *, exact: bool) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    else:
        fmt.line_spacing = 1.0


def _indent_chars(element, hundredths: int) -> None:
    """First-line indent in characters (200 = two characters, the body indent of 公文)."""
    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(hundredths))
    ind.set(qn("w:firstLine"), str(int(BODY_PT * 20 * hundredths / 100)))


def _font_table(doc) -> None:
    """Name the Chinese fonts in word/fontTable.xml with a GB2312 charset and a substitute (w:altName)."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in (TITLE_FONT, BODY_FONT, HEI, KAI, SONG):
        if name in known:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if name in SUBSTITUTES:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), SUBSTITUTES[name])
            font.append(alt)
        for tag, value in (("w:charset", "86"), ("w:family", "modern" if name == HEI else "roman")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), value)
            font.append(el)
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- page numbers ---------------------------------------------------------------------------------


def _page_numbers(doc, synthetic: bool) -> None:
    """ "— 1 —" at the bottom, odd pages right and even pages left, one character in (GB/T 9704 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, None)):
        p = footer.paragraphs[0]
        p.style = doc.styles["页码"]
        fmt = p.paragraph_format
        if align is None:
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt.left_indent = Pt(PAGE_NO_PT)
        else:
            fmt.alignment = align
            fmt.right_indent = Pt(PAGE_NO_PT)
        p.add_run("— ")
        _field(p, "PAGE")
        p.add_run(" —")
    if synthetic:
        for header in (section.header, section.even_page_header):
            run = header.paragraphs[0].add_run("演示数据")
            run.font.color.rgb = RED
            run.font.size = Pt(10.5)
            header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _field(paragraph, code: str) -> None:
    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    paragraph.add_run()._r.append(fld("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(fld("end"))


# --- content ------------------------------------------------------------------------------------


def _para(doc, text: str, style: str, *, align=None, indent: bool = True, color=None, bold=False, highlight=False):
    p = doc.add_paragraph(style=doc.styles[style])
    if align is not None:
        p.paragraph_format.alignment = align
    if not indent:
        _indent_chars(p._p, 0)
        p.paragraph_format.first_line_indent = Pt(0)
    if text:
        run = p.add_run(text)
        if color is not None:
            run.font.color.rgb = color
        run.bold = bold or None
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _heading(doc, n: int, text: str) -> None:
    _para(doc, f"{NUMERALS[n - 1]}、{text}", "一级标题")


def _subheading(doc, n: int, text: str) -> None:
    _para(doc, f"（{NUMERALS[n - 1]}）{text}", "二级标题")


def flagged_sentence(i: int, f: Flagged) -> str:
    """``1. 忻州市：年度计划 12,100户，已启动 9,608户，启动率 79.4%（启动率 79.4% ÷ 应达 100% = 79%，…）。``"""
    figures = "，".join(f"{label} {value}" for label, value in f.figures)
    return f"{i}. {f.region}：{figures}（{f.rule}）。" if figures else f"{i}. {f.region}（{f.rule}）。"


def _flagged(doc, entries: tuple[Flagged, ...], none: str) -> None:
    if not entries:
        _para(doc, none, "公文正文")
    for i, f in enumerate(entries, 1):
        _para(doc, flagged_sentence(i, f), "公文正文")


def _table_note(t: Table) -> str:
    return "" if t.rows else "（本月无城市数据。）"


def _table(doc, t: Table) -> None:
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    widths = _widths(t)
    for r, cells in enumerate((t.headers, *t.rows)):
        row = table.rows[r]
        if r == 0:  # the header repeats on every page
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(flag)
        for j, text in enumerate(cells):
            cell = row.cells[j]
            cell.width = widths[j]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = doc.styles["表格文字"]
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 else aligns[t.alignments()[j]]
            run = p.add_run(text)
            if r == 0:
                _run_font(run, HEI)


def _widths(t: Table) -> list:
    """Column widths in proportion to the longest cell (a CJK character counting 1, others 0.55)."""

    def length(s: str) -> float:
        return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in s) + 1.2

    natural = [max(length(c) for c in col) for col in zip(t.headers, *t.rows)]
    total_mm = 210 - MARGINS["left"] - MARGINS["right"]
    return [Mm(total_mm * n / sum(natural)) for n in natural]


def _run_font(run, east_asia: str) -> None:
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)


def _signature(doc, issuer: str, date_text: str) -> None:
    """The issuer centred over the date, the date four characters in from the right (GB/T 9704 §7.3.5)."""

    def chars(s: str) -> float:
        return sum(1.0 if ord(c) > 0x2E80 else 0.5 for c in s)

    date_in = 4 * BODY_PT
    issuer_in = max(0.0, date_in + (chars(date_text) - chars(issuer)) * BODY_PT / 2)
    for text, right in ((issuer, issuer_in), (date_text, date_in)):
        p = _para(doc, text, "公文正文", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(right)
        p.paragraph_format.keep_with_next = text == issuer
