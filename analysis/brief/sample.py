"""Realistic sample briefs and a 通报 for Shanxi (2017-12), made by hand, to look at the renderers.

    python -m analysis.brief.sample OUTDIR    # writes 山西省简报.pdf/.png, 太原市简报.pdf/.png, 山西省通报.docx

The figures are invented (演示数据); only the region codes and names are real.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis import maps, policy
from analysis.brief.model import BAND_KEYS, BandEntry, Brief, Flagged, Headline, MapInput, MapRegion, Notice, Table
from analysis.glossary import ENUM_LABELS

# code, name, 去化周期 (months, None: not reported), 可售 万㎡, 货币化比例, 完成率, counties reported / all,
# planned households, started households
SHANXI = (
    ("140100", "太原市", 8.9, 612.4, 0.584, 0.962, (10, 10), 21800, 21364),
    ("140200", "大同市", 15.2, 298.7, 0.651, 0.903, (8, 10), 16500, 15180),
    ("140300", "阳泉市", 22.4, 118.3, 0.702, 0.871, (5, 5), 6200, 5431),
    ("140400", "长治市", 13.1, 207.5, 0.633, 0.925, (12, 12), 14300, 14014),
    ("140500", "晋城市", 11.6, 142.8, 0.597, 0.948, (6, 6), 9800, 9604),
    ("140600", "朔州市", 38.7, 176.2, 0.812, 0.917, (6, 6), 7400, 6882),
    ("140700", "晋中市", 16.9, 254.1, 0.668, 0.894, (11, 11), 13900, 12788),
    ("140800", "运城市", 19.5, 231.6, 0.689, 0.856, (13, 13), 15600, 13416),
    ("140900", "忻州市", 27.3, 163.9, 0.741, 0.812, (14, 14), 12100, 9608),
    ("141000", "临汾市", 12.8, 198.4, 0.615, 0.933, (17, 17), 14800, 14356),
    ("141100", "吕梁市", None, None, 0.557, 0.640, (0, 13), 12400, 7192),
)


def band_entries() -> tuple[BandEntry, ...]:
    """The legend from the project's band table (colours: analysis.maps; advice: data/policy_table.csv)."""
    table = policy.policy_table()
    order = tuple(reversed(BAND_KEYS))  # most urgent first, as the page's legend
    return tuple(
        BandEntry(k, ENUM_LABELS["destock_band"][k], table[k].land_supply_advice, maps.BAND_COLORS[k]) for k in order
    )


def _band(months: float | None) -> str | None:
    return policy.band_of(months)


def _flag(name: str, planned: int, started: int) -> Flagged | None:
    share = started / planned
    ratio = share / 1.0  # December: the start curve expects 100%
    for action, limit in (("约谈", 0.70), ("通报", 0.85), ("预警", 0.90)):
        if ratio < limit:
            rule = f"启动率 {share:.1%} ÷ 应达 100% = {ratio:.0%}，低于{action}线 {limit:.0%}"
            figures = (("年度计划", f"{planned:,}户"), ("已启动", f"{started:,}户"), ("启动率", f"{share:.1%}"))
            return Flagged(name, action, rule, figures)
    return None


