"""Identifier ↔ 中文 label ↔ unit ↔ definition (口径): the single source of UI labels.

Every canonical column and every metric has an entry; ``tests/test_glossary.py`` fails when one is
missing. Pages and exports call :func:`label` and :func:`formula`, never spell labels themselves.

>>> label("destock_months")
'去化周期'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    label: str
    unit: str = ""
    formula: str = ""


TERMS: dict[str, Term] = {
    # regions
    "region_code": Term("行政区划代码"),
    "region_name": Term("地区"),
    "level": Term("层级"),
    "period": Term("统计月份", "", "库存取该月月末数；默认取数据中最新月份"),
    "year": Term("年度"),
    # inventory
    "saleable_units": Term("可售套数", "套"),
    "saleable_area_m2": Term(
        "可售面积", "㎡", "统计月份末各县（市、区）可售商品住房面积之和（广义库存：已取得预售许可未售）"
    ),
    "sold_units": Term("当月销售套数", "套"),
    "sold_area_m2": Term("当月销售面积", "㎡"),
    "avg_price_yuan_per_m2": Term("成交均价", "元/㎡"),
    "new_permit_area_m2": Term("新增预售许可面积", "㎡"),
    "unallocated_affordable_units": Term("未分配保障性住房套数", "套"),
    "unallocated_affordable_area_m2": Term("未分配保障性住房面积", "㎡"),
    # households
    "household_id": Term("户编号"),
    "project": Term("项目名称"),
    "category": Term("棚户区类型"),
    "plan_year": Term("计划年度"),
    "members": Term("家庭人口", "人"),
    "original_area_m2": Term("原住房面积", "㎡"),
    "is_hardship": Term("困难家庭"),
    "mode": Term("安置方式"),
    "channel": Term("货币化安置渠道"),
    "compensation_yuan": Term("补偿款", "元", "货币化安置户补偿款之和"),
    "status": Term("进度状态"),
    "purchased_area_m2": Term("购房面积", "㎡"),
    "hazard_grade": Term("危险等级"),
    "seismic_intensity": Term("抗震设防烈度", "度"),
    # plans
    "planned_households": Term("计划改造户数", "户", "所选年度（默认统计月份所在年度）各县计划户数之和"),
    "target_monetised_share": Term(
        "货币化安置目标比例", "%", "Σ(计划户数 × 目标比例) ÷ Σ计划户数，仅计有目标比例的县（按户数加权）"
    ),
    # metrics
    "avg_monthly_sold_m2": Term(
        "月均销售面积",
        "㎡",
        "统计月份及之前共 N 个月（窗口，默认 12）销售面积之和 ÷ 窗口内该地区有数据的月份数",
    ),
    "destock_months": Term("去化周期", "个月", "可售面积 ÷ 月均销售面积；窗口内无成交时为空（显示“无成交”）"),
    "destock_band": Term("去化周期分档", "", "<6、6–12、12–18、18–36、≥36 个月，左闭右开区间（如 [6,12)）"),
    "land_supply_advice": Term(
        "供地建议",
        "",
        "建房〔2017〕80号：≥36 个月停止供地；18–36 减少供地；12–18 维持供地；6–12 增加供地；<6 显著增加并加快供地",
    ),
    "households": Term("花名册户数", "户", "花名册中所选年度的棚改户数（不含农村危房）"),
    "monetised_households": Term("货币化安置户数", "户", "安置方式为货币化安置的户数"),
    "in_kind_households": Term("实物安置户数", "户", "安置方式为实物安置（产权调换、回迁）的户数"),
    "undecided_households": Term("未定安置方式户数", "户", "尚未确定安置方式的户数"),
    "monetised_share": Term(
        "货币化安置比例", "%", "货币化安置户数 ÷ (货币化安置户数 + 实物安置户数)；未定户不计入分母"
    ),
    "recommended_monetised_share": Term(
        "建议货币化比例",
        "%",
        "按去化周期分档查默认政策表：≥36→90%，18–36→70%，12–18→50%，6–12→30%，<6→10%（可调假设，非官方数字）",
    ),
    "absorbed_area_m2": Term(
        "货币化安置消化存量面积", "㎡", "货币化安置户数 × 购房比例（默认 0.7）× 户均购房面积（默认 90㎡）"
    ),
    "absorbed_units": Term("货币化安置消化存量套数", "套", "货币化安置户数 × 购房比例（默认 0.7）"),
    "absorbed_share": Term("消化存量占比", "%", "货币化安置消化存量面积 ÷ 可售面积"),
    "destock_months_after": Term("消化后去化周期", "个月", "max(可售面积 − 货币化安置消化面积, 0) ÷ 月均销售面积"),
    "resettled_households": Term("已安置户数", "户", "进度状态为已安置（已回迁、已入住）的户数"),
    "completion_share": Term("完成率", "%", "已安置户数 ÷ 计划改造户数；计划为 0 时为空"),
    "started_households": Term("已启动户数", "户", "进度状态为已签约、已搬迁或已安置的户数（视同开工）"),
    "start_share": Term("启动率", "%", "已启动户数 ÷ 计划改造户数；与当月应达进度（进度曲线）比较"),
    "hardship_households": Term("困难家庭户数", "户", "低保、特困、建档立卡、贫困残疾人家庭户数"),
    "rural_households": Term("农村危房户数", "户", "花名册中类别为农村危房的户数（所选年度）"),
    "rural_d_grade_households": Term("D级危房户数", "户"),
    "rural_c_grade_households": Term("C级危房户数", "户"),
    "rural_priority_households": Term("8度及以上设防区户数", "户", "抗震设防烈度 ≥ 8 的农村危房户数"),
    "rural_done_households": Term("农村危房已完成户数", "户", "进度状态为已安置的农村危房户数"),
    "avg_monthly_sold_units": Term("月均销售套数", "套", "窗口内销售套数之和 ÷ 窗口内有数据的月份数"),
    "destock_months_units": Term("去化周期（按套数）", "个月", "可售套数 ÷ 月均销售套数；窗口内无成交时为空"),
    "months_with_data": Term("窗口内有数据月份数", "个"),
    "counties_reported": Term("报送县数", "个", "该月有库存数据的县（市、区）数"),
    "window_months": Term("窗口", "个月"),
}

ENUM_LABELS: dict[str, dict[str, str]] = {
    "level": {"province": "省", "city": "市", "county": "县（市、区）"},
    "category": {
        "urban_shantytown": "城市棚户区",
        "urban_village": "城中村",
        "urban_dilapidated": "城市危房",
        "state_mining": "国有工矿（含煤矿）棚户区",
        "forestry": "国有林区棚户区",
        "reclamation": "国有垦区棚户区",
        "rural_dilapidated": "农村危房",
    },
    "mode": {"monetised": "货币化安置", "in_kind": "实物安置", "undecided": "未定"},
    "channel": {
        "govt_purchase": "政府收购房源安置",
        "platform_purchase": "政府搭建平台选购商品住房",
        "cash": "居民自由支配补偿款",
    },
    "status": {"unsigned": "未签约", "signed": "已签约", "relocated": "已搬迁", "resettled": "已安置"},
    "destock_band": {
        "<6": "<6个月",
        "6-12": "6–12个月",
        "12-18": "12–18个月",
        "18-36": "18–36个月",
        ">=36": "≥36个月",
    },
}

KIND_LABELS = {"inventory": "商品住房库存", "households": "安置花名册", "plans": "年度计划"}


def label(name: str) -> str:
    """Chinese label of an identifier, with no unit."""
    return TERMS[name].label


def label_with_unit(name: str, unit: str | None = None) -> str:
    """Chinese label with a display unit, e.g. ``可售面积（万㎡）``."""
    term = TERMS[name]
    shown = term.unit if unit is None else unit
    return f"{term.label}（{shown}）" if shown else term.label


def formula(name: str) -> str:
    """The written formula (口径) of a metric, empty where none applies."""
    return TERMS[name].formula


def enum_label(field: str, value: str | None) -> str:
    if value is None:
        return ""
    return ENUM_LABELS.get(field, {}).get(value, value)


# -- synonyms used when reading spreadsheets --------------------------------------------------------
# Header text as clerks write it (after removing spaces and units in brackets) → canonical column.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "region_code": ("行政区划代码", "区划代码", "地区代码", "县区代码", "region_code"),
    "region_name": (
        "县（市、区）",
        "县(市、区)",
        "县市区",
        "县区",
        "区县",
        "区县名称",
        "县区名称",
        "地区",
        "所在区县",
        "所在县区",
        "县（市、区）名称",
        "行政区",
        "单位",
        "填报单位名称",
        "region_name",
        "region",
    ),
    "period": ("统计月份", "月份", "统计期", "报告期", "年月", "period"),
    "saleable_units": ("可售套数", "可售商品住房套数", "可售住房套数", "库存套数", "saleable_units"),
    "saleable_area_m2": ("可售面积", "可售商品住房面积", "可售住房面积", "库存面积", "saleable_area_m2"),
    "sold_units": ("当月销售套数", "销售套数", "网签套数", "当月网签套数", "成交套数", "sold_units"),
    "sold_area_m2": ("当月销售面积", "销售面积", "网签面积", "当月网签面积", "成交面积", "sold_area_m2"),
    "avg_price_yuan_per_m2": ("均价", "成交均价", "销售均价", "平均价格", "avg_price_yuan_per_m2"),
    "new_permit_area_m2": ("新增预售许可面积", "新批预售面积", "新增供应面积", "new_permit_area_m2"),
    "unallocated_affordable_units": ("未分配保障性住房套数", "未分配保障房套数", "unallocated_affordable_units"),
    "unallocated_affordable_area_m2": ("未分配保障性住房面积", "未分配保障房面积", "unallocated_affordable_area_m2"),
    "household_id": ("户编号", "协议编号", "档案编号", "户号", "编号", "household_id"),
    "project": ("项目名称", "项目", "棚改项目名称", "project"),
    "category": ("棚户区类型", "类型", "改造类型", "类别", "棚改类型", "category"),
    "plan_year": ("计划年度", "年度", "改造年度", "plan_year"),
    "members": ("家庭人口", "家庭人口数", "人口", "户籍人口", "members"),
    "original_area_m2": ("原住房面积", "原住房建筑面积", "被征收房屋面积", "原房屋面积", "original_area_m2"),
    "is_hardship": ("困难家庭", "是否困难户", "困难户", "是否低保户", "贫困户类型", "is_hardship"),
    "mode": ("安置方式", "安置类型", "mode"),
    "channel": ("货币化安置方式", "货币化安置渠道", "货币安置方式", "channel"),
    "compensation_yuan": (
        "补偿金额",
        "补偿款",
        "补偿款金额",
        "货币补偿金额",
        "补偿总额",
        "补偿款合计",
        "补偿合计",
        "补偿金额合计",
        "补偿费合计",
        "合计补偿款",
        "compensation_yuan",
    ),
    "status": ("签约状态", "进度状态", "进度", "安置状态", "状态", "status"),
    "purchased_area_m2": ("购房面积", "购买商品住房面积", "购买面积", "purchased_area_m2"),
    "hazard_grade": ("危险等级", "危房等级", "鉴定等级", "hazard_grade"),
    "seismic_intensity": ("抗震设防烈度", "设防烈度", "seismic_intensity"),
    "year": ("年度", "计划年度", "年份", "year"),
    "planned_households": (
        "计划改造户数",
        "计划户数",
        "目标任务",
        "改造任务",
        "年度任务",
        "计划任务",
        "planned_households",
    ),
    "target_monetised_share": (
        "货币化安置目标比例",
        "货币化安置比例",
        "货币化比例",
        "目标比例",
        "货币化安置率",
        "target_monetised_share",
    ),
}

# Personal identifiers: such columns are dropped as soon as a file is read and never stored or shown.
# Second chance for headers no synonym names: regular expressions over the header as written (spaces
# removed, units kept), tried in this order. Grouped headers are joined top to bottom first, so
# ``可售商品住房`` over ``套数`` reads ``可售商品住房套数``. Order matters: the narrower rule comes first.
HEADER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("region_code", r"(区划|行政).*代码|代码"),
    ("region_name", r"^(所在|填报)?(县|区|市|旗|地区|区县|县区|县市区)+([（(][市县区旗、]+[)）])?(名称|单位)?$"),
    ("avg_price_yuan_per_m2", r"均价|价格|单价|元/(平方米|㎡|m2)"),  # before the areas: 网签均价(元/㎡) is a price
    ("unallocated_affordable_units", r"保障.*(套|户)"),
    ("unallocated_affordable_area_m2", r"保障.*(面积|平方米|㎡|m2)"),
    ("new_permit_area_m2", r"(预售|许可|新增供应|新批|新增).*(面积|平方米|㎡|m2)"),
    ("saleable_units", r"(可售|待售|库存|未售).*套"),
    ("saleable_area_m2", r"(可售|待售|库存|未售).*(面积|平方米|㎡|m2)"),
    ("sold_units", r"(销售|网签|成交|售出|已售|去化).*套"),
    ("sold_area_m2", r"(销售|网签|成交|售出|已售|去化).*(面积|平方米|㎡|m2)"),
    ("period", r"^(统计)?(月份|年月|报告期|统计期)"),
    ("channel", r"货币(化)?安置(方式|渠道|途径)|安置渠道"),
    ("mode", r"安置(方式|类型|意向)"),
    ("compensation_yuan", r"补偿.*(款|金|额)|补偿(万元|元)"),  # 补偿款合计 / 补偿总额 are synonyms, and win
    ("purchased_area_m2", r"(购房|购买|所购).*(面积|平方米|㎡)"),
    ("original_area_m2", r"(原|被征收|旧|现有)(住房|房屋|住宅)?.*(面积|平方米|㎡)"),
    ("is_hardship", r"困难|低保|特困|贫困|五保"),  # before category: 困难类型 is not the 棚户区类型
    ("status", r"^(?!.*(日期|时间|奖励|金额|款)).*(签约|状态|进度|进展)"),  # not 签约日期, 签约奖励
    ("category", r"类型|类别|性质"),
    ("plan_year", r"^(计划|改造|实施)?(年度|年份)$|计划年度|改造年度"),
    ("year", r"^(计划)?(年度|年份)$"),
    ("members", r"人口|人数"),
    ("hazard_grade", r"危险等级|鉴定|危房等级"),
    ("seismic_intensity", r"烈度"),
    ("project", r"项目"),
    ("household_id", r"编号|户号|档案号"),
    ("target_monetised_share", r"货币化.*(比例|比重|率|占比|%)"),
    ("planned_households", r"(计划|任务|目标).*(户|任务)|改造户数|任务数"),
)

# a header with one of these is not the month's stock, sales or plan (even when it says 可售 or 户数)
HEADER_EXCLUDE = (
    r"期初|年初|月初|上月|上年|去年|累计|完成|同比|环比|增幅|增长|增减|非住宅|商业|办公|车位|车库|商铺|写字楼"
)

PERSONAL_HEADERS: tuple[str, ...] = (
    "姓名",
    "户主姓名",
    "户主",
    "被征收人姓名",
    "被征收人",
    "产权人",
    "产权人姓名",
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "证件号码",
    "联系电话",
    "电话",
    "手机",
    "手机号",
    "联系方式",
    "银行账号",
    "银行卡号",
    "开户账号",
    "账号",
    "开户行",
    "住址",
    "家庭住址",
    "门牌号",
    "配偶",
    "配偶姓名",
    "共有人",
    "被拆迁人",
    "被搬迁人",
    "身份号码",
    "经办人",
    "证件号",
    "户口本号",
    "签字",
    "签名",
)

VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "category": {
        "城市棚户区": "urban_shantytown",
        "棚户区": "urban_shantytown",
        "城中村": "urban_village",
        "城中村改造": "urban_village",
        "国有林区": "forestry",
        "林区": "forestry",
        "国有垦区": "reclamation",
        "垦区": "reclamation",
        "危旧房": "urban_dilapidated",
        "城镇危房": "urban_dilapidated",
        "城市危旧住房": "urban_dilapidated",
        "独立工矿区棚户区": "state_mining",
        "国有工矿": "state_mining",
        "城市危房": "urban_dilapidated",
        "城市危旧房": "urban_dilapidated",
        "国有工矿棚户区": "state_mining",
        "国有工矿（含煤矿）棚户区": "state_mining",
        "国有工矿(含煤矿)棚户区": "state_mining",
        "煤矿棚户区": "state_mining",
        "工矿棚户区": "state_mining",
        "国有林区棚户区": "forestry",
        "林区棚户区": "forestry",
        "国有垦区棚户区": "reclamation",
        "垦区棚户区": "reclamation",
        "农村危房": "rural_dilapidated",
    },
    "mode": {
        "货币化安置": "monetised",
        "货币安置": "monetised",
        "货币补偿": "monetised",
        "货币化": "monetised",
        "货币": "monetised",
        "自购房": "monetised",
        "团购房": "monetised",
        "房票安置": "monetised",
        "房票": "monetised",
        "就地安置": "in_kind",
        "异地安置": "in_kind",
        "原地回迁": "in_kind",
        "实物安置": "in_kind",
        "产权置换": "in_kind",
        "房屋置换": "in_kind",
        "实物补偿": "in_kind",
        "产权调换": "in_kind",
        "回迁": "in_kind",
        "回迁安置": "in_kind",
        "实物": "in_kind",
        "未定": "undecided",
        "待定": "undecided",
        "未确定": "undecided",
    },
    "channel": {
        "政府收购房源安置": "govt_purchase",
        "政府收购房源": "govt_purchase",
        "政府收购": "govt_purchase",
        "政府购买商品房": "govt_purchase",
        "政府购买": "govt_purchase",
        "政府团购": "govt_purchase",
        "团购房": "govt_purchase",
        "政府回购商品房": "govt_purchase",
        "政府回购": "govt_purchase",
        "房交会选房": "platform_purchase",
        "房票": "platform_purchase",
        "自行购买商品房": "cash",
        "领取补偿款": "cash",
        "货币补偿": "cash",
        "政府搭建平台选购商品住房": "platform_purchase",
        "平台选购商品住房": "platform_purchase",
        "平台选购": "platform_purchase",
        "搭建平台": "platform_purchase",
        "居民自由支配补偿款": "cash",
        "自由支配补偿款": "cash",
        "自由支配": "cash",
        "现金补偿": "cash",
        "自行购房": "cash",
        "自主购房": "cash",
        "自购房": "cash",
    },
    "status": {
        "未签约": "unsigned",
        "已签约": "signed",
        "已搬迁": "relocated",
        "已腾空": "relocated",
        "已安置": "resettled",
        "已回迁": "resettled",
        "已入住": "resettled",
        "已完成": "resettled",
        "签约": "signed",
        "已签订协议": "signed",
        "已签协议": "signed",
        "未签": "unsigned",
        "已拆除": "relocated",
        "已交房": "relocated",
        "已腾退": "relocated",
        "已分房": "resettled",
        "已竣工": "resettled",
        "是": "signed",  # under a 是否签约 header
        "否": "unsigned",
    },
    "hazard_grade": {
        "C级": "C",
        "D级": "D",
        "c": "C",
        "d": "D",
        "C级危房": "C",
        "D级危房": "D",
        "局部危险": "C",
        "整体危险": "D",
    },
}


# -- scenario (analysis/scenario): the columns of scenario results, and their formulas as scenarios compute them
TERMS.update(
    {
        "city_code": Term("所属地市代码"),
        "cash_needed_yuan": Term(
            "所需补偿资金", "元", "情景货币化安置户数 × 每户补偿款（默认各县花名册平均，无则原住房面积 × 成交均价）"
        ),
        "construction_area_m2": Term(
            "实物安置建设面积", "㎡", "实物安置户数（计划户数 − 货币化安置户数）× 户均安置面积（默认 75㎡）"
        ),
        "construction_cost_yuan": Term(
            "实物安置建设投资", "元", "实物安置建设面积 × 每平方米建设成本（默认 3,000 元）"
        ),
        "compensation_per_household_yuan": Term(
            "每户补偿款",
            "元",
            "该县花名册中货币化安置户的平均补偿款；无补偿款记录时为 原住房面积 × 成交均价；再无则取所在市、全省平均",
        ),
        "compensation_source": Term("补偿款口径"),
        "share_source": Term("比例来源", "", "县级设定 > 地市设定 > 预设（计划目标、政策表、2018 规则或全省统一比例）"),
    }
)
SCENARIO_DELTA_OF = (
    "monetised_share",
    "monetised_households",
    "in_kind_households",
    "absorbed_area_m2",
    "destock_months_after",
    "cash_needed_yuan",
    "construction_area_m2",
    "construction_cost_yuan",
)
for _name in SCENARIO_DELTA_OF:
    TERMS[f"delta_{_name}"] = Term(
        f"{TERMS[_name].label}变化",
        "百分点" if _name.endswith("_share") else TERMS[_name].unit,
        f"情景的{TERMS[_name].label} − 对比情景（默认为基准）的{TERMS[_name].label}",
    )
# the scenario parameters (analysis/scenario/parameters.yaml) as a table shows them
SCENARIO_PARAM_LABELS = {
    "monetised_share": "全省统一货币化安置比例",
    "purchase_share": "购房比例",
    "purchase_area_m2": "户均购房面积",
    "in_kind_area_m2": "实物安置户均面积",
    "construction_cost_yuan_per_m2": "安置房建设成本",
    "compensation_yuan_per_household": "每户补偿款",
    "fallback_share": "无目标、无成交县的比例",
    "rule_2018_months": "2018 规则去化周期界限",
    "policy_table": "政策表建议比例",
}
SCENARIO_FORMULAS: dict[str, str] = {
    "planned_households": "所选年度（默认统计月份所在年度）各县计划改造户数之和，与指标表相同",
    "monetised_share": "县：情景采用的比例（县级设定 > 地市设定 > 预设）；市、省：货币化安置户数 ÷ 计划改造户数",
    "monetised_households": "各县 round(计划改造户数 × 货币化安置比例)（四舍六入五成双），向市、省加总",
    "in_kind_households": "计划改造户数 − 货币化安置户数",
    "absorbed_area_m2": "货币化安置户数 × 购房比例（默认 0.7）× 户均购房面积（默认 90㎡）",
    "destock_months_after": "max(可售面积 − 消化存量面积, 0) ÷ 月均销售面积；市、省按其加总的面积计算",
    "cash_needed_yuan": TERMS["cash_needed_yuan"].formula,
    "construction_area_m2": TERMS["construction_area_m2"].formula,
    "construction_cost_yuan": TERMS["construction_cost_yuan"].formula,
    "baseline": "基准：各县年度计划的货币化安置目标比例；无目标的县按政策表（去化周期分档）建议比例；"
    "二者皆无（无成交）时取 50%；其余参数取默认值",
}
