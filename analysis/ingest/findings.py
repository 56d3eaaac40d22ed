"""What validation finds across rows and says once: an unknown value or place with all its rows (and the
question for the mapping step), columns that went empty, defaults used, optional columns absent, and the
same problem in many rows told as one."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from analysis.catalogue import columns as catalogue_columns
from analysis.catalogue import label
from analysis.ingest.mapping import UNKNOWN
from analysis.ingest.problems import Problem, Question, SourceTable
from analysis.ingest.vocabulary import VALUE_SYNONYMS
from analysis.regions import Registry
from analysis.schema import ENUMS, TABLES

MAX_COMPENSATION_YUAN = 1e8  # one household's compensation above this is no compensation (a card number?)


# why a required column is required (the metric that cannot do without it)
REQUIRED_BECAUSE = {
    "region_code": "每一行都要落到县（市、区）",
    "period": "库存按月统计",
    "saleable_area_m2": "去化周期 = 可售面积 ÷ 月均销售面积",
    "sold_area_m2": "去化周期 = 可售面积 ÷ 月均销售面积",
    "mode": "货币化安置比例按安置方式计算",
    "year": "计划按年度统计",
    "planned_households": "完成率、启动率按计划户数计算",
}


# what is missing when an optional column is absent (said once per file)
ABSENT_MEANS = {
    "saleable_units": "按套数的去化周期与消化套数为空",
    "sold_units": "按套数的去化周期为空",
    "avg_price_yuan_per_m2": "成交均价为空",
    "category": "棚户区类型为空（计入城镇棚改，不计入农村危房）",
    "plan_year": "计划年度为空：这些户不计入任何年度的指标；请加“计划年度”列，或在标题中写明年度",
    "status": "进度状态为空：这些户不计入签约、搬迁、安置进度",
    "compensation_yuan": "补偿款为空：补偿资金与尚需资金按已知的户计算",
    "channel": "货币化安置渠道为空",
    "is_hardship": "困难家庭为空（不计入困难家庭户数）",
    "target_monetised_share": "货币化安置目标比例为空：按政策表建议比例比较",
}
WARN_ABSENT = {"plan_year"}  # absent, these leave the rows out of every figure: a warning, not a note


DEFAULT_LABELS = {"mode": "未定", "status": "未签约", "is_hardship": "非困难家庭"}


class Tally:
    """Findings gathered row by row and told once each."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (sheet, col, value) → rows
        self.value_reason: dict[tuple[str, str, str], str] = {}
        self.headers: dict[tuple[str, str], str] = {}
        self.places: dict[tuple[str, str], list[int]] = defaultdict(list)  # (sheet, name) → rows
        self.place_match: dict[tuple[str, str], tuple] = {}
        self.filled: Counter = Counter()  # (sheet, col) → cells read
        self.defaulted: dict[tuple[str, str], list[int]] = defaultdict(list)

    def value(self, src: SourceTable, row: int, col: str, written: str, reason: str) -> None:
        key = (src.sheet, col, written)
        self.values[key].append(row)
        self.value_reason[key] = reason
        self.headers[(src.sheet, col)] = src.columns.get(col, label(col))

    def place(self, src: SourceTable, row: int, written: str, match, context: str | None) -> None:
        key = (src.sheet, written)
        self.places[key].append(row)
        self.place_match[key] = (match, context, src.columns.get("region_name") or src.columns.get("region_code", ""))

    def findings(self, kind: str, registry: Registry, region: str | None) -> tuple[list[Problem], list[Question]]:
        problems: list[Problem] = []
        questions: list[Question] = []
        descriptive = set(TABLES[kind].descriptive)
        for (sheet, col, written), rows in self.values.items():
            header = self.headers[(sheet, col)]
            soft = col in descriptive
            reason = f"不是可识别的{label(col)}（共 {len(rows):,} 行）：" + (
                "按“未知”保存，不影响其他指标；可在映射中指定它的含义" if soft else "请改正，或在映射中指定它的含义"
            )
            problems.append(
                Problem(sheet, rows[0], header, written, reason, "warning" if soft else "error", tuple(rows))
            )
            options = tuple((v, catalogue_columns()[col].value_label(v)) for v in ENUMS.get(col, ("True", "False")))
            if col == "is_hardship":
                options = (("true", "困难家庭"), ("false", "非困难家庭"))
            if soft:
                options = (*options, (UNKNOWN, "未知（按未知保存）"))
            guess = _value_guess(col, written)
            questions.append(
                Question(
                    "value", sheet, written, col, tuple(rows), (), options,
                    guess or (UNKNOWN if soft else None),
                    f"与「{VALUE_LABEL.get(guess, guess)}」相近" if guess else self.value_reason[(sheet, col, written)],
                    blocking=not soft,
                )
            )  # fmt: skip
        for (sheet, written), rows in self.places.items():
            match, context, header = self.place_match[(sheet, written)]
            reason, codes = place_problem(match, registry, registry.match_any(context) if context else None)
            problems.append(Problem(sheet, rows[0], header, written, reason, "error", tuple(rows)))
            guess = codes[0] if len(codes) == 1 else None
            if not codes:  # nobody knows the name: its near names first, then every county it may be
                scope = registry.match_any(context) if context else (registry.match_any(region) if region else None)
                near = [c for n in registry.similar(written, scope) for c in registry.codes_named(n, scope)]
                codes = list(dict.fromkeys([*near, *registry.counties_in(scope)]))
                guess = None
            options = tuple((c, "/".join(registry.path_names(c)[1:]) + f"（{c}）") for c in codes)
            questions.append(
                Question("place", sheet, written, header, tuple(rows), (), options, guess, reason)
            )  # fmt: skip
        for (sheet, col), rows in self.defaulted.items():
            if col == "is_hardship":
                continue  # a blank in a 困难户 column is how rolls say "not one"
            problems.append(
                Problem(
                    sheet, rows[0], label(col), "",
                    f"{len(rows):,} 行为空，已按“{DEFAULT_LABELS.get(col, '')}”计；如不对请补填", "warning", tuple(rows),
                )
            )  # fmt: skip
        return problems, questions


