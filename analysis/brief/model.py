"""What a leader's brief (简报) and a 通报 draft say: text and codes only, already formatted.

These records are the line between the figures and the paper. The caller (the metrics side) fills them
with finished Chinese text ("12.3万户", "98/117 县已报送", "+1.2个月 环比"); the renderers
(:mod:`analysis.brief.pdf`, :mod:`analysis.brief.notice`) only lay them out and never compute, round or
reword a number. Band colours, labels and advice are data here too, filled from the catalogue's bands
(``data/policy_table.csv``) by :mod:`analysis.brief.build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAP_LEVELS: tuple[str, ...] = ("city", "county")  # the regions a brief's map draws
REGION_LEVELS: tuple[str, ...] = ("province", "city")  # the region a brief is about
ACTIONS: tuple[str, ...] = ("约谈", "通报", "预警")  # most severe first (analysis.progress.flag)
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class BandEntry:
    """One 去化周期 band of the legend: ``BandEntry(">=36", "≥36个月", "停止供地", "#d73027")``."""

    key: str
    label: str
    advice: str
    color: str


@dataclass(frozen=True)
class Headline:
    """A headline figure card.

    ``value`` carries its unit ("12.3个月"); ``change`` ("+0.4个月 环比"), ``coverage``
    ("98/117 县已报送") and ``note`` ("仅 2 个月数据") are shown under it when given. ``band`` (a band
    key) adds the band's colour chip, label and land-supply advice to the card (for 去化周期).
    """

    label: str
    value: str
    change: str | None = None
    coverage: str | None = None
    note: str | None = None
    band: str | None = None


@dataclass(frozen=True)
class MapRegion:
    """One region of the map: its band (None: no data or not reported) and whether its figure is thin.

    ``is_thin``: coverage below 100% or a sales window with fewer months than asked; drawn hatched.
    """

    code: str
    band: str | None = None
    is_thin: bool = False

    def __post_init__(self) -> None:
        if not _CODE.match(self.code):
            raise ValueError(f"region code must be 6 digits, not {self.code!r}")


@dataclass(frozen=True)
class MapInput:
    """The map: ``level`` of the regions drawn inside ``parent_code``.

    ``("city", "140000")``: the cities of Shanxi; ``("county", "140000")``: its counties (with the city
    borders); ``("county", "140100")``: the counties of 太原市. Every region of that boundary layer is
    drawn; one missing from ``regions`` is drawn as no data.
    """

    level: str
    parent_code: str
    regions: tuple[MapRegion, ...] = ()

    def __post_init__(self) -> None:
        if self.level not in MAP_LEVELS:
            raise ValueError(f"map level must be one of {MAP_LEVELS}, not {self.level!r}")
        if not _CODE.match(self.parent_code):
            raise ValueError(f"parent code must be 6 digits, not {self.parent_code!r}")
        codes = [r.code for r in self.regions]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"one entry per region expected; repeated: {repeated}")


@dataclass(frozen=True)
class Table:
    """A table of already formatted cells. ``align``: one of "l", "c", "r" per column (default: first
    column left, others right). ``row_bands``: an optional band key per row, drawn as a colour chip."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    align: tuple[str, ...] | None = None
    row_bands: tuple[str | None, ...] | None = None

    def __post_init__(self) -> None:
        n = len(self.headers)
        bad = [i for i, r in enumerate(self.rows) if len(r) != n]
        if bad:
            raise ValueError(f"rows {bad[:5]} do not have {n} cells")
        if self.align is not None and (len(self.align) != n or set(self.align) - {"l", "c", "r"}):
            raise ValueError(f"align needs one of 'l', 'c', 'r' for each of the {n} columns")
        if self.row_bands is not None and len(self.row_bands) != len(self.rows):
            raise ValueError("row_bands needs one entry per row")

    def alignments(self) -> tuple[str, ...]:
        return self.align if self.align is not None else ("l",) + ("r",) * (len(self.headers) - 1)


@dataclass(frozen=True)
class Flagged:
    """A region behind schedule: its 处置 (约谈 / 通报 / 预警), the rule that flagged it and the figures
    that put it there, as (label, value) pairs: ``(("年度计划", "12,000户"), ("启动率", "41.7%"))``."""

    region: str
    action: str
    rule: str
    figures: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {self.action!r}")