def shanxi_brief(*, synthetic: bool = True) -> Brief:
    """The province brief: 11 cities, 吕梁市 not reported, 大同市 partly reported (hatched)."""
    rows = sorted(SHANXI, key=lambda r: -1 if r[2] is None else r[2], reverse=True)
    ranking = Table(
        headers=("城市", "去化周期", "分档 · 供地建议", "可售面积（万㎡）", "货币化比例", "完成率", "报送"),
        rows=tuple(
            (
                name,
                "未报送" if months is None else f"{months:.1f}个月",
                "—"
                if months is None
                else f"{ENUM_LABELS['destock_band'][_band(months)]} · "
                f"{policy.policy_table()[_band(months)].land_supply_advice}",
                "—" if area is None else f"{area:,.1f}",
                f"{mon:.1%}",
                f"{done:.1%}",
                f"{rep[0]}/{rep[1]} 县",
            )
            for _, name, months, area, mon, done, rep, _, _ in rows
        ),
        align=("l", "r", "l", "r", "r", "r", "r"),
        row_bands=tuple(_band(r[2]) for r in rows),
    )
    regions = tuple(MapRegion(c, _band(m), rep[0] < rep[1]) for c, _, m, _, _, _, rep, _, _ in SHANXI)
    laggards = tuple(f for _, n, *_, p, s in sorted(SHANXI, key=lambda r: r[8] / r[7]) if (f := _flag(n, p, s)))
    return Brief(
        title="山西省棚改与去库存简报",
        region_name="山西省",
        region_level="province",
        period="2017-12",
        window_months=12,
        issuer="山西省住房和城乡建设厅",
        is_synthetic=synthetic,
        headlines=(
            Headline("计划改造户数", "14.3万户", "+1.2万户 同比", "117/117 县已报送"),
            Headline("已安置户数", "12.6万户", "完成率 88.3%", "112/117 县已报送"),
            Headline("货币化安置比例", "66.2%", "目标 60.0%", "112/117 县已报送"),
            Headline("可售面积", "2,404万㎡", "−38.5万㎡ 环比", "104/117 县已报送", "吕梁市未报送"),
            Headline("去化周期", "16.4个月", "−0.8个月 环比", "104/117 县已报送", band="12-18"),
        ),
        map=MapInput("city", "140000", regions),
        bands=band_entries(),
        ranking=ranking,
        laggards=laggards,
        laggards_rule="启动率 ÷ 当月应达进度 < 70% → 约谈；< 85% → 通报；< 90% → 预警（12月应达进度 100%）",
        absorption="货币化安置 8.34万户 → 消化存量商品住房 5.84万套 / 525万㎡ / 占存量 21.8%"
        "（若全部来自存量，去化周期由 16.4个月 降至 12.8个月）",
        footnotes=(
            "去化周期 = 可售面积 ÷ 近12个月月均销售面积（广义库存，按面积）；分档左闭右开，供地建议依建房〔2017〕80号。",
            "货币化安置比例 = 货币化安置户数 ÷（货币化 + 实物安置户数），未定安置方式的户不计入分母；目标为年度计划目标。",
            "消化存量按 70% 的货币化安置户购买存量商品住房、户均 90㎡ 估算。",
            "启动率 = 已签约、已搬迁、已安置户数 ÷ 年度计划户数；应达进度按全年启动曲线，12月末为 100%。",
            "报送：117 个县（市、区）中 104 个报送了 2017-12 的商品住房库存；地图斜线表示该市报送不全或销售月份不足。",
        ),
    )


def taiyuan_brief(*, synthetic: bool = True) -> Brief:
    """A city brief: the counties of 太原市 (one not reported, one with a short sales window)."""
    layer = maps.load_layer("county", city_code="140100")
    counties = [(f["properties"]["adcode"], f["properties"]["name"]) for f in layer["features"]]
    months = [5.2, 7.9, 9.4, 11.8, 13.5, 16.2, 21.7, 24.9, 41.3, None]
    data = [(c, n, m) for (c, n), m in zip(counties, months)]
    rows = sorted(data, key=lambda r: -1 if r[2] is None else r[2], reverse=True)
    return Brief(
        title="太原市棚改与去库存简报",
        region_name="太原市",
        region_level="city",
        period="2017-12",
        window_months=6,
        issuer="太原市住房和城乡建设局",
        is_synthetic=synthetic,
        headlines=(
            Headline("计划改造户数", "21,800户", "+2,100户 同比", "10/10 县已报送"),
            Headline("已安置户数", "20,972户", "完成率 96.2%", "10/10 县已报送"),
            Headline("货币化安置比例", "58.4%", "目标 60.0%", "10/10 县已报送"),
            Headline("可售面积", "612.4万㎡", "+4.2万㎡ 环比", "9/10 县已报送"),
            Headline("去化周期", "8.9个月", "+0.3个月 环比", "9/10 县已报送", "仅 4 个月数据", band="6-12"),
        ),
        map=MapInput(
            "county",
            "140100",
            tuple(MapRegion(c, _band(m), i == 2) for i, (c, _, m) in enumerate(data)),
        ),
        bands=band_entries(),
        ranking=Table(
            headers=("县（市、区）", "去化周期", "分档", "供地建议"),
            rows=tuple(
                (
                    n,
                    "未报送" if m is None else f"{m:.1f}个月",
                    "—" if m is None else ENUM_LABELS["destock_band"][_band(m)],
                    "—" if m is None else policy.policy_table()[_band(m)].land_supply_advice,
                )
                for _, n, m in rows
            ),
            align=("l", "r", "l", "l"),
            row_bands=tuple(_band(m) for _, _, m in rows),
        ),
        ranking_title="各县（市、区）排名（按去化周期从高到低）",
        laggards_title="进度落后的县（市、区）",
        laggards=(),
        laggards_rule="启动率 ÷ 当月应达进度 < 70% → 约谈；< 85% → 通报；< 90% → 预警",
        laggards_empty="所有县（市、区）均达到当月应达进度。",
        absorption="货币化安置 1.22万户 → 消化存量商品住房 8,540套 / 76.9万㎡ / 占存量 12.6%",
        footnotes=("去化周期 = 可售面积 ÷ 近6个月月均销售面积；分档左闭右开，供地建议依建房〔2017〕80号。",),
    )