VALUE_LABEL = {v: lab for c in ENUMS for v, lab in catalogue_columns()[c].values.items()}


def _value_guess(col: str, written: str) -> str | None:
    """The value a word most likely means: the synonym sharing most characters with it (at least two)."""
    best, score = None, 1
    for word, value in VALUE_SYNONYMS.get(col, {}).items():
        common = sum((Counter(word) & Counter(written)).values())
        if common > score:
            best, score = value, common
    return best


def place_problem(match, registry: Registry, context: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Why a name is not one county, and the counties it could be (the choices of the question)."""
    if len(match.codes) > 1:
        options = "、".join(f"{'/'.join(registry.path_names(c)[1:])}（{c}）" for c in match.codes[:8])
        return f"地区名称不唯一，可能是 {options}：请选择，或在标题中写明所属市、导入时指定地区", tuple(match.codes)
    elsewhere = registry.match(match.text).codes if context else ()
    if elsewhere:
        where = "、".join(f"{'/'.join(registry.path_names(c)[1:])}（{c}）" for c in elsewhere[:6])
        return (
            f"{registry.name(context)}没有这个县（市、区），它在 {where}：请检查文件所属的市（标题或所选地区）是否正确",
            tuple(elsewhere),
        )
    close = registry.similar(match.text, context)
    codes = tuple(c for name in close for c in registry.match(name, context=context).codes)
    if close:
        return match.problem + "。是否为：" + "、".join(close) + "？", codes
    if re.search(r"开发区|高新区|示范区|新区|园区|工业区|管委会|经济区", str(match.text)):
        return match.problem + "。开发区、园区等不是行政区划：请把它的数字并入所在县（市、区）的行", codes
    return match.problem, codes


def empty_columns(kind: str, src: SourceTable, tally: Tally) -> list[Problem]:
    """A column the file carries that ends up with nothing in it: said, never silently empty."""
    out = []
    if not src.rows:
        return out
    for col, header in src.columns.items():
        if col in ("region_code", "region_name") or header.endswith("（系统生成）"):
            continue
        if tally.filled[(src.sheet, col)] == 0 and col in TABLES[kind].column_names:
            out.append(
                Problem(src.sheet, None, header, "", f"本列读作「{label(col)}」，但 {len(src.rows):,} 行中没有一个可用的值", "warning")
            )  # fmt: skip
    return out


def absent_columns(kind: str, tables: list[SourceTable], period: str | None) -> list[Problem]:
    """Optional columns no sheet carries (nor its title): a note each (a warning where rows drop out)."""
    have = {c for t in tables for c in (*t.columns, *t.defaults)}
    out = []
    for col, means in ABSENT_MEANS.items():
        if col in TABLES[kind].column_names and col not in TABLES[kind].required and col not in have:
            severity = "warning" if col in WARN_ABSENT else "note"
            out.append(
                Problem(tables[0].sheet if tables else "", None, label(col), "", f"文件中没有这一列：{means}", severity)
            )
    return out


def grouped(problems: list[Problem]) -> list[Problem]:
    """The same problem in many rows (same sheet, column, value and reason) told once with all its rows."""
    order: list[tuple] = []
    rows: dict[tuple, list[int]] = {}
    first: dict[tuple, Problem] = {}
    for p in problems:
        key = (p.sheet, p.column, p.value, p.reason, p.severity) if p.row is not None else (id(p),)
        if key not in first:
            first[key] = p
            order.append(key)
            rows[key] = []
        rows[key].extend(p.rows or ((p.row,) if p.row is not None else ()))
    out = []
    for key in order:
        p = first[key]
        found = tuple(dict.fromkeys(rows[key]))
        out.append(p if len(found) <= 1 else Problem(p.sheet, found[0], p.column, p.value, p.reason, p.severity, found))
    return out
