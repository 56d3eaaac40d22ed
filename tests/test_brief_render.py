"""The brief's renderers on hand-made model objects: one A4 page, fonts embedded, the text extractable,
every figure as given; the map draws each region once; the 通报 .docx names exactly the cities given."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("geopandas")
docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

from analysis.brief import FontMissing, fonts, render_docx, render_pdf, render_png  # noqa: E402
from analysis.brief.model import (  # noqa: E402
    BandEntry,
    Brief,
    Flagged,
    Headline,
    MapInput,
    MapRegion,
    Notice,
    Table,
)

REPO = Path(__file__).resolve().parents[1]
SHANXI = {
    "140100": "太原市",
    "140200": "大同市",
    "140300": "阳泉市",
    "140400": "长治市",
    "140500": "晋城市",
    "140600": "朔州市",
    "140700": "晋中市",
    "140800": "运城市",
    "140900": "忻州市",
    "141000": "临汾市",
    "141100": "吕梁市",
}
BANDS = (
    BandEntry(">=36", "≥36个月", "停止供地", "#d73027"),
    BandEntry("18-36", "18–36个月", "减少供地", "#fc8d59"),
    BandEntry("12-18", "12–18个月", "维持供地", "#fee090"),
    BandEntry("6-12", "6–12个月", "增加供地", "#91bfdb"),
    BandEntry("<6", "<6个月", "显著增加并加快供地", "#4575b4"),
)
HEADLINES = (
    Headline("计划改造户数", "14.3万户", "+1.2万户 同比", "117/117 县已报送"),
    Headline("已安置户数", "12.6万户", "完成率 88.3%", "112/117 县已报送"),
    Headline("货币化安置比例", "66.2%", "目标 60.0%", "112/117 县已报送"),
    Headline("可售面积", "2,404万㎡", "−38.5万㎡ 环比", "98/117 县已报送", "仅 2 个月数据"),
    Headline("去化周期", "16.4个月", "−0.8个月 环比", "98/117 县已报送", band="12-18"),
)
# 吕梁 not reported (grey), 大同 and 晋中 thin (hatched), the rest banded
MAP = MapInput(
    "city",
    "140000",
    (
        MapRegion("140100", "6-12"),
        MapRegion("140200", "12-18", is_thin=True),
        MapRegion("140300", "18-36"),
        MapRegion("140400", "12-18"),
        MapRegion("140500", "6-12"),
        MapRegion("140600", ">=36"),
        MapRegion("140700", "12-18", is_thin=True),
        MapRegion("140800", "18-36"),
        MapRegion("140900", "18-36"),
        MapRegion("141000", "12-18"),
        MapRegion("141100", None),
    ),
)
FLAGGED = (
    Flagged(
        "吕梁市",
        "约谈",
        "启动率 58.0% ÷ 应达 100% = 58%，低于约谈线 70%",
        (("年度计划", "12,400户"), ("启动率", "58.0%")),
    ),
    Flagged(
        "忻州市",
        "通报",
        "启动率 79.4% ÷ 应达 100% = 79%，低于通报线 85%",
        (("年度计划", "12,100户"), ("启动率", "79.4%")),
    ),
    Flagged(
        "运城市",
        "通报",
        "启动率 82.1% ÷ 应达 100% = 82%，低于通报线 85%",
        (("年度计划", "15,600户"), ("启动率", "82.1%")),
    ),
    Flagged(
        "阳泉市",
        "预警",
        "启动率 87.6% ÷ 应达 100% = 88%，低于预警线 90%",
        (("年度计划", "6,200户"), ("启动率", "87.6%")),
    ),
)


def ranking(names: list[str]) -> Table:
    rows = tuple((n, f"{30 - i * 0.7:.1f}个月", f"{100 + i:,.1f}", f"{i + 1}/{i + 2} 县") for i, n in enumerate(names))
    return Table(("城市", "去化周期", "可售面积（万㎡）", "报送"), rows)


def make_brief(**changes) -> Brief:
    brief = Brief(
        title="山西省棚改与去库存简报",
        region_name="山西省",
        region_level="province",
        period="2017-12",
        window_months=12,
        headlines=HEADLINES,
        map=MAP,
        bands=BANDS,
        ranking=ranking(list(SHANXI.values())),
        laggards=FLAGGED,
        laggards_rule="启动率 ÷ 当月应达进度 < 70% → 约谈；< 85% → 通报；< 90% → 预警",
        absorption="货币化安置 8.34万户 → 消化存量商品住房 5.84万套 / 525万㎡ / 占存量 21.8%",
        footnotes=("去化周期 = 可售面积 ÷ 近12个月月均销售面积。",),
        is_synthetic=True,
    )
    return replace(brief, **changes)


def pdf_text(pdf: bytes) -> str:
    """The text as poppler's pdftotext extracts it (pypdf where poppler-utils is not installed)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
        return out.stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def synthetic_pdf() -> bytes:
    return render_pdf(make_brief())


