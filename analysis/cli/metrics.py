"""``python -m analysis metrics``: the contract's metrics table."""

from __future__ import annotations

import pandas as pd

from analysis import metrics
from analysis.cli.common import check_period, check_period_in_data, parse_years, render, resolve_region
from analysis.store import Store


def compute_metrics(
    store: Store, level: str, region: str | None, period: str | None, window: int, years: tuple[int, ...] = ()
) -> pd.DataFrame:
    con = store.connect()
    try:
        check_period_in_data(con, period)
        return metrics.compute(
            con, metrics.MetricsQuery(level=level, scope=region, period=period, window_months=window, years=years)
        )
    finally:
        con.close()


def cmd_metrics(args, store: Store) -> str:
    region = resolve_region(args.region)
    frame = compute_metrics(store, args.level, region, check_period(args.period), args.window, parse_years(args.years))
    if not args.all_columns:
        keep = metrics.CONTRACT_COLUMNS + (["destock_status"] if args.format == "table" else [])
        frame = frame[keep]
    if frame.empty and args.format == "table":
        return "没有数据：请先导入数据（python -m analysis import 文件）或写入演示数据（python -m analysis demo）"
    return render(frame, args.format)
