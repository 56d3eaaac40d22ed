"""Accounts, roles and scopes, sessions and the audit trail (see README「账户、角色与审计」).

:mod:`analysis.accounts.book` keeps the accounts database (SQLite in the data dir, argon2id hashes);
:mod:`analysis.accounts.scope` says what a role and a scope allow, :mod:`analysis.accounts.rules` what a name and
a password must be. None knows about Streamlit: the app's login form and menus are in ``ui/auth.py`` and
``ui/nav.py``, the ``users`` command in ``analysis/cli``.
"""

from __future__ import annotations

from analysis.accounts.book import (
    DB_FILE,
    LOCK_MINUTES,
    MAX_FAILURES,
    Account,
    AccountBook,
    AuditEntry,
    LoginRefused,
    SessionCheck,
    idle_minutes,
    new_password,
)
from analysis.accounts.scope import NATIONAL, ROLES, AccountError, parse_role, parse_scope, scope_label

__all__ = [
    "DB_FILE",
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "NATIONAL",
    "ROLES",
    "Account",
    "AccountBook",
    "AccountError",
    "AuditEntry",
    "LoginRefused",
    "SessionCheck",
    "idle_minutes",
    "new_password",
    "parse_role",
    "parse_scope",
    "scope_label",
]
