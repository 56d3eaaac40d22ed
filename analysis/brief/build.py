"""The brief and the 通报 of a view, from its :class:`~analysis.brief.facts.Facts`.

Every figure is the page's: the headline values and changes are the :class:`analysis.headline.Figure` texts
of 总览, table cells and sentences are written by :mod:`analysis.format` from the same metrics rows, the
laggards are the rows :func:`analysis.progress.behind_curve` flags with the rule it wrote, and the bands,
their labels, advice and colours are the catalogue's (the map legend in the page's order).
"""

from __future__ import annotations

import pandas as pd

from analysis import catalogue, headline
from analysis import format as fmt
from analysis.brief.facts import Facts
from analysis.brief.model import BandEntry, Brief, Flagged, Headline, MapInput, MapRegion, Notice, Table
from analysis.maps.choropleth import band_order
from analysis.metrics import compact_note
from analysis.regions import load_registry

NO_PLAN = "无计划数据：所选年度没有年度计划，无法判断进度。"
BAND_SOURCE = "建房〔2017〕80号"
SYNTHETIC_SENTENCE = "本简报的数字由程序生成的演示数据计算，不代表任何地区的真实情况。"


# --- shared pieces ------------------------------------------------------------------------------


def band_entries() -> tuple[BandEntry, ...]:
    """The legend: every band of the catalogue, most urgent first (as the page's map legend)."""
    return tuple(BandEntry(b.key, b.label, b.land_supply_advice, b.colour) for b in band_order())


def _band(key: object) -> str | None:
    return key if isinstance(key, str) and key else None


def coverage(reporting: object, total: object, what: str = "已报送") -> str:
    """``'98/117 县已报送'``."""
    return f"{int(reporting or 0)}/{int(total or 0)} 县{what}"


def stock_coverage(row: pd.Series) -> str:
    return coverage(row.counties_reporting, row.counties_total)


MAX_NAMED = 10  # missing counties named one by one up to this many; beyond, their number and the table


def missing_counties(f: Facts) -> tuple[tuple[str, str], ...]:
    """The counties under the view that did not report the month's inventory: ``(city name, county name)``
    in a province (in the order of the ranking), ``("", county name)`` in a city."""
    c = f.counties[f.counties.counties_reporting < f.counties.counties_total]
    if f.level == "city":
        return tuple(("", str(n)) for n in c.region_name)
    reg = load_registry()
    order = {code: i for i, code in enumerate(f.subs.region_code)}
    rows = sorted(
        ((reg.get(code).parent_code, code, str(name)) for code, name in zip(c.region_code, c.region_name)),
        key=lambda t: (order.get(t[0], len(order)), t[1]),
    )
    return tuple((reg.name(city), name) for city, _, name in rows)


def missing_sentence(f: Facts) -> str:
    """``'未报送：晋中市和顺县、长治市武乡县'``, or their number when there are more than :data:`MAX_NAMED`."""
    names = missing_counties(f)
    if not names:
        return ""
    if len(names) > MAX_NAMED:
        return f"未报送的 {len(names)} 个县（市、区）见排名的报送栏"
    return "未报送：" + "、".join(city + name for city, name in names)


def rule_text(f: Facts) -> str:
    """The rule as 总览 prints it under the laggards."""
    return f"{f.thresholds.describe()}（{f.period} 应达进度 {fmt.percent(f.expected_share, 1)}）"


def flagged(f: Facts) -> tuple[Flagged, ...]:
    """Every region the rule flags, in the page's order, with the page's figures."""
    out = []
    for r in f.flagged.itertuples():
        figures = (
            ("计划户数", fmt.households(r.planned_households)),
            ("已启动户数", fmt.households(r.started_households)),
            ("启动率", fmt.value("start_share", r.start_share)),
        )
        out.append(Flagged(str(r.region_name), str(r.flag), str(r.rule), figures))
    return tuple(out)


def _empty_laggards(f: Facts) -> str:
    return NO_PLAN if f.behind.empty else f"所有有计划的{f.sub_word}均达到当月应达进度。"