def shanxi_notice(*, synthetic: bool = True) -> Notice:
    """The 通报 draft for Shanxi, 2017-12, with the default thresholds."""
    flagged = [f for _, n, *_, p, s in sorted(SHANXI, key=lambda r: r[8] / r[7]) if (f := _flag(n, p, s))]
    table = Table(
        headers=("城市", "年度计划（户）", "已启动（户）", "启动率", "应达进度", "去化周期（个月）"),
        rows=tuple(
            (n, f"{p:,}", f"{s:,}", f"{s / p:.1%}", "100%", "未报送" if m is None else f"{m:.1f}")
            for _, n, m, *_, p, s in SHANXI
        ),
        align=("c", "r", "r", "r", "r", "r"),
    )
    return Notice(
        title="关于2017年12月全省棚户区改造和商品住房去库存工作进展情况的通报",
        period="2017-12",
        recipients="各市住房城乡建设局：",
        opening="为推进棚户区改造和商品住房去库存工作，根据目标考核、通报、约谈制度，"
        "现将2017年12月全省棚户区改造和商品住房去库存工作进展情况通报如下：",
        overview=(
            "全省年度计划改造棚户区14.3万户，已启动13.0万户，启动率90.5%；已安置12.6万户，完成率88.3%。",
            "货币化安置8.34万户，货币化安置比例66.2%，高于年度目标6.2个百分点。",
            "全省商品住房可售面积2,404万㎡，去化周期16.4个月，处于12–18个月区间，应维持供地；"
            "货币化安置预计消化存量商品住房5.84万套、525万㎡，占存量21.8%。",
        ),
        warnings=("吕梁市13个县（市、区）均未报送12月商品住房库存，其去化周期未计入。",),
        city_table=table,
        named=tuple(f for f in flagged if f.action == "通报"),
        summoned=tuple(f for f in flagged if f.action == "约谈"),
        thresholds="启动率 ÷ 当月应达进度 < 70% 的约谈，< 85% 的通报（12月应达进度 100%）。",
        issuer="山西省住房和城乡建设厅",
        date_text="2018年1月  日",
        doc_number="晋建〔2018〕  号",
        footnotes=(
            "启动率 = 已签约、已搬迁、已安置户数 ÷ 年度计划户数。",
            "去化周期 = 可售面积 ÷ 近12个月月均销售面积。",
        ),
        is_synthetic=synthetic,
    )


def main(argv: list[str]) -> int:
    from analysis.brief import render_docx, render_pdf, render_png

    if len(argv) != 1:
        print("用法：python -m analysis.brief.sample 输出目录", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for stem, brief in (("山西省简报", shanxi_brief()), ("太原市简报", taiyuan_brief())):
        for ext, render in (("pdf", render_pdf), ("png", render_png)):
            t = time.perf_counter()
            (out / f"{stem}.{ext}").write_bytes(render(brief))
            print(f"{out / f'{stem}.{ext}'}  {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    (out / "山西省通报.docx").write_bytes(render_docx(shanxi_notice()))
    print(f"{out / '山西省通报.docx'}  {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
