"""How fast county spreadsheets are read and checked: a province's monthly workbook and a large roll.

    .venv/bin/python bench/bench_ingest.py [--households 200000]

Prints seconds and rows per second for each file (never asserted in tests).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from analysis.ingest import ingest  # noqa: E402
from analysis.regions import load_registry  # noqa: E402


def workbook(registry, months: int) -> bytes:
    """One sheet per month, title and units lines, a two-row header, every county of Shanxi, 合计."""
    counties = [c for c in registry.counties_under("140000")]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rng = random.Random(1)
    for m in range(months):
        year, month = 2015 + m // 12, m % 12 + 1
        ws = wb.create_sheet(f"{year}年{month}月")
        ws.append([f"山西省商品住房库存情况统计表（{year}年{month}月）"])
        ws.append(["单位：套、万平方米、元/平方米"])
        ws.append(["县（市、区）", "可售商品住房", None, "当月销售", None, None])
        ws.append([None, "套数", "面积", "套数", "面积", "均价"])
        for code in counties:
            units = rng.randint(500, 9000)
            sold = rng.randint(10, 400)
            ws.append(
                [registry.path_names(code)[1] + registry.name(code), units, units * 0.0105, sold, sold * 0.0098, 5000]
            )
        ws.append(["全省合计"])
        ws.merge_cells("B3:C3")
        ws.merge_cells("D3:F3")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roll(registry, households: int) -> bytes:
    counties = registry.counties_under("210000")
    rng = random.Random(2)
    lines = ["户编号,户主姓名,身份证号,所在区县,棚户区类型,安置方式,补偿金额（元）,签约状态,计划年度"]
    for i in range(households):
        code = counties[i % len(counties)]
        monetised = rng.random() < 0.6
        lines.append(
            f"LN{i:08d},某某,21010219800101{i % 10000:04d},{''.join(registry.path_names(code)[1:])},城市棚户区,"
            f"{'货币化安置' if monetised else '产权调换'},{rng.randint(100000, 500000) if monetised else ''},已签约,2016"
        )
    return ("\n".join(lines) + "\n").encode("gb18030")


def timed(label: str, data: bytes, name: str, registry, **kw) -> None:
    t0 = time.perf_counter()
    result = ingest(data, name, registry, id_key=b"k" * 32, **kw)
    dt = time.perf_counter() - t0
    print(
        f"{label}: {len(data) / 1e6:.1f} MB, {len(result.frame):,} rows, {len(result.problems)} problems, "
        f"{dt:.2f} s ({len(result.frame) / dt:,.0f} rows/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    registry = load_registry()
    timed(f"inventory workbook, {args.months} sheets", workbook(registry, args.months), "shanxi.xlsx", registry)
    timed(
        f"household roll CSV (GB18030), {args.households:,} rows",
        roll(registry, args.households),
        "roll.csv",
        registry,
        region="辽宁省",
    )


if __name__ == "__main__":
    main()