def destock_cell(r) -> str:
    """去化周期 in a table cell: the number, or 未报送 / 无成交."""
    none = "未报送" if r.destock_status == "not_reported" else "无成交"
    return fmt.number("destock_months", r.destock_months, none=none)


def _source_note(f: Facts) -> str:
    version = f"数据版本 {f.version}；" if f.version else ""
    return f"{version}数字与系统“总览”“地区详情”页同一视图（{f.name}，{f.period}，近{f.window}个月窗口）一致。"


# --- the brief ----------------------------------------------------------------------------------


def headlines(f: Facts) -> tuple[Headline, ...]:
    """The five figures of 总览, each with its coverage: inventory, plans or rolls of how many counties."""
    row, total = f.row, f.row.counties_total
    covers = {
        "planned_households": coverage(f.counted("planned_households"), total, "有计划"),
        "resettled_households": coverage(f.counted("households"), total, "有花名册"),
        "monetised_share": coverage(f.counted("households"), total, "有花名册"),
        "saleable_area_m2": stock_coverage(row),
        "destock_months": stock_coverage(row),
    }
    out = []
    for fig in f.figures:
        cover = covers.get(fig.key)
        note = "；".join(p for p in (fig.note or "").split("；") if p and p != cover) or None
        band = _band(row.destock_band) if fig.key == "destock_months" else None
        out.append(Headline(fig.label, fig.value, fig.change, cover, note, band))
    return tuple(out)


def ranking(f: Facts) -> Table:
    """The ranking table of 总览 (地区详情 for a city): by 去化周期 from high to low."""
    spec = catalogue.column
    rows = []
    for r in f.subs.itertuples():
        band = f"{fmt.band(r.destock_band)} · {r.land_supply_advice}" if _band(r.destock_band) else "—"
        rows.append(
            (
                str(r.region_name),
                destock_cell(r),
                band,
                fmt.number("saleable_area_m2", r.saleable_area_m2),
                fmt.number("monetised_share", r.monetised_share),
                fmt.number("completion_share", r.completion_share),
                compact_note(r.data_note) or "完整",
            )
        )
    headers = (
        f.sub_word if f.level == "city" else "城市",
        spec("destock_months").short_header,
        "分档 · 供地建议",
        spec("saleable_area_m2").short_header,
        spec("monetised_share").short_header,
        spec("completion_share").short_header,
        "报送",
    )
    bands = tuple(_band(b) for b in f.subs.destock_band)
    return Table(headers, tuple(rows), ("l", "r", "l", "r", "r", "r", "r"), bands)


def footnotes(f: Facts) -> tuple[str, ...]:
    row = f.row
    where = "市" if f.level == "province" else "县（市、区）"
    return (
        f"去化周期 = {catalogue.formula('destock_months')}；月均销售取近{f.window}个月窗口；"
        f"分档为左闭右开区间，供地建议依{BAND_SOURCE}。",
        f"货币化安置比例 = {catalogue.formula('monetised_share')}。完成率 = {catalogue.formula('completion_share')}。"
        f"启动率 = {catalogue.formula('start_share')}。",
        f"报送：{int(row.counties_total)} 个县（市、区）中 {int(row.counties_reporting)} 个报送了 {f.period} 的"
        f"商品住房库存{('（' + missing_sentence(f) + '）') if missing_sentence(f) else ''}，"
        f"未报送的县不计入可售面积和去化周期；同比、环比只比较两个月都报送的县。"
        f"地图中灰色为无成交或无数据，斜线为该{where}报送不全或窗口内销售月份不足。",
        f"消化存量：{headline.absorption_basis(row)}。" if headline.absorption(row) else "",
        _source_note(f),
    )


