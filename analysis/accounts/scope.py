"""Roles and scopes: what an account may read, upload and manage.

Every account has a role and a scope. The scope is ``national`` (全国) or one region (a province, a city
or a county, by its 6-digit code). Viewers read their scope's province (a national scope reads every
province); submitters also upload for the counties inside their scope; admins also manage the accounts
inside their scope and roll back versions whose changes lie inside it.

>>> from analysis.regions import load_registry
>>> reg = load_registry()
>>> parse_scope("全国", reg), parse_scope("盂县", reg), parse_scope("140300", reg)
('national', '140322', '140300')
>>> scope_label("140322", reg)
'山西省 阳泉市 盂县'
>>> in_scope("140322", "140300", reg), in_scope("140105", "140300", reg), in_scope("140105", "national", reg)
(True, False, True)
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.ingest.problems import Problem
from analysis.regions import Registry

NATIONAL = "national"
ROLES = {"admin": "管理员", "submitter": "报送员", "viewer": "查看者"}
ROLE_NAMES = {"管理员": "admin", "报送员": "submitter", "查看者": "viewer"}
NATIONAL_NAMES = {"national", "全国", "全国范围", "中国", "中华人民共和国"}
MAX_LISTED = 50  # rows outside the scope named one by one; the rest are counted


class AccountError(Exception):
    """A refusal about accounts, with a Chinese message (exit status 2 on the command line)."""


def parse_role(text: str) -> str:
    """``admin`` / ``管理员`` → ``admin``."""
    role = ROLE_NAMES.get(text.strip(), text.strip().lower())
    if role not in ROLES:
        raise AccountError(f"角色「{text}」无效，可选：admin（管理员）、submitter（报送员）、viewer（查看者）")
    return role


def parse_scope(text: str, registry: Registry) -> str:
    """全国 / national, or a province, city or county by code or name → ``national`` or its code."""
    raw = (text or "").strip()
    if raw.lower() in NATIONAL_NAMES:
        return NATIONAL
    code = registry.match_any(raw)
    if code is not None:
        return code
    candidates = registry.match(raw, level=None).codes
    if len(candidates) > 1:
        named = "、".join(f"{' '.join(registry.path_names(c))}（{c}）" for c in candidates[:8])
        raise AccountError(f"范围「{raw}」不唯一，可能是 {named}：请用 6 位行政区划代码，或写上所属市（如 阳泉市城区）")
    raise AccountError(f"无法识别范围「{raw}」：应为 全国，或省、市、县（市、区）的 6 位代码或完整名称")


def scope_label(scope: str, registry: Registry) -> str:
    """``全国`` or the names from the province down."""
    if scope == NATIONAL:
        return "全国"
    if scope not in registry.regions:
        return scope
    return " ".join(registry.path_names(scope))


def in_scope(code: str | None, scope: str, registry: Registry) -> bool:
    """Whether region ``code`` lies inside ``scope`` (a county inside its city, province, or 全国)."""
    if scope == NATIONAL:
        return True
    return bool(code) and code in registry.regions and registry.is_under(code, scope)


def covers(outer: str, inner: str, registry: Registry) -> bool:
    """Whether scope ``outer`` contains scope ``inner`` (an admin manages only accounts inside its own)."""
    if outer == NATIONAL:
        return True
    return inner != NATIONAL and in_scope(inner, outer, registry)


def province_of(scope: str, registry: Registry) -> str | None:
    """The province a scope reads (None: 全国, every province)."""
    if scope == NATIONAL:
        return None
    return registry.get(scope).province_code or scope


def readable(province_code: str, scope: str, registry: Registry) -> bool:
    """Whether an account of ``scope`` may read ``province_code``'s data."""
    own = province_of(scope, registry)
    return own is None or own == province_code


def upload_regions(scope: str, province_code: str, registry: Registry) -> list[str]:
    """The cities and counties of ``province_code`` an account of ``scope`` may upload for (its picker)."""
    out = []
    for city in registry.children(province_code):
        counties = [c for c in registry.children(city) if registry.get(c).level == "county"]
        if in_scope(city, scope, registry):
            out.append(city)
        out += [c for c in counties if in_scope(c, scope, registry)]
    own = registry.regions.get(scope)
    if own and own.level == "county" and own.province_code == province_code and scope not in out:
        out.append(scope)  # a county directly under its province
    return out


def outside_scope(frame: pd.DataFrame, source: pd.DataFrame | None, scope: str, registry: Registry) -> list[Problem]:
    """One error per row of ``frame`` whose region lies outside ``scope``, naming its sheet, row and place."""
    if scope == NATIONAL or frame.empty or "region_code" not in frame:
        return []
    codes = frame["region_code"].tolist()
    bad = [i for i, c in enumerate(codes) if c is not None and c == c and not in_scope(str(c), scope, registry)]
    if not bad:
        return []
    where = scope_label(scope, registry)
    problems = []
    for i in bad[:MAX_LISTED]:
        code = str(codes[i])
        sheet, row, written = "", None, ""
        if source is not None and i < len(source):
            src = source.iloc[i]
            sheet, row, written = str(src.get("sheet", "")), _row(src.get("row")), str(src.get("region_written", ""))
        name = " ".join(registry.path_names(code)[1:]) if code in registry.regions else code
        problems.append(
            Problem(
                sheet, row, "地区", written or name, f"{name}（{code}）不在您的报送范围（{where}）内，不能由本账户提交"
            )
        )
    if len(bad) > MAX_LISTED:
        problems.append(
            Problem("", None, "地区", "", f"另有 {len(bad) - MAX_LISTED:,} 行的地区不在您的报送范围（{where}）内")
        )
    return problems


def _row(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def provinces_changed(current: Mapping[str, Mapping], target: Mapping[str, Mapping]) -> set[str]:
    """The provinces (codes) whose data differ between two versions' ``tables`` (what a rollback changes)."""
    out = set()
    for table in set(current) | set(target):
        a, b = current.get(table, {}), target.get(table, {})
        out |= {f"{p}0000" for p in set(a) | set(b) if a.get(p) != b.get(p)}
    return out