def test_pdf_is_one_a4_page(synthetic_pdf):
    reader = pypdf.PdfReader(io.BytesIO(synthetic_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(210 / 25.4 * 72, abs=0.5)  # 595.3 pt
    assert float(box.height) == pytest.approx(297 / 25.4 * 72, abs=0.5)  # 841.9 pt


def test_pdf_embeds_every_font_as_truetype(synthetic_pdf):
    reader = pypdf.PdfReader(io.BytesIO(synthetic_pdf))
    fonts_ = list(reader.pages[0]["/Resources"]["/Font"].values())
    assert fonts_
    for ref in fonts_:
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]  # an embedded TrueType program
        assert "/ToUnicode" in font  # so the text can be copied and searched
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", "-"], input=synthetic_pdf, capture_output=True, check=True, text=False)
        lines = out.stdout.decode("utf-8").splitlines()[2:]
        assert lines and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in lines), lines
        assert b"Mismatch" not in out.stderr


def test_pdf_text_holds_every_figure_as_given(synthetic_pdf):
    text = pdf_text(synthetic_pdf)
    assert "山西省棚改与去库存简报" in text
    assert "2017-12" in text
    for h in HEADLINES:
        assert h.value in text, h.value
        assert h.coverage in text, h.coverage
        assert h.change in text, h.change
    assert "仅 2 个月数据" in text
    for name in SHANXI.values():
        assert name in text
    assert "货币化安置 8.34万户 → 消化存量商品住房 5.84万套 / 525万㎡ / 占存量 21.8%" in text
    for f in FLAGGED:
        assert f.rule in text
    assert "演示数据" in text


def test_png_is_an_a4_page_at_200_dpi():
    png = render_png(make_brief())
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (int(210 / 25.4 * 200), int(297 / 25.4 * 200))  # 1653 × 2338


def test_twenty_cities_and_every_one_flagged_still_fit_one_page():
    names = [f"测试{i:02d}市" for i in range(1, 21)]
    flagged = tuple(Flagged(n, "通报", "启动率 80.0% ÷ 应达 100% = 80%，低于通报线 85%") for n in names)
    pdf = render_pdf(make_brief(ranking=ranking(names), laggards=flagged))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdf_text(pdf)
    assert all(n in text for n in names)


def test_a_ranking_too_long_for_the_page_says_how_many_are_left_out():
    names = [f"第{i:03d}县" for i in range(1, 121)]
    pdf = render_pdf(make_brief(ranking=ranking(names), laggards=(), is_synthetic=False))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = pdf_text(pdf)
    assert "演示数据" not in text  # real data carries no mark
    assert "所有城市均达到当月应达进度。" in text
    shown = [n for n in names if n in text]
    left_out = int(re.search(r"…另有 (\d+) 个", text).group(1))
    assert shown == names[: len(shown)] and shown
    assert len(shown) + left_out == 120


# --- the map -------------------------------------------------------------------------------------


