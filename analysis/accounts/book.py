"""The accounts database: accounts with argon2id password hashes, open sessions, and the audit trail.

One SQLite file in the data dir (``accounts.sqlite3``, owner-only like the store's files). A password is
hashed with argon2id (argon2-cffi's defaults, RFC 9106) and never stored, printed or logged; the browser
holds a random session token, the database only its SHA-256. Five wrong passwords in a row lock an account
for 15 minutes (the right password is refused too while it is locked); a session unused for longer than
``HOUSING_SESSION_IDLE_MINUTES`` (default 30) is closed. Every login, failed login, logout, account
change, commit and rollback is a row of the audit trail: when (UTC), who, what, detail (JSON), address.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analysis import db
from analysis.accounts.rules import MAX_NAME, check_password, clean_email, clean_name, new_password
from analysis.accounts.scope import NATIONAL, ROLES, AccountError

DB_FILE = "accounts.sqlite3"
SCHEMA_VERSION = 1
SCHEMA = Path(__file__).resolve().parents[1] / "sql" / "accounts" / "schema.sql"
MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_ENV = "HOUSING_SESSION_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30
TOUCH_SECONDS = 60  # a session's last use is written at most once a minute
WRONG = "用户名或密码不正确"
_HASHER = PasswordHasher()  # argon2id, time cost 3, 64 MiB, parallelism 4
_DUMMY: list[str] = []  # a hash checked for unknown names, so they take as long as known ones


class LoginRefused(AccountError):
    """A login that did not succeed; the message is what the person at the form reads."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    scope: str
    email: str | None = None
    disabled: bool = False
    failed_count: int = 0
    locked_until: float | None = None
    created_utc: str = ""
    last_login_utc: str | None = None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def can_upload(self) -> bool:
        return self.role in ("admin", "submitter")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def locked(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class AuditEntry:
    at_utc: str
    who: str
    what: str
    detail: dict
    address: str


@dataclass(frozen=True)
class SessionCheck:
    """What a session token is worth now: the account, or why not (``unknown``, ``expired``, ``disabled``)."""

    account: Account | None
    reason: str = ""


def idle_minutes() -> int:
    """``HOUSING_SESSION_IDLE_MINUTES`` (1 … 1440), else 30."""
    try:
        value = int(os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        return DEFAULT_IDLE_MINUTES
    return value if 1 <= value <= 1440 else DEFAULT_IDLE_MINUTES


def utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def local_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).strftime("%H:%M")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccountBook:
    """The accounts of one data dir (``clock`` returns epoch seconds; tests pass their own)."""

    def __init__(self, data_dir: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_FILE
        self.clock = clock

    # -- the file ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One transaction (committed on success, rolled back on error)."""
        if not self.path.exists():
            db.private_dir(self.data_dir)
            with contextlib.suppress(FileExistsError):  # owner-only from the first byte
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        con = sqlite3.connect(self.path, timeout=15)
        try:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA foreign_keys = ON")
            if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                con.executescript(SCHEMA.read_text(encoding="utf-8") + f"PRAGMA user_version = {SCHEMA_VERSION};")
            with con:
                yield con
        finally:
            con.close()

    def exists(self) -> bool:
        return self.path.exists()

    # -- accounts ------------------------------------------------------------------------------
    def accounts(self) -> list[Account]:
        with self._db() as con:
            return [_account(r) for r in con.execute("SELECT * FROM users ORDER BY created_utc, name")]

    def get(self, name: str) -> Account | None:
        with self._db() as con:
            row = con.execute("SELECT * FROM users WHERE name = :name", {"name": name}).fetchone()
        return _account(row) if row else None

    def by_email(self, email: str) -> Account | None:
        with self._db() as con:
            row = con.execute("SELECT * FROM users WHERE email = :email", {"email": email.strip()}).fetchone()
        return _account(row) if row else None

    def is_empty(self) -> bool:
        """No account at all (the first run creates an admin)."""
        if not self.path.exists():
            return True
        with self._db() as con:
            return con.execute("SELECT count(*) FROM users").fetchone()[0] == 0

    def add(
        self, name: str, role: str, scope: str, password: str, *, email: str | None = None, by: str, address: str = ""
    ) -> Account:
        """A new account (``scope``: ``national`` or a region code, already checked)."""
        name = clean_name(name)
        if role not in ROLES:
            raise AccountError(f"角色「{role}」无效")
        check_password(password, name)
        email = clean_email(email)
        now = utc(self.clock())
        with self._db() as con:
            if con.execute("SELECT 1 FROM users WHERE name = :name", {"name": name}).fetchone():
                raise AccountError(f"账户「{name}」已存在")
            if email and con.execute("SELECT 1 FROM users WHERE email = :e", {"e": email}).fetchone():
                raise AccountError(f"邮箱 {email} 已属于另一个账户")
            con.execute(
                "INSERT INTO users (name, role, scope, email, password_hash, created_utc, password_changed_utc) "
                "VALUES (:name, :role, :scope, :email, :hash, :now, :now)",
                {
                    "name": name,
                    "role": role,
                    "scope": scope,
                    "email": email,
                    "hash": _HASHER.hash(password),
                    "now": now,
                },
            )
            _audit(con, now, by, "user_added", {"name": name, "role": role, "scope": scope, "email": email}, address)
        return self.get(name)  # type: ignore[return-value]

    def set_password(self, name: str, password: str, *, by: str, address: str = "") -> Account:
        """A new password; unlocks the account and closes its sessions."""
        account = self._existing(name)
        check_password(password, account.name)
        now = utc(self.clock())
        with self._db() as con:
            con.execute(
                "UPDATE users SET password_hash = :hash, password_changed_utc = :now, failed_count = 0, "
                "locked_until = NULL WHERE name = :name",
                {"hash": _HASHER.hash(password), "now": now, "name": account.name},
            )
            con.execute("DELETE FROM sessions WHERE name = :name", {"name": account.name})
            _audit(con, now, by, "password_changed", {"name": account.name}, address)
        return self._existing(account.name)

    def set_disabled(self, name: str, disabled: bool = True, *, by: str, address: str = "") -> Account:
        """Disable or enable an account. A disabled account's sessions are refused from now on (each is closed
        at its next check, which tells the person why); enabling it opens none of them again."""
        account = self._existing(name)
        now = utc(self.clock())
        with self._db() as con:
            con.execute(
                "UPDATE users SET disabled = :d, failed_count = 0, locked_until = NULL WHERE name = :name",
                {"d": int(disabled), "name": account.name},
            )
            if not disabled:
                con.execute("DELETE FROM sessions WHERE name = :name", {"name": account.name})
            _audit(con, now, by, "user_disabled" if disabled else "user_enabled", {"name": account.name}, address)
        return self._existing(account.name)

    def _existing(self, name: str) -> Account:
        account = self.get(unicodedata.normalize("NFKC", name or "").strip())
        if account is None:
            raise AccountError(f"没有账户「{name}」：请用 users list 查看")
        return account

    # -- logging in ----------------------------------------------------------------------------
    def authenticate(self, name: str, password: str, address: str = "") -> Account:
        """The account if ``password`` is right and it may log in now; else :class:`LoginRefused`."""
        now = self.clock()
        typed = unicodedata.normalize("NFKC", name or "").strip()[: MAX_NAME * 2]
        account = self.get(typed) if typed else None
        if account is None:
            _verify(_dummy_hash(), password)
            self.audit(typed or "（空）", "login_failed", {"reason": "unknown_user"}, address)
            raise LoginRefused(WRONG)
        if account.disabled:
            self.audit(account.name, "login_failed", {"reason": "disabled"}, address)
            raise LoginRefused("该账户已停用，请联系管理员")
        if account.locked(now):
            self.audit(account.name, "login_failed", {"reason": "locked"}, address)
            raise LoginRefused(_locked_message(account.locked_until))
        with self._db() as con:
            stored = con.execute("SELECT password_hash FROM users WHERE name = :n", {"n": account.name}).fetchone()[0]
            if _verify(stored, password):
                rehash = _HASHER.check_needs_rehash(stored)
                con.execute(
                    "UPDATE users SET failed_count = 0, locked_until = NULL, last_login_utc = :now,"
                    " password_hash = coalesce(:hash, password_hash) WHERE name = :n",
                    {"now": utc(now), "n": account.name, "hash": _HASHER.hash(password) if rehash else None},
                )
                _audit(con, utc(now), account.name, "login", {}, address)
                return _account(con.execute("SELECT * FROM users WHERE name = :n", {"n": account.name}).fetchone())
            con.execute("UPDATE users SET failed_count = failed_count + 1 WHERE name = :n", {"n": account.name})
            failed = con.execute("SELECT failed_count FROM users WHERE name = :n", {"n": account.name}).fetchone()[0]
            _audit(con, utc(now), account.name, "login_failed", {"reason": "wrong_password", "failed": failed}, address)
            if failed < MAX_FAILURES:
                refusal = LoginRefused(WRONG)
            else:  # locked: the count starts again when the lock ends
                until = now + LOCK_MINUTES * 60
                con.execute(
                    "UPDATE users SET failed_count = 0, locked_until = :until WHERE name = :n",
                    {"until": until, "n": account.name},
                )
                _audit(con, utc(now), account.name, "account_locked", {"minutes": LOCK_MINUTES}, address)
                refusal = LoginRefused(_locked_message(until))
        raise refusal

    def open_session(self, account: Account, address: str = "") -> str:
        """A new session for ``account``: the token for the browser (only its hash is stored)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._db() as con:
            con.execute(
                "INSERT INTO sessions (token_sha256, name, created, last_seen, address) VALUES (:t, :n, :now, :now, :a)",
                {"t": _token_hash(token), "n": account.name, "now": now, "a": address},
            )
        return token

    def login(self, name: str, password: str, address: str = "") -> tuple[Account, str]:
        """What the login form does: check the password, then open a session (account, token)."""
        account = self.authenticate(name, password, address)
        return account, self.open_session(account, address)

    def session(self, token: str | None, address: str = "") -> SessionCheck:
        """The account behind ``token`` if its session is open and was used within the idle time."""
        if not token:
            return SessionCheck(None, "unknown")
        now = self.clock()
        key = _token_hash(token)
        with self._db() as con:
            row = con.execute(
                "SELECT s.last_seen, u.* FROM sessions s JOIN users u ON u.name = s.name WHERE s.token_sha256 = :t",
                {"t": key},
            ).fetchone()
            if row is None:
                return SessionCheck(None, "unknown")
            account = _account(row)
            if account.disabled:
                con.execute("DELETE FROM sessions WHERE token_sha256 = :t", {"t": key})
                return SessionCheck(None, "disabled")
            if now - row["last_seen"] > idle_minutes() * 60:
                con.execute("DELETE FROM sessions WHERE token_sha256 = :t", {"t": key})
                _audit(con, utc(now), account.name, "logout", {"reason": "idle", "minutes": idle_minutes()}, address)
                return SessionCheck(None, "expired")
            if now - row["last_seen"] > TOUCH_SECONDS:
                con.execute("UPDATE sessions SET last_seen = :now WHERE token_sha256 = :t", {"now": now, "t": key})
        return SessionCheck(account)

    def open_session_for_email(self, email: str, address: str = "") -> tuple[Account, str]:
        """After a login through the department's identity provider (st.login): the account of that e-mail."""
        account = self.by_email(email) if email else None
        if account is None or account.disabled:
            self.audit(email or "（无邮箱）", "login_failed", {"reason": "oidc_no_account"}, address)
            raise LoginRefused(f"统一身份认证的邮箱 {email or '（无）'} 没有对应的可用账户，请联系管理员开通")
        self.audit(account.name, "login", {"via": "oidc"}, address)
        return account, self.open_session(account, address)

    def logout(self, token: str | None, address: str = "") -> None:
        if not token:
            return
        now = self.clock()
        with self._db() as con:
            row = con.execute("SELECT name FROM sessions WHERE token_sha256 = :t", {"t": _token_hash(token)}).fetchone()
            con.execute("DELETE FROM sessions WHERE token_sha256 = :t", {"t": _token_hash(token)})
            if row:
                _audit(con, utc(now), row["name"], "logout", {}, address)

    # -- the audit trail -----------------------------------------------------------------------
    def audit(self, who: str, what: str, detail: dict | None = None, address: str = "") -> None:
        with self._db() as con:
            _audit(con, utc(self.clock()), who, what, detail or {}, address)

    def audit_log(self, limit: int = 500) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first."""
        if not self.path.exists():
            return []
        with self._db() as con:
            rows = con.execute("SELECT * FROM audit ORDER BY id DESC LIMIT :n", {"n": limit}).fetchall()
        return [AuditEntry(r["at_utc"], r["who"], r["what"], json.loads(r["detail"]), r["address"]) for r in rows]


def _audit(con: sqlite3.Connection, at: str, who: str, what: str, detail: dict, address: str) -> None:
    con.execute(
        "INSERT INTO audit (at_utc, who, what, detail, address) VALUES (:at, :who, :what, :detail, :address)",
        {
            "at": at,
            "who": who,
            "what": what,
            "detail": json.dumps(detail, ensure_ascii=False),
            "address": address or "",
        },
    )


def _account(row: sqlite3.Row) -> Account:
    return Account(
        name=row["name"],
        role=row["role"],
        scope=row["scope"],
        email=row["email"],
        disabled=bool(row["disabled"]),
        failed_count=row["failed_count"],
        locked_until=row["locked_until"],
        created_utc=row["created_utc"],
        last_login_utc=row["last_login_utc"],
    )


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash(secrets.token_hex(16)))
    return _DUMMY[0]


def _locked_message(until: float | None) -> str:
    when = local_time(until) if until else ""
    return f"密码连续错误 {MAX_FAILURES} 次，账户已锁定 {LOCK_MINUTES} 分钟：请于 {when} 之后再试，或请管理员重置密码"


__all__ = ["NATIONAL", "Account", "AccountBook", "AuditEntry", "LoginRefused", "SessionCheck", "new_password"]
