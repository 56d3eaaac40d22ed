"""The same county metric in plain pandas and in polars, over the store's raw Parquet files (the rivals of
bench/bench_national.py; their results are checked equal to the project's for every county).

For each county under the scope at ``period`` (12-month window, plan years ``years``), by the rules of
``analysis/sql/metrics/region_metrics.sql``: the stock at the month and the window's average monthly sales
of a reporting county, its 去化周期; the plan; the urban roll's households by mode and their compensation;
households resettled and started as of the month (a dated step by its month, else the latest status).
Each reads only the files of the scope's province when there is one (as the project does).
"""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = [
    "region_code", "saleable_area_m2", "avg_monthly_sold_m2", "destock_months", "planned_households", "households",
    "monetised_households", "in_kind_households", "undecided_households", "compensation_yuan",
    "resettled_households", "started_households",
]  # fmt: skip
STARTED = ["signed", "relocated", "resettled"]
ROLL = ["region_code", "plan_year", "category", "mode", "status", "compensation_yuan", "signed_month",
        "relocated_month", "resettled_month"]  # fmt: skip


def counties(repo: Path, scope: str | None) -> list[str]:
    with (repo / "data" / "regions.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] == "county"]
    return sorted(r["region_code"] for r in rows if scope is None or r["province_code"] == scope)


def window_start(period: str, months: int = 12) -> str:
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 - (months - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def files(store_dir: Path, table: str, scope: str | None) -> list[str]:
    import json

    version = int((store_dir / "CURRENT").read_text())
    manifest = json.loads((store_dir / "versions" / f"v{version:06d}.json").read_text(encoding="utf-8"))
    parts = manifest["tables"][table]
    return [str(store_dir / p["file"]) for prefix, p in sorted(parts.items()) if scope is None or prefix == scope[:2]]


def with_pandas(store_dir: Path, repo: Path, scope: str | None, period: str, years: list[int]):
    import pandas as pd

    inv = pd.concat(
        [pd.read_parquet(f, columns=["region_code", "period", "saleable_area_m2", "sold_area_m2"])
         for f in files(store_dir, "inventory", scope)]
    )  # fmt: skip
    win = inv[(inv.period >= window_start(period)) & (inv.period <= period)]
    sales = win.groupby("region_code").agg(sold=("sold_area_m2", "sum"), months=("sold_area_m2", "count"))
    stock = inv[(inv.period == period) & inv.saleable_area_m2.notna()].set_index("region_code")[["saleable_area_m2"]]
    fig = stock.join(sales, how="inner")
    fig = fig[fig.months > 0]
    fig["avg_monthly_sold_m2"] = fig.sold / fig.months
    fig["destock_months"] = fig.saleable_area_m2 / fig.avg_monthly_sold_m2.where(fig.avg_monthly_sold_m2 != 0)
    plans = pd.concat([pd.read_parquet(f, columns=["region_code", "year", "planned_households"])
                       for f in files(store_dir, "plans", scope)])  # fmt: skip
    planned = plans[plans.year.isin(years)].groupby("region_code").planned_households.sum()
    hh = pd.concat(
        [
            pd.read_parquet(f, columns=ROLL, filters=[("plan_year", "in", years)])
            for f in files(store_dir, "households", scope)
        ]
    )
    hh = hh[hh.category.fillna("") != "rural_dilapidated"]  # unknown category: urban, as the project counts
    first = hh[["signed_month", "relocated_month", "resettled_month"]].min(axis=1)
    resettled = hh.resettled_month.le(period).where(hh.resettled_month.notna(), hh.status == "resettled")
    started = first.le(period).where(first.notna(), hh.status.isin(STARTED))
    mon = hh["mode"] == "monetised"
    roll = (
        pd.DataFrame(
            {
                "region_code": hh.region_code,
                "households": 1,
                "monetised_households": mon,
                "in_kind_households": hh["mode"] == "in_kind",
                "undecided_households": hh["mode"] == "undecided",
                "compensation_yuan": hh.compensation_yuan.where(mon),
                "resettled_households": resettled.astype(bool),
                "started_households": started.astype(bool),
            }
        )
        .groupby("region_code")
        .sum(min_count=1)
    )
    out = pd.DataFrame(index=pd.Index(counties(repo, scope), name="region_code"))
    out = out.join(fig[["saleable_area_m2", "avg_monthly_sold_m2", "destock_months"]]).join(planned).join(roll)
    return out.reset_index()[COLUMNS]


def with_polars(store_dir: Path, repo: Path, scope: str | None, period: str, years: list[int]):
    import polars as pl

    inv = pl.scan_parquet(files(store_dir, "inventory", scope))
    sales = (
        inv.filter(pl.col("period").is_between(pl.lit(window_start(period)), pl.lit(period)))
        .group_by("region_code")
        .agg(sold=pl.col("sold_area_m2").sum(), months=pl.col("sold_area_m2").count())
    )
    stock = inv.filter((pl.col("period") == pl.lit(period)) & pl.col("saleable_area_m2").is_not_null()).select(
        "region_code", "saleable_area_m2"
    )
    avg = pl.col("sold") / pl.col("months")
    fig = (
        stock.join(sales, on="region_code")
        .filter(pl.col("months") > 0)
        .with_columns(avg_monthly_sold_m2=avg)
        .with_columns(
            destock_months=pl.when(pl.col("avg_monthly_sold_m2") != 0).then(
                pl.col("saleable_area_m2") / pl.col("avg_monthly_sold_m2")
            )
        )
        .select("region_code", "saleable_area_m2", "avg_monthly_sold_m2", "destock_months")
    )
    planned = (
        pl.scan_parquet(files(store_dir, "plans", scope))
        .filter(pl.col("year").is_in(years))
        .group_by("region_code")
        .agg(planned_households=pl.col("planned_households").sum())
    )
    first = pl.min_horizontal("signed_month", "relocated_month", "resettled_month")
    hh = (
        pl.scan_parquet(files(store_dir, "households", scope))
        .select(ROLL)
        .filter(pl.col("plan_year").is_in(years) & (pl.col("category").fill_null("") != "rural_dilapidated"))
    )
    mon = pl.col("mode") == "monetised"
    roll = hh.group_by("region_code").agg(
        households=pl.len(),
        monetised_households=mon.sum(),
        in_kind_households=(pl.col("mode") == "in_kind").sum(),
        undecided_households=(pl.col("mode") == "undecided").sum(),
        compensation_yuan=pl.col("compensation_yuan").filter(mon).sum(),
        n_comp=pl.col("compensation_yuan").filter(mon).count(),
        resettled_households=pl.when(pl.col("resettled_month").is_not_null())
        .then(pl.col("resettled_month") <= pl.lit(period))
        .otherwise(pl.col("status") == "resettled")
        .sum(),
        started_households=pl.when(first.is_not_null())
        .then(first <= pl.lit(period))
        .otherwise(pl.col("status").is_in(STARTED))
        .sum(),
    )
    roll = roll.with_columns(compensation_yuan=pl.when(pl.col("n_comp") > 0).then(pl.col("compensation_yuan"))).drop(
        "n_comp"
    )
    base = pl.LazyFrame({"region_code": counties(repo, scope)})
    out = base.join(fig, on="region_code", how="left").join(planned, on="region_code", how="left")
    return out.join(roll, on="region_code", how="left").select(COLUMNS).collect()
