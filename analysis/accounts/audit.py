"""The audit trail as people read it (the 账户管理 page and ``users audit``).

>>> from analysis.accounts.book import AuditEntry
>>> describe(AuditEntry("2016-06-01T08:00:00Z", "张三", "login_failed", {"reason": "wrong_password", "failed": 2}, ""))
'密码错误（连续第 2 次）'
>>> describe(AuditEntry("", "李四", "commit", {"version": 7, "file": "a.xlsx", "kind": "inventory", "rows": 12}, ""))
'版本 7：文件「a.xlsx」，商品住房库存 12 行'
"""

from __future__ import annotations

import pandas as pd

from analysis.accounts.book import AuditEntry
from analysis.accounts.scope import ROLES, scope_label
from analysis.catalogue import kind_label
from analysis.regions import load_registry

WHAT_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "account_locked": "账户锁定",
    "logout": "退出",
    "user_added": "添加账户",
    "password_changed": "修改密码",
    "user_disabled": "停用账户",
    "user_enabled": "启用账户",
    "commit": "提交数据",
    "commit_refused": "拒绝提交",
    "rollback": "回退",
    "demo": "写入演示数据",
    "mapping_saved": "保存映射",
}
REASONS = {
    "unknown_user": "用户名不存在",
    "disabled": "账户已停用",
    "locked": "账户锁定中",
    "oidc_no_account": "统一身份认证的邮箱没有对应账户",
    "idle": "长时间未操作，自动退出",
    "outside_scope": "有超出报送范围的行",
}


def what_label(what: str) -> str:
    return WHAT_LABELS.get(what, what)


def describe(entry: AuditEntry) -> str:
    """One line of Chinese for an entry's detail."""
    d = entry.detail
    if entry.what == "login_failed":
        if d.get("reason") == "wrong_password":
            return f"密码错误（连续第 {d.get('failed', '?')} 次）"
        return REASONS.get(d.get("reason", ""), d.get("reason", ""))
    if entry.what == "account_locked":
        return f"锁定 {d.get('minutes', '?')} 分钟"
    if entry.what == "logout":
        return REASONS.get(d.get("reason", ""), "") if d.get("reason") else "主动退出"
    if entry.what == "login":
        return "统一身份认证" if d.get("via") == "oidc" else "用户名和密码"
    if entry.what == "user_added":
        role = ROLES.get(d.get("role", ""), d.get("role", ""))
        scope = scope_label(d.get("scope", ""), load_registry()) if d.get("scope") else ""
        return f"账户「{d.get('name', '')}」：{role}，范围 {scope}"
    if entry.what in ("password_changed", "user_disabled", "user_enabled"):
        return f"账户「{d.get('name', '')}」"
    if entry.what in ("commit", "commit_refused"):
        kind = kind_label(d["kind"]) if d.get("kind") else ""
        head = f"版本 {d['version']}：" if d.get("version") else ""
        rows = f"{kind} {d.get('rows', 0):,} 行" if kind else ""
        extra = f"；{REASONS.get(d.get('reason', ''), '')}" if d.get("reason") else ""
        return f"{head}文件「{d.get('file', '')}」，{rows}{extra}".rstrip("，")
    if entry.what == "rollback":
        return f"回退到版本 {d.get('to', '?')}（替换版本 {d.get('replaced', '?')}），记录为版本 {d.get('version', '?')}"
    if entry.what == "mapping_saved":
        kind = kind_label(d["kind"]) if d.get("kind") else ""
        place = " ".join(load_registry().path_names(d["region"])) if d.get("region") else ""
        return f"{place} {kind}的映射，版本 {d.get('version', '?')}".strip()
    if entry.what == "demo":
        return f"版本 {d.get('version', '?')}"
    return ", ".join(f"{k}={v}" for k, v in d.items())


def audit_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The entries as a table for people (newest first, as given)."""
    return pd.DataFrame(
        [
            {
                "时间（UTC）": e.at_utc.replace("T", " ").rstrip("Z"),
                "操作人": e.who,
                "操作": what_label(e.what),
                "详情": describe(e),
                "地址": e.address,
            }
            for e in entries
        ],
        columns=["时间（UTC）", "操作人", "操作", "详情", "地址"],
    )
