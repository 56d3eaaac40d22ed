"""The brief and the 通报 from the store: the figures of 总览 for the same view, coverage, refusals, the page.

Expected figures are computed by the routes the pages take (``metrics.compute``, ``headline``,
``progress.behind_curve``, ``analysis.format``) and compared with the text poppler extracts from the PDF and
with the paragraphs of the .docx, never by calling the brief's own code a second time.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess

import pandas as pd
import pytest

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

from analysis import catalogue, headline, metrics, progress  # noqa: E402
from analysis import format as fmt  # noqa: E402
from analysis.store import Store  # noqa: E402
from tests.apptest import cards, problems, run_app  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils missing (make test installs it)"
)
A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def rows(con, level: str, scope: str, period: str, window: int = 12) -> pd.DataFrame:
    return metrics.compute(con, metrics.MetricsQuery(level=level, scope=scope, period=period, window_months=window))


def compute_on(con, window: int = 12):
    """The ``compute`` the headline changes ask for, straight on metrics.compute (the page's cache aside)."""

    def compute(level, period, scope=None, only=None, years=None):
        q = metrics.MetricsQuery(level, scope, period, window, tuple(years or ()), only=only)
        return metrics.compute(con, q)

    return compute


@pytest.fixture(scope="module")
def shanxi(demo_dir, tmp_path_factory):
    """山西省 2017-12 from the command line: the PDF, the PNG and the 通报, and the metrics to check them by."""
    out = tmp_path_factory.mktemp("brief")
    files = {}
    for form in ("pdf", "png", "docx"):
        path = out / f"shanxi.{form}"
        ran = run_cli("brief", "--region", "山西省", "--period", "2017-12", "--format", form, "--out", str(path),
                      data_dir=demo_dir)  # fmt: skip
        assert "已写入" in ran.stdout
        files[form] = path.read_bytes()
    con = Store(demo_dir).connect()
    try:
        prov = rows(con, "province", "140000", "2017-12").iloc[0]
        cities = rows(con, "city", "140000", "2017-12")
        counties = rows(con, "county", "140000", "2017-12")
        periods = metrics.periods(con)
        compute = compute_on(con)
        month = headline.like_for_like(compute, prov, periods, 1, "环比")
        plan = headline.like_for_like(compute, prov, periods, 12, "同比", by="plan")
    finally:
        con.close()
    return files, prov, cities, counties, month, plan


def expected_headlines(prov, counties, month, plan) -> dict[str, list[str]]:
    total = int(prov.counties_total)
    stock = f"{int(prov.counties_reporting)}/{total} 县已报送"
    return {
        "计划改造户数": [fmt.households(prov.planned_households), plan.text("planned_households"),
                   f"{int(counties.planned_households.notna().sum())}/{total} 县有计划"],
        "已安置户数": [fmt.households(prov.resettled_households), f"完成率 {fmt.share(prov.completion_share)}",
                  f"{int(counties.households.notna().sum())}/{total} 县有花名册"],
        "货币化安置比例": [fmt.share(prov.monetised_share), f"目标 {fmt.share(prov.target_monetised_share)}"],
        "可售面积": [fmt.area(prov.saleable_area_m2), month.text("saleable_area_m2"), stock],
        "去化周期": [fmt.months(prov.destock_months), month.text("destock_months"), stock,
                 f"{catalogue.enum_label('destock_band', prov.destock_band)} · {prov.land_supply_advice}"],
    }  # fmt: skip


# --- the PDF and the PNG ---------------------------------------------------------------------------


def test_the_pdf_is_one_a4_page_with_its_fonts_embedded(shanxi):
    pdf = shanxi[0]["pdf"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_PT, abs=0.5)
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor and "/ToUnicode" in font, font["/BaseFont"]
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        fonts = lines.splitlines()[2:]
        assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", f) for f in fonts), fonts


@needs_poppler
def test_the_pdf_text_holds_the_headline_figures_of_the_metrics(shanxi):
    files, prov, cities, counties, month, plan = shanxi
    text = pdf_text(files["pdf"])
    assert "山西省棚改与去库存简报" in text and "统计月份 2017-12" in text and "近12个月" in text
    for label, parts in expected_headlines(prov, counties, month, plan).items():
        assert label in text
        for part in parts:
            assert part in text, (label, part)
    absorbed = (f"货币化安置 {fmt.households(prov.monetised_households)} → 消化存量商品住房 "
                f"{fmt.count(prov.absorbed_units, '套')} / {fmt.area(prov.absorbed_area_m2)} / 占存量 {fmt.share(prov.absorbed_share)}")  # fmt: skip
    assert absorbed in " ".join(text.split())
    for name in cities.region_name:
        assert name in text  # on the map and in the ranking
    behind = progress.behind_curve(cities, "2017-12")
    for r in behind[behind.flag.notna()].itertuples():
        assert r.rule in text and f"启动率 {fmt.value('start_share', r.start_share)}" in text
    assert "演示数据" in text  # the demo store is synthetic


def test_the_brief_shows_the_figures_of_the_overview(shanxi, demo_env):
    """The cards of 总览 for the same view, value by value, are in the brief."""
    text = pdf_text(shanxi[0]["pdf"]) if shutil.which("pdftotext") else None
    at = run_app("pages/overview.py", province="山西省", period="2017-12", window="近12个月")
    assert not problems(at)
    shown = cards(at)
    assert set(shown) == {"计划改造户数", "已安置户数", "货币化安置比例", "可售面积", "去化周期"}
    _, prov, _, counties, month, plan = shanxi
    expected = expected_headlines(prov, counties, month, plan)
    for label, value in shown.items():
        assert value == expected[label][0], label  # the page prints what the metrics say …
        if text is not None:
            assert value in text, label  # … and so does the brief


def test_the_png_is_the_a4_page_at_200_dpi(shanxi):
    png = shanxi[0]["png"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (int(210 / 25.4 * 200), int(297 / 25.4 * 200))  # 1653 × 2338


@needs_poppler
def test_the_brief_names_the_counties_that_did_not_report(shanxi):
    """The demo leaves some counties out of December: the footnote names each with its city, the 通报 under
    its city's coverage (the missing ones are read off the county rows of the metrics)."""
    files, _, cities, counties, *_ = shanxi
    missing = counties[counties.counties_reporting == 0]
    assert 0 < len(missing) <= 10
    city_of = {c[:4]: n for c, n in zip(cities.region_code, cities.region_name)}
    text = " ".join(pdf_text(files["pdf"]).split()).replace(" ", "")
    for r in missing.itertuples():
        assert f"{city_of[r.region_code[:4]]}{r.region_name}" in text.split("未报送：")[1].split("）")[0]
    body = " ".join(p.text for p in docx.Document(io.BytesIO(files["docx"])).paragraphs)
    for r in missing.itertuples():
        city = cities[cities.region_code.str[:4] == r.region_code[:4]].iloc[0]
        cover = f"{int(city.counties_reporting)}/{int(city.counties_total)} 县已报送"
        assert f"{city.region_name}（{cover}，{r.region_name}未报送）" in body


@needs_poppler
@pytest.mark.parametrize("region", ["辽宁省", "沈阳市"])
def test_no_cell_of_the_brief_is_cut(demo_dir, tmp_path, region):
    """A ranking of 14 cities (or 13 districts) keeps every header and cell whole: a header too wide goes on
    two lines, nothing ends in "…"."""
    out = tmp_path / "b.pdf"
    run_cli("brief", "--region", region, "--period", "2017-12", "--out", str(out), data_dir=demo_dir)
    text = pdf_text(out.read_bytes())
    assert "…" not in text
    for part in ("去化周期", "（个月）", "完成率"):
        assert part in text


# --- the 通报 ------------------------------------------------------------------------------------


def _section(paragraphs: list[str], heading: str, stop: str) -> list[str]:
    start = paragraphs.index(heading) + 1
    end = next(i for i in range(start, len(paragraphs)) if paragraphs[i].startswith(stop))
    return paragraphs[start:end]


def listed(paragraphs: list[str]) -> dict[str, list[str]]:
    out = {}
    for action, heading, stop in (("通报", "（一）予以通报的城市", "（二）"), ("约谈", "（二）约谈的城市", "（三）"),
                                  ("预警", "（三）予以预警的城市", "四、")):  # fmt: skip
        out[action] = [p for p in _section(paragraphs, heading, stop) if re.match(r"\d+\. ", p)]
    return out


def test_the_notice_names_exactly_the_cities_the_laggard_rule_flags(shanxi):
    files, prov, cities, *_ = shanxi
    doc = docx.Document(io.BytesIO(files["docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "关于2017年12月全省棚户区改造和商品住房去库存工作进展情况的通报" in paragraphs
    behind = progress.behind_curve(cities, "2017-12")
    got = listed(paragraphs)
    for action, entries in got.items():
        expected = behind[behind.flag == action]
        assert [re.match(r"\d+\. (.+?)：", p).group(1) for p in entries] == list(expected.region_name), action
        for p, r in zip(entries, expected.itertuples()):
            assert f"计划户数 {fmt.households(r.planned_households)}" in p
            assert f"已启动户数 {fmt.households(r.started_households)}" in p
            assert f"启动率 {fmt.value('start_share', r.start_share)}" in p and r.rule in p
    assert sum(map(len, got.values())) == behind.flag.notna().sum() > 0
    table = doc.tables[0]
    assert [r.cells[0].text for r in table.rows[1:]] == list(
        cities.sort_values("destock_months", ascending=False, na_position="last").region_name
    )
    body = " ".join(paragraphs)
    assert f"已安置{fmt.households(prov.resettled_households)}" in body
    assert f"去化周期{fmt.months(prov.destock_months)}" in body
    assert any(p.startswith("【演示数据】") for p in paragraphs)
    assert _section(paragraphs + ["〔"], "四、下一步工作要求", "〔")[0].startswith("【待填写")


def test_the_notice_flags_the_cities_the_overview_lists(shanxi, demo_env):
    at = run_app("pages/overview.py", province="山西省", period="2017-12")
    page = at.table[0].value  # the overview's laggards: 城市, 处置, …
    doc = docx.Document(io.BytesIO(shanxi[0]["docx"]))
    got = listed([p.text for p in doc.paragraphs])
    for action in ("通报", "约谈", "预警"):
        names = [re.match(r"\d+\. (.+?)：", p).group(1) for p in got[action]]
        assert names == list(page[page["处置"] == action]["城市"]), action


def test_thresholds_move_the_lists(demo_dir, tmp_path):
    out = tmp_path / "strict.docx"
    run_cli("brief", "--region", "140000", "--period", "2017-12", "--summon", "0.95", "--notice", "0.97",
            "--warning", "0.99", "--out", str(out), data_dir=demo_dir)  # fmt: skip
    con = Store(demo_dir).connect()
    cities = rows(con, "city", "140000", "2017-12")
    con.close()
    behind = progress.behind_curve(cities, "2017-12", progress.Thresholds(0.95, 0.97, 0.99))
    got = listed([p.text for p in docx.Document(str(out)).paragraphs])
    assert len(got["约谈"]) == (behind.flag == "约谈").sum()
    assert sum(map(len, got.values())) == behind.flag.notna().sum()


# --- missing reports -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def honest_dir(tmp_path_factory):
    """太原市 in 2016 with 4 of its 10 counties reporting in December (tests/test_honest_numbers.py)."""
    from tests.test_honest_numbers import tables

    d = tmp_path_factory.mktemp("honest_brief") / "store"
    Store(d).commit(tables(), file_name="honest")
    return d


@needs_poppler
def test_a_city_with_missing_reports_shows_its_coverage(honest_dir, tmp_path):
    out = tmp_path / "ty.pdf"
    run_cli("brief", "--region", "太原市", "--period", "2016-12", "--out", str(out), data_dir=honest_dir)
    text = pdf_text(out.read_bytes())
    assert "太原市棚改与去库存简报" in text
    assert "4/10 县已报送" in text  # stock and 去化周期: 小店, 杏花岭, 尖草坪, 晋源
    assert "仅 1 个月数据" in text  # 晋源区 reported December only
    assert fmt.months(21.25) in text and fmt.area(17_000) in text
    assert "未报送" in text  # 迎泽区 stopped in December, 万柏林区 never reported
    assert "演示数据" not in text  # a store of imports is not synthetic
    notice = tmp_path / "ty.docx"
    run_cli("brief", "--region", "140100", "--period", "2016-12", "--out", str(notice), data_dir=honest_dir)
    body = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
    assert "10个县（市、区）中4个报送了商品住房库存（4/10 县已报送）" in body
    for county in ("迎泽区", "万柏林区"):
        assert county in body.split("未报送的有：")[1].split("。")[0]
    text = pdf_text((tmp_path / "ty.pdf").read_bytes()).replace("\n", "")
    assert "未报送：迎泽区、万柏林区、清徐县、阳曲县、娄烦县、古交市" in text.replace(" ", "")


@needs_poppler
def test_a_province_with_missing_reports_shows_its_coverage(honest_dir, tmp_path):
    out = tmp_path / "sx.pdf"
    run_cli("brief", "--region", "山西省", "--period", "2016-12", "--format", "pdf", "--out", str(out),
            data_dir=honest_dir)  # fmt: skip
    text = pdf_text(out.read_bytes())
    assert "4/117 县已报送" in text and "0/10 县" in text  # 大同市 has no report at all
    assert "未报送的 113 个县（市、区）见排名的报送栏" in " ".join(text.split())  # too many to name
    notice = tmp_path / "sx.docx"
    run_cli("brief", "--region", "山西省", "--period", "2016-12", "--out", str(notice), data_dir=honest_dir)
    body = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
    assert "太原市（4/10 县已报送，迎泽区、万柏林区、清徐县、阳曲县、娄烦县、古交市未报送）" in body
    assert "大同市（0/10 县已报送，均未报送）" in body


# --- refusals ------------------------------------------------------------------------------------

BAD = [
    (["--region", "小店区"], "县（市、区）"),
    (["--region", "火星市"], "无法识别地区"),
    (["--region", "山西省", "--period", "2019-01"], "没有 2019-01"),
    (["--region", "山西省", "--period", "2017-13"], "格式不对"),
    (["--region", "山西省", "--window", "3"], "无效"),
    (["--region", "山西省", "--format", "png"], "扩展名与 --format png 不符"),
    (["--region", "山西省", "--summon", "0.9", "--notice", "0.5"], "阈值"),
    (["--period", "2017-12"], "缺少必需的参数"),
]


@pytest.mark.parametrize(("args", "says"), BAD)
def test_bad_arguments_are_refused_in_chinese_and_nothing_is_written(demo_dir, tmp_path, args, says):
    out = tmp_path / "b.pdf"
    ran = run_cli("brief", *args, "--out", str(out), data_dir=demo_dir, check=2)
    assert says in ran.stderr and re.search(r"[\u4e00-\u9fff]", ran.stderr)
    assert "Traceback" not in ran.stderr and "error:" not in ran.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_empty_store_and_a_missing_folder_are_refused(data_dir, tmp_path):
    ran = run_cli("brief", "--region", "山西省", "--out", str(tmp_path / "b.pdf"), data_dir=data_dir, check=2)
    assert "没有数据" in ran.stderr
    ran = run_cli("brief", "--region", "山西省", "--out", str(tmp_path / "no" / "b.pdf"), data_dir=data_dir, check=2)
    assert "目录不存在" in ran.stderr and not (tmp_path / "no").exists()


def test_the_entry_point_writes_a_brief(demo_dir, tmp_path):
    out = tmp_path / "b.pdf"
    ran = run_cli("brief", "--region", "山西省", "--period", "2017-12", "--out", str(out), data_dir=demo_dir,
                  process=True)  # fmt: skip
    assert "已写入" in ran.stdout and out.read_bytes()[:5] == b"%PDF-"


def test_the_command_makes_no_network_request(demo_dir, tmp_path, monkeypatch):
    """The map, the font and the figures are all local: a socket connection attempted from Python fails it."""
    import socket

    tried: list = []

    def refuse(self, address, *a, **kw):
        tried.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    for form in ("png", "docx"):
        out = tmp_path / f"ln.{form}"
        run_cli("brief", "--region", "辽宁省", "--period", "2017-06", "--window", "6", "--out", str(out),
                data_dir=demo_dir)  # fmt: skip
        assert out.stat().st_size > 10_000
    assert tried == []


# --- the page control --------------------------------------------------------------------------------


@pytest.fixture()
def deferred(monkeypatch):
    """The callables the download buttons register (file name → callable), and how often the brief was made."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    import analysis.brief

    made: dict[str, object] = {}
    calls: list[str] = []
    register, generate = MediaFileManager.add_deferred, analysis.brief.generate

    def spy(self, fn, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = fn
        return register(self, fn, mimetype, coordinates, file_name=file_name, **kw)

    def counted(source, code, period, form, thresholds=None):
        calls.append(form)
        return generate(source, code, period, form, thresholds)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    monkeypatch.setattr(analysis.brief, "generate", counted)
    return made, calls


def test_the_overview_offers_the_three_files_built_only_on_click(demo_env, deferred, shanxi):
    made, calls = deferred
    at = run_app("pages/overview.py", province="山西省", period="2017-12")
    assert not problems(at)
    labels = [b.label for b in at.download_button]
    assert {"简报 PDF", "简报 PNG 图片", "通报 Word"} <= set(labels)
    names = {"山西省简报_2017-12.pdf", "山西省简报_2017-12.png", "山西省通报_2017-12.docx"}
    assert names <= set(made) and calls == []  # nothing is built while the page runs
    pdf = made["山西省简报_2017-12.pdf"]()
    assert pdf[:5] == b"%PDF-" and calls == ["pdf"]
    if shutil.which("pdftotext"):
        assert pdf_text(pdf) == pdf_text(shanxi[0]["pdf"])  # the page's file is the command line's
    notice = docx.Document(io.BytesIO(made["山西省通报_2017-12.docx"]()))
    assert [p.text for p in notice.paragraphs] == [
        p.text for p in docx.Document(io.BytesIO(shanxi[0]["docx"])).paragraphs
    ]


def test_the_overview_sliders_set_the_thresholds_of_the_notice(demo_env, deferred):
    made, _ = deferred
    at = run_app("pages/overview.py", province="山西省", period="2017-12")
    at.slider(key="t_summon").set_value(0.95).run()
    at.slider(key="t_notice").set_value(1.0).run()
    at.slider(key="t_warning").set_value(1.0).run()
    assert not problems(at)
    page = at.table[0].value
    got = listed([p.text for p in docx.Document(io.BytesIO(made["山西省通报_2017-12.docx"]())).paragraphs])
    assert [re.match(r"\d+\. (.+?)：", p).group(1) for p in got["约谈"]] == list(page[page["处置"] == "约谈"]["城市"])
    assert got["约谈"]


def test_the_region_page_offers_the_city_brief(demo_env, deferred):
    made, _ = deferred
    at = run_app("pages/region.py", province="山西省", period="2017-12", region="140105")  # 小店区: its city
    assert not problems(at)
    assert {"太原市简报_2017-12.pdf", "太原市通报_2017-12.docx"} <= set(made)
    doc = docx.Document(io.BytesIO(made["太原市通报_2017-12.docx"]()))
    assert "关于2017年12月全市棚户区改造和商品住房去库存工作进展情况的通报" in [p.text for p in doc.paragraphs]


def test_a_failure_on_click_hands_over_a_chinese_message(demo_env, deferred, monkeypatch):
    import analysis.brief

    made, _ = deferred
    run_app("pages/overview.py", province="山西省", period="2017-12")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis.brief, "generate", broken)
    doc = docx.Document(io.BytesIO(made["山西省通报_2017-12.docx"]()))
    text = " ".join(p.text for p in doc.paragraphs)
    assert "简报未能生成" in text and "参考编号 E-" in text and "boom" not in text
    assert made["山西省简报_2017-12.pdf"]()[:5] == b"%PDF-"