@dataclass(frozen=True)
class Brief:
    """A one-page brief on a province or a city at a month (``period``, YYYY-MM) and sales window."""

    title: str  # 山西省棚改与去库存简报
    region_name: str
    region_level: str  # province | city
    period: str  # the data's as-of month
    window_months: int  # the 月均销售 window: 6 or 12
    headlines: tuple[Headline, ...]
    map: MapInput
    bands: tuple[BandEntry, ...]  # the legend, in the order shown (most urgent first)
    ranking: Table
    ranking_title: str = "各市排名（按去化周期从高到低）"
    laggards: tuple[Flagged, ...] = ()
    laggards_title: str = "进度落后的城市"
    laggards_rule: str | None = None  # the thresholds, e.g. "启动率 ÷ 当月应达进度 < 70% → 约谈；…"
    laggards_empty: str = "所有城市均达到当月应达进度。"
    absorption: str | None = None  # 货币化安置 N 户 → 消化存量商品住房 X 套 / Y 万㎡ / 占存量 Z%
    footnotes: tuple[str, ...] = ()  # 口径 lines
    issuer: str | None = None  # e.g. 山西省住房和城乡建设厅 (shown under the title)
    is_synthetic: bool = False  # 演示数据 across the page
    no_data_label: str = "无数据/未报送"
    thin_label: str = "报送不全或数据月份不足"

    def __post_init__(self) -> None:
        if self.region_level not in REGION_LEVELS:
            raise ValueError(f"region level must be one of {REGION_LEVELS}, not {self.region_level!r}")
        if not _PERIOD.match(self.period):
            raise ValueError(f"period must be YYYY-MM, not {self.period!r}")
        if self.window_months not in (6, 12):
            raise ValueError(f"window must be 6 or 12 months, not {self.window_months!r}")
        keys = [b.key for b in self.bands]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"the legend needs each band once, got {keys}")
        used = {h.band for h in self.headlines} | {r.band for r in self.map.regions}
        used |= set(self.ranking.row_bands or ())
        unknown = sorted(used - {None} - set(keys))
        if unknown:
            raise ValueError(f"band keys not in the legend: {unknown}")

    def band(self, key: str) -> BandEntry:
        return next(b for b in self.bands if b.key == key)


@dataclass(frozen=True)
class Notice:
    """A 通报 draft: the clerk finishes 下一步工作要求, the number and the date in WPS or Word."""

    title: str  # 关于2017年12月全省棚户区改造和商品住房去库存工作进展情况的通报
    period: str
    recipients: str  # 主送机关: 各市住房城乡建设局：
    opening: str  # 现将……通报如下：
    overview: tuple[str, ...]  # 总体情况: sentences generated from the figures
    city_table: Table
    named: tuple[Flagged, ...]  # 予以通报
    summoned: tuple[Flagged, ...]  # 约谈
    thresholds: str  # how the lists were drawn
    requirements: str = "【待填写：下一步工作要求。请结合本月进展，提出对落后城市的整改要求和完成时限。】"
    issuer: str = "〔发文机关〕"
    date_text: str = "〔成文日期〕"
    doc_number: str | None = None  # 发文字号, e.g. 晋建〔2018〕  号
    city_table_title: str = "各市棚户区改造和商品住房去库存进展情况"
    footnotes: tuple[str, ...] = ()  # 口径 under the table
    is_synthetic: bool = False
    warnings: tuple[str, ...] = ()  # e.g. 3 个县未报送, printed after 总体情况
    warned: tuple[Flagged, ...] = ()  # 预警
    subject: str = "城市"  # who is listed: 城市, or 县（市、区） in a city's 通报
    progress_heading: str = "各市进展情况"

    def __post_init__(self) -> None:
        if not _PERIOD.match(self.period):
            raise ValueError(f"period must be YYYY-MM, not {self.period!r}")
        for f in self.named:
            if f.action != "通报":
                raise ValueError(f"{f.region}: a named city has action 通报, not {f.action}")
        for f in self.summoned:
            if f.action != "约谈":
                raise ValueError(f"{f.region}: a summoned city has action 约谈, not {f.action}")
        for f in self.warned:
            if f.action != "预警":
                raise ValueError(f"{f.region}: a warned city has action 预警, not {f.action}")
