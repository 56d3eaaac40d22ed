"""What this run's account may do (roles and scopes of analysis.accounts), and the audit rows of the app.

Pages ask here rather than testing roles themselves: which provinces to offer, which regions to upload
for, whether a file's rows lie inside the scope, whether a rollback may be made, whether to show a server
path. Callbacks that change something check the account again (:func:`ui.auth.verified`).
"""

from __future__ import annotations

import dataclasses
import logging

from analysis.accounts import scope as scopes
from analysis.accounts.book import Account
from analysis.ingest import IngestResult
from analysis.regions import load_registry
from analysis.store import Store
from ui import auth

log = logging.getLogger("housing.auth")


class NotAllowed(Exception):
    """The account may not do this (a Chinese message; nothing was changed)."""


def may_read(province_code: str, who: Account | None = None) -> bool:
    who = who or auth.account()
    return who is not None and scopes.readable(province_code, who.scope, load_registry())


def is_national(who: Account | None = None) -> bool:
    who = who or auth.account()
    return who is not None and who.scope == scopes.NATIONAL


def is_admin(who: Account | None = None) -> bool:
    who = who or auth.account()
    return who is not None and who.is_admin


def upload_regions(province_code: str | None, who: Account | None = None) -> list[str]:
    """The cities and counties of the province this account uploads for (the page's 所属地区 picker)."""
    who = who or auth.account()
    if not province_code or who is None or not who.can_upload:
        return []
    return scopes.upload_regions(who.scope, province_code, load_registry())


def scope_label(who: Account | None = None) -> str:
    who = who or auth.account()
    return scopes.scope_label(who.scope, load_registry()) if who else ""


def within_scope(result: IngestResult, who: Account | None = None) -> IngestResult:
    """The checked file with one error per row outside the account's scope (so it cannot be committed)."""
    who = who or auth.account()
    if who is None:
        return result
    outside = scopes.outside_scope(result.frame, result.source, who.scope, load_registry())
    if not outside:
        return result
    return dataclasses.replace(result, problems=[*outside, *result.problems])


def check_commit(result: IngestResult) -> Account:
    """Before a commit: the account, checked now, may upload and every row lies inside its scope."""
    who = auth.verified()
    if who is None:
        raise NotAllowed("登录已失效，请重新登录后再提交")
    if not who.can_upload:
        raise NotAllowed("您的账户只能查看，不能提交数据")
    outside = scopes.outside_scope(result.frame, result.source, who.scope, load_registry())
    if outside:
        audit(
            "commit_refused",
            {"file": result.file_name, "kind": result.kind, "rows": len(result.frame), "reason": "outside_scope"},
            who,
        )
        raise NotAllowed(f"文件中有 {len(outside)} 处地区不在您的报送范围（{scope_label(who)}）内，未写入任何数据")
    return who


def may_save_mapping(code: str | None, who: Account | None = None) -> bool:
    """Whether the account may save a mapping for region ``code`` (a submitter or admin whose scope holds it)."""
    who = who or auth.account()
    return bool(code) and who is not None and who.can_upload and scopes.in_scope(code, who.scope, load_registry())


def check_mapping_save(code: str, kind: str) -> Account:
    """Before a mapping is saved: the account, checked now, may save it for ``code``."""
    who = auth.verified()
    if who is None or not may_save_mapping(code, who):
        raise NotAllowed(f"您的账户不能为{scopes.scope_label(code, load_registry())}保存映射（不在报送范围内）")
    return who


def check_rollback(store: Store, target: int) -> Account:
    """Before a rollback: an admin, checked now, whose scope holds every province the rollback changes."""
    who = auth.verified()
    if who is None or not who.is_admin:
        raise NotAllowed("只有管理员可以回退")
    if who.scope != scopes.NATIONAL:
        current, wanted = store.manifest(), store.manifest(target)
        changed = scopes.provinces_changed(current.tables, wanted.tables)
        reg = load_registry()
        outside = sorted(p for p in changed if not scopes.readable(p, who.scope, reg))
        if outside:
            names = "、".join(reg.name(p) for p in outside)
            raise NotAllowed(f"回退到版本 {target} 会改动您范围以外的省份（{names}）的数据，需由全国范围的管理员操作")
    return who


def audit(what: str, detail: dict, who: Account | None = None) -> None:
    """An audit row for something done in the app (a failure to write it goes to the log, not to the page)."""
    who = who or auth.account()
    try:
        auth.book().audit(who.name if who else "（未登录）", what, detail, auth.address())
    except Exception:
        log.exception("audit row not written: %s %s", what, detail)