def test_map_draws_every_region_once_greys_no_data_and_hatches_thin_ones():
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    from analysis.brief import mapdraw
    from analysis.brief.layout import Page

    with (REPO / "data" / "boundaries" / "city" / "140000.geojson").open(encoding="utf-8") as fh:
        codes = [f["properties"]["adcode"] for f in json.load(fh)["features"]]
    assert sorted(codes) == sorted(SHANXI)
    page = Page(fonts.cjk_font_path())
    fig = Figure(figsize=(4, 6))
    ax = fig.add_axes((0, 0, 1, 1))
    drawing = mapdraw.draw_map(ax, MAP, {b.key: b.color for b in BANDS}, font=page.font, text_width_mm=page.width)
    frame = drawing.frame
    assert sorted(frame["code"]) == sorted(codes) and frame["code"].is_unique
    faces = drawing.fill.get_facecolors()
    assert len(faces) == len(codes)
    colours = {b.key: b.color for b in BANDS}
    by_code = {r.code: r for r in MAP.regions}
    for code, face in zip(frame["code"], faces):
        expected = "#d9d9d9" if by_code[code].band is None else colours[by_code[code].band]
        assert tuple(face) == pytest.approx(to_rgba(expected)), code
    assert drawing.hatch is not None and drawing.hatch.get_hatch()
    assert len(drawing.hatch.get_paths()) == 2  # 大同市, 晋中市
    assert sorted(frame.loc[frame["is_thin"], "code"]) == ["140200", "140700"]
    assert set(drawing.labels) | set(drawing.omitted) == set(codes)
    assert len(drawing.labels) == 11  # a city of Shanxi is large enough for its name
    fig.canvas.draw()  # renders without error


def test_a_region_too_small_for_its_name_is_named_beside_it():
    """太原市's 迎泽区 is too small for its name inside it: it is named beside, clear of every other name."""
    from matplotlib.figure import Figure

    from analysis.brief import mapdraw
    from analysis.brief.layout import Page

    with (REPO / "data" / "boundaries" / "county" / "140000.geojson").open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    names = {f["properties"]["adcode"]: f["properties"]["name"] for f in features}
    names = {code: name for code, name in names.items() if code.startswith("1401")}
    assert len(names) == 10 and "迎泽区" in names.values()
    m = MapInput("county", "140100", tuple(MapRegion(code, "12-18") for code in names))
    page = Page(fonts.cjk_font_path())
    fig = Figure(figsize=(100 / 25.4, 70 / 25.4))  # a map as small as the brief draws it
    ax = fig.add_axes((0, 0, 1, 1))
    drawing = mapdraw.draw_map(ax, m, {b.key: b.color for b in BANDS}, font=page.font, text_width_mm=page.width)
    assert set(drawing.labels) == set(names) and drawing.omitted == ()
    fig.canvas.draw()
    texts = [t for t in ax.texts if t.get_text() in names.values()]
    assert sorted(t.get_text() for t in texts) == sorted(names.values())  # each named once
    boxes = [t.get_window_extent() for t in texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (texts[boxes.index(a)].get_text(), texts[boxes.index(b)].get_text())


def test_a_header_too_wide_for_its_column_goes_on_two_lines():
    from analysis.brief.panels import header_lines

    assert header_lines("去化周期（个月）") == ("去化周期", "（个月）")
    assert header_lines("县（市、区）") == ("县（市、区）",) and header_lines("报送") == ("报送",)


def test_a_region_code_not_on_the_layer_is_refused():
    from analysis.brief import mapdraw

    with pytest.raises(ValueError, match="not on the city layer"):
        mapdraw.map_frame(MapInput("city", "140000", (MapRegion("210100", "<6"),)), {"<6": "#4575b4"})


def test_model_refuses_unknown_bands_and_periods():
    with pytest.raises(ValueError, match="not in the legend"):
        make_brief(map=MapInput("city", "140000", (MapRegion("140100", "36+"),)))
    with pytest.raises(ValueError):
        make_brief(period="2017-13")
    with pytest.raises(ValueError, match="not in the legend"):
        make_brief(bands=BANDS[1:])  # the map uses every band


def test_missing_font_is_reported_in_chinese(monkeypatch, tmp_path):
    fonts.cjk_font_path.cache_clear()
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "none.ttf"))
    try:
        with pytest.raises(FontMissing, match="字体.*不可用：文件不存在") as err:
            fonts.cjk_font_path()
        assert "apt-get install fonts-wqy-microhei" in str(err.value)
    finally:
        fonts.cjk_font_path.cache_clear()


# --- the 通报 ------------------------------------------------------------------------------------