def brief(f: Facts) -> Brief:
    """The one-page brief of the view."""
    regions = tuple(
        MapRegion(str(r.region_code), _band(r.destock_band), bool(r.thin_reason)) for r in f.subs.itertuples()
    )
    line = headline.absorption(f.row)
    return Brief(
        title=f"{f.name}棚改与去库存简报",
        region_name=f.name,
        region_level=f.level,
        period=f.period,
        window_months=f.window,
        headlines=headlines(f),
        map=MapInput(f.sub_level, f.code, regions),
        bands=band_entries(),
        ranking=ranking(f),
        ranking_title=f"各{'市' if f.level == 'province' else '县（市、区）'}排名（按去化周期从高到低）",
        laggards=flagged(f),
        laggards_title=f"进度落后的{f.sub_word}",
        laggards_rule=rule_text(f),
        laggards_empty=_empty_laggards(f),
        absorption=line,
        footnotes=tuple(n for n in footnotes(f) if n),
        is_synthetic=f.is_synthetic,
        no_data_label="无成交/无数据",
        thin_label="报送不全或月份不足",
    )


# --- the 通报 -----------------------------------------------------------------------------------


def _month_words(period: str) -> str:
    """``'2017-12'`` → ``'2017年12月'``."""
    return f"{int(period[:4])}年{int(period[5:7])}月"


def change_phrase(text: str | None) -> str:
    """A card's change as a clause: ``'−36.77万㎡ 环比（110 县同口径）'`` → ``'环比−36.77万㎡（110 县同口径）'``.

    >>> change_phrase("−36.77万㎡ 环比（110 县同口径）"), change_phrase("环比 无可比数据")
    ('环比−36.77万㎡（110 县同口径）', '环比无可比数据')
    """
    if not text:
        return ""
    first, _, rest = text.partition(" ")
    if rest[:2] in ("环比", "同比"):
        return f"{rest[:2]}{first}{rest[2:]}"
    return text.replace(" ", "")


def overview_sentences(f: Facts) -> tuple[str, ...]:
    """总体情况: sentences written from the region's row, every number formatted as on the page."""
    row, scope, year = f.row, f.scope_word, f.period[:4]
    by = {fig.key: fig for fig in f.figures}
    out = []
    if fmt.is_missing(row.planned_households) or not row.planned_households:
        out.append(f"{scope}尚无{year}年度棚户区改造计划数据，无法判断进度。")
    else:
        out.append(
            f"{scope}{year}年度计划改造棚户区{fmt.households(row.planned_households)}，"
            f"已启动{fmt.households(row.started_households, none='0户')}，启动率{fmt.value('start_share', row.start_share)}"
            f"（{f.period}应达进度{fmt.percent(f.expected_share, 1)}）；已安置{fmt.households(row.resettled_households, none='0户')}，"
            f"完成率{fmt.share(row.completion_share)}。"
        )
    if not fmt.is_missing(row.monetised_households) and row.monetised_households:
        out.append(
            f"货币化安置{fmt.households(row.monetised_households)}，货币化安置比例{fmt.share(row.monetised_share)}，"
            f"年度目标{fmt.share(row.target_monetised_share)}。"
        )
    if not row.counties_reporting:
        out.append(f"{scope}各县（市、区）均未报送{_month_words(f.period)}商品住房库存，去化周期无法计算。")
    else:
        stock = by["saleable_area_m2"]
        months = by["destock_months"]
        band = _band(row.destock_band)
        advice = f"，处于{fmt.band(band)}区间，供地建议为{row.land_supply_advice}" if band else ""
        out.append(
            f"{scope}商品住房可售面积{stock.value}，{change_phrase(stock.change)}；"
            f"去化周期{months.value}，{change_phrase(months.change)}{advice}。"
        )
    line = headline.absorption(row)
    if line:
        out.append(f"{line}。")
    return tuple(out)


