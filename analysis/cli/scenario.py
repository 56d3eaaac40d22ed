"""``python -m analysis scenario``: per region, the scenario's households, absorption, 去化周期, money and
construction, with deltas against the baseline.

    python -m analysis scenario --share 0.9 --level county --region 140105 --format csv
    python -m analysis scenario --preset policy_table --set 140100=0.7 --level city
    python -m analysis scenario --preset rule_2018 --years 2015-2017 --format json
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.cli.common import Refusal, check_period, check_period_in_data, parse_years, render, resolve_region
from analysis.regions import load_registry
from analysis.scenario import engine, report
from analysis.scenario.params import ScenarioError, make_scenario
from analysis.store import Store

COUNTY_EXTRA = ["share_source", "compensation_per_household_yuan"]


def parse_share(text: str) -> float:
    """``0.7`` or ``70%``."""
    t = text.strip()
    return float(t[:-1]) / 100 if t.endswith(("%", "％")) else float(t)


def parse_sets(items: list[str]) -> tuple[dict[str, float], list[str]]:
    """``CODE=S`` items (code or name; S as 0.7 or 70%) → overrides, and every problem found."""
    overrides, problems = {}, []
    reg = load_registry()
    for item in items:
        code_text, sep, value = item.replace("＝", "=").partition("=")
        if not sep or not code_text.strip() or not value.strip():
            problems.append(f"--set「{item}」格式不对，应为 代码=比例，如 140100=0.7")
            continue
        code_text = code_text.strip()
        code = code_text if re.fullmatch(r"\d{6}", code_text) else reg.match_any(code_text)
        if code is None:
            problems.append(f"--set「{item}」：无法识别地区「{code_text}」，请使用 6 位行政区划代码")
            continue
        try:
            overrides[code] = parse_share(value)
        except ValueError:
            problems.append(f"--set「{item}」：比例「{value.strip()}」不是数字")
    return overrides, problems


def run(args, store: Store) -> str:
    region = resolve_region(args.region)
    period = check_period(args.period)
    years = parse_years(args.years)
    overrides, problems = parse_sets(args.set or [])
    reg = load_registry()
    con = store.connect()
    try:
        with_data = [code for code, _ in _provinces(con)]
        if not with_data:
            raise Refusal(
                "没有数据：请先导入数据（python -m analysis import 文件）或写入演示数据（python -m analysis demo）"
            )
        if region is not None:
            province = reg.get(region).province_code if reg.get(region).level != "province" else region
            if province not in with_data:
                raise Refusal(f"「{reg.name(region)}」所在省份没有数据")
            provinces = [province]
        else:
            provinces = with_data
        for code in overrides if len(provinces) > 1 or region is None else ():
            if code in reg.regions and reg.get(code).province_code not in provinces:
                problems.append(
                    f"--set：「{reg.name(code)}」（{code}）不在所选范围的省份内（该省没有数据或不在 --region 内）"
                )
        changes = {"overrides": overrides, "years": years, "period": period}
        if args.preset:
            changes["preset"] = args.preset
        if args.share is not None:
            changes["share"] = args.share
        if args.purchase_share is not None:
            changes["purchase_share"] = args.purchase_share
        if args.purchase_area is not None:
            changes["purchase_area_m2"] = args.purchase_area
        if getattr(args, "in_kind_area", None) is not None:
            changes["in_kind_area_m2"] = args.in_kind_area
        if getattr(args, "cost", None) is not None:
            changes["construction_cost_yuan_per_m2"] = args.cost
        if len(provinces) == 1:
            changes["province_code"] = provinces[0]
        try:
            scenario = make_scenario(changes)
        except ScenarioError as exc:
            problems += exc.problems
        if problems:
            raise Refusal("已拒绝：情景参数有误，未计算。\n" + "\n".join(f"[错误] {p}" for p in problems))
        check_period_in_data(con, period)
        frames = []
        for province in provinces:
            inputs = engine.load_inputs(con, province, period, 12, years)
            frames.append(engine.run(inputs, scenario).at(args.level))
    finally:
        con.close()
    frame = pd.concat(frames, ignore_index=True)
    if region is not None:
        under = [c == region or reg.is_under(c, region) for c in frame.region_code]
        frame = frame[under]
    columns = engine.RESULT_COLUMNS + engine.DELTA_COLUMNS + (COUNTY_EXTRA if args.level == "county" else [])
    frame = frame[columns].reset_index(drop=True)
    if args.format != "table":
        floats = frame.select_dtypes("float").columns
        frame[floats] = frame[floats].round(6)  # 63819, not 63818.99999999999
        return render(frame, args.format)
    if frame.empty:
        return "没有符合条件的地区。"
    shown = pd.DataFrame(
        {report.header(c).split("（")[0]: [report.display(c, v) for v in frame[c]] for c in columns if c != "level"}
    )
    note = f"情景：{report.describe(scenario)}；变化 = 本情景 − 基准（各县计划目标比例，无目标按政策表）"
    return note + "\n" + shown.to_string(index=False)


def _provinces(con) -> list[tuple[str, str]]:
    from analysis.metrics import provinces_with_data

    return provinces_with_data(con)