def make_notice(**changes) -> Notice:
    notice = Notice(
        title="关于2017年12月全省棚户区改造和商品住房去库存工作进展情况的通报",
        period="2017-12",
        recipients="各市住房城乡建设局：",
        opening="现将2017年12月全省棚户区改造和商品住房去库存工作进展情况通报如下：",
        overview=("全省年度计划改造棚户区14.3万户，已启动13.0万户，启动率90.5%。",),
        city_table=Table(
            ("城市", "年度计划（户）", "启动率", "去化周期（个月）"),
            tuple((n, "10,000", "95.0%", "12.0") for n in SHANXI.values()),
        ),
        named=FLAGGED[1:3],
        summoned=FLAGGED[:1],
        warned=FLAGGED[3:],
        thresholds="启动率 ÷ 当月应达进度 < 70% 的约谈，< 85% 的通报。",
        is_synthetic=True,
    )
    return replace(notice, **changes)


def _section_after(paragraphs: list[str], heading: str, stop: str) -> list[str]:
    start = paragraphs.index(heading) + 1
    end = next(i for i in range(start, len(paragraphs)) if paragraphs[i].startswith(stop))
    return paragraphs[start:end]


def test_docx_names_exactly_the_cities_given_with_their_figures():
    doc = docx.Document(io.BytesIO(render_docx(make_notice())))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "关于2017年12月全省棚户区改造和商品住房去库存工作进展情况的通报" in paragraphs
    named = _section_after(paragraphs, "（一）予以通报的城市", "（二）")
    summoned = _section_after(paragraphs, "（二）约谈的城市", "（三）")
    warned = _section_after(paragraphs, "（三）予以预警的城市", "四、")
    assert [re.match(r"\d+\. (.+?)：", p).group(1) for p in named] == ["忻州市", "运城市"]
    assert [re.match(r"\d+\. (.+?)：", p).group(1) for p in summoned] == ["吕梁市"]
    assert [re.match(r"\d+\. (.+?)：", p).group(1) for p in warned] == ["阳泉市"]
    assert "年度计划 12,100户" in named[0] and "启动率 79.4%" in named[0] and FLAGGED[1].rule in named[0]
    assert "年度计划 15,600户" in named[1] and "启动率 82.1%" in named[1]
    assert "年度计划 12,400户" in summoned[0] and "启动率 58.0%" in summoned[0]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["城市", "年度计划（户）", "启动率", "去化周期（个月）"]
    assert [r.cells[0].text for r in table.rows[1:]] == list(SHANXI.values())
    assert any(p.startswith("【演示数据】") for p in paragraphs)
    requirements = _section_after(paragraphs + ["四、"], "四、下一步工作要求", "〔")
    assert requirements[0].startswith("【待填写")


def test_docx_with_no_one_flagged_says_so():
    doc = docx.Document(io.BytesIO(render_docx(make_notice(named=(), summoned=(), warned=(), is_synthetic=False))))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "本月无予以通报的城市。" in paragraphs and "本月无约谈的城市。" in paragraphs
    assert "本月无予以预警的城市。" in paragraphs
    assert not any("演示数据" in p for p in paragraphs)


def test_docx_page_setup_is_gb_t_9704():
    doc = docx.Document(io.BytesIO(render_docx(make_notice())))
    s = doc.sections[0]
    mm = 36000  # EMU per mm
    assert (round(s.page_width / mm), round(s.page_height / mm)) == (210, 297)
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert tuple(round(m / mm) for m in margins) == (37, 35, 28, 26)
    body = doc.styles["公文正文"]
    assert body.font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    fonts_ = body.element.rPr.rFonts
    assert fonts_.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert doc.styles["公文标题"].font.size.pt == 22
    for heading in ("公文标题", "一级标题", "二级标题", "表题"):  # a heading never ends a page
        assert doc.styles[heading].paragraph_format.keep_with_next is True, heading
    assert doc.styles["公文正文"].paragraph_format.keep_with_next is not True
    texts = [p.text for p in doc.paragraphs]
    last = texts.index("〔成文日期〕")
    requirements = next(i for i, t in enumerate(texts) if t.startswith("【待填写"))
    for para in doc.paragraphs[requirements:last]:  # the signature stays on the page of the last words
        assert para.paragraph_format.keep_with_next is True, para.text
    footer_xml = s.footer._element.xml
    assert "PAGE" in footer_xml and "— " in s.footer.paragraphs[0].text