def coverage_warnings(f: Facts) -> tuple[str, ...]:
    """Who did not report: every sub-region whose counties did not all report its inventory."""
    row = f.row
    if row.counties_reporting >= row.counties_total:
        return ()
    partial = f.subs[f.subs.counties_reporting < f.subs.counties_total]
    if f.level == "province":
        missing = missing_counties(f)

        def absent(r) -> str:
            if not r.counties_reporting:
                return "，均未报送"
            named = [name for city, name in missing if city == r.region_name]
            return f"，{'、'.join(named)}未报送" if 0 < len(named) <= MAX_NAMED else ""

        names = "、".join(
            f"{r.region_name}（{coverage(r.counties_reporting, r.counties_total)}{absent(r)}）"
            for r in partial.itertuples()
        )
    else:
        names = "、".join(str(n) for n in partial.region_name)
    absent = "未报送的有" if f.level == "city" else "报送不全的有"
    return (
        f"{_month_words(f.period)}，{int(row.counties_total)}个县（市、区）中{int(row.counties_reporting)}个报送了商品住房库存"
        f"（{stock_coverage(row)}），{absent}：{names}。未报送的县未计入可售面积和去化周期。",
    )


def city_table(f: Facts) -> Table:
    """Every city (county) with its plan, progress, start rate, monetised share, money and 去化周期."""
    spec = catalogue.column
    money = f.money.set_index("region_code").cash_still_needed_yuan
    rows = []
    for r in f.subs.itertuples():
        rows.append(
            (
                str(r.region_name),
                fmt.number("planned_households", r.planned_households),
                fmt.number("started_households", r.started_households),
                fmt.number("start_share", r.start_share),
                fmt.number("monetised_share", r.monetised_share),
                fmt.number("cash_still_needed_yuan", money.get(r.region_code)),
                destock_cell(r),
                coverage(r.counties_reporting, r.counties_total, "")
                if f.level == "province"
                else r.data_note or "已报送",
            )
        )
    headers = (
        "城市" if f.level == "province" else "县（市、区）",
        "计划（户）",
        "已启动（户）",
        spec("start_share").short_header,
        spec("monetised_share").short_header,
        spec("cash_still_needed_yuan").short_header,
        spec("destock_months").short_header,
        "报送",
    )
    return Table(headers, tuple(rows), ("c", "r", "r", "r", "r", "r", "r", "c"))


def notice(f: Facts) -> Notice:
    """The 通报 draft of the view."""
    month, scope = _month_words(f.period), f.scope_word
    everyone = flagged(f)
    counts = {a: sum(1 for x in everyone if x.action == a) for a in ("通报", "约谈", "预警")}
    listed = (
        f"按此规则，予以通报{counts['通报']}个、约谈{counts['约谈']}个、预警{counts['预警']}个{f.sub_word}。"
        if not f.behind.empty
        else NO_PLAN
    )
    return Notice(
        title=f"关于{month}{scope}棚户区改造和商品住房去库存工作进展情况的通报",
        period=f.period,
        recipients="各市住房城乡建设局：" if f.level == "province" else "各县（市、区）住房城乡建设局：",
        opening=f"为推进棚户区改造和商品住房去库存工作，根据目标考核、通报、约谈制度，"
        f"现将{month}{scope}棚户区改造和商品住房去库存工作进展情况通报如下：",
        overview=overview_sentences(f),
        warnings=coverage_warnings(f),
        city_table=city_table(f),
        city_table_title=f"{month}各{'市' if f.level == 'province' else '县（市、区）'}棚户区改造和商品住房去库存进展情况",
        named=tuple(x for x in everyone if x.action == "通报"),
        summoned=tuple(x for x in everyone if x.action == "约谈"),
        warned=tuple(x for x in everyone if x.action == "预警"),
        thresholds=f"进度按年度启动曲线判断：{rule_text(f)}。{listed}",
        subject=f.sub_word,
        progress_heading=f"各{'市' if f.level == 'province' else '县（市、区）'}进展情况",
        footnotes=(
            f"注：启动率 = {catalogue.formula('start_share')}；去化周期 = {catalogue.formula('destock_months')}，"
            f"月均销售取近{f.window}个月；尚需资金为估算：{catalogue.formula('cash_still_needed_yuan')}。",
            f"注：{_source_note(f)}",
        ),
        requirements=f"【待填写：下一步工作要求。请结合本月进展，提出对落后{f.sub_word}的整改要求和完成时限。】",
        is_synthetic=f.is_synthetic,
    )
