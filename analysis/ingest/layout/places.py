"""Where a sheet is and when: the place and the year or month a title, sheet name or file name names."""

from __future__ import annotations

import re

from analysis.ingest.values import period_in_text
from analysis.regions import Registry


def infer_city(rows: list[str], registry: Registry) -> str | None:
    """The city of the names that match one county only, when they all lie in one city."""
    cities: set[str] = set()
    ambiguous = False
    for text in rows:
        match = registry.match(text)
        if match.code:
            cities.add(registry.get(match.code).parent_code)
        elif len(match.codes) > 1:
            ambiguous = True
    return cities.pop() if ambiguous and len(cities) == 1 else None


def city_names(registry: Registry, city: str | None) -> set[str]:
    if not city or registry.get(city).level != "city":
        return set()
    name = registry.name(city)
    short = name.removesuffix("市")
    return {name, short, short + "全市", name + "合计", "全市"}


def year_in_name(file_name: str) -> int | None:
    years = set(re.findall(r"(?<!\d)(20\d{2})(?!\d)", file_name))
    return int(years.pop()) if len(years) == 1 else None


def month_with_year(sheet_name: str, above: list[str], file_name: str) -> str | None:
    """A sheet named ``1月`` in a workbook whose title (or file name) gives the year."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*月份?\s*", sheet_name)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    year = single_year(above) or year_in_name(file_name)
    return f"{year:04d}-{int(m.group(1)):02d}" if year else None


def single_year(texts: list[str]) -> int | None:
    years = {int(y) for t in texts for y in re.findall(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)", t)}
    return years.pop() if len(years) == 1 else None


def period_in_name(file_name: str) -> str | None:
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = period_in_text(stem)
    if found:
        return found
    m = re.search(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)", stem)
    return f"{m.group(1)}-{m.group(2)}" if m else None
