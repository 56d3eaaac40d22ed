"""``users``: the accounts of the app (add, list, passwd, disable, enable, init, audit).

Whoever runs the command line is trusted as the operating-system user (recorded in the audit trail as
``系统用户 NAME``); the app's own admins manage accounts on its 账户管理 page.
"""

from __future__ import annotations

import getpass
import sys

import pandas as pd

from analysis.accounts import AccountBook, AccountError, new_password, parse_role, parse_scope, scope_label
from analysis.accounts.audit import audit_frame
from analysis.accounts.book import utc
from analysis.regions import load_registry
from analysis.store import Store, default_actor

CLI_ADDRESS = "命令行"


def os_actor() -> str:
    """How the audit trail names whoever runs the command line."""
    return f"系统用户 {default_actor()}"


def run(args, store: Store) -> str:
    book = AccountBook(store.data_dir)
    return {
        "add": _add,
        "list": _list,
        "passwd": _passwd,
        "disable": _disable,
        "enable": _enable,
        "init": _init,
        "audit": _audit,
    }[args.users_command](args, book)


def _password(args, name: str) -> tuple[str, bool]:
    """The password (from stdin, typed twice on a terminal, else generated) and whether it was generated."""
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise AccountError("标准输入中没有密码（--password-stdin 读取第一行）")
        return password, False
    if sys.stdin.isatty():
        first = getpass.getpass(f"为「{name}」设置密码（至少 10 个字符）：")
        if getpass.getpass("再输入一次：") != first:
            raise AccountError("两次输入的密码不一致，未改动")
        return first, False
    return new_password(), True


def _generated(name: str, password: str) -> str:
    return (
        f"初始密码（只显示这一次，系统不保存明文）：{password}\n"
        f"请转交本人，并请其登录后修改；也可运行：python -m analysis users passwd {name}"
    )


def _add(args, book: AccountBook) -> str:
    reg = load_registry()
    role = parse_role(args.role)
    scope = parse_scope(args.scope, reg)
    if book.get(args.name.strip()) is not None:
        raise AccountError(f"账户「{args.name.strip()}」已存在：修改密码用 users passwd，停用用 users disable")
    password, made = _password(args, args.name)
    account = book.add(args.name, role, scope, password, email=args.email, by=os_actor(), address=CLI_ADDRESS)
    line = f"已添加账户「{account.name}」：{account.role_label}，范围 {scope_label(account.scope, reg)}"
    line += f"，邮箱 {account.email}" if account.email else ""
    return line + "。" + ("\n" + _generated(account.name, password) if made else "")


def _list(args, book: AccountBook) -> str:
    accounts = book.accounts()
    if not accounts:
        return "还没有任何账户：运行 python -m analysis users init 创建首个管理员，或 users add 添加。"
    reg = load_registry()
    now = book.clock()
    frame = pd.DataFrame(
        [
            {
                "用户名": a.name,
                "角色": a.role_label,
                "范围": scope_label(a.scope, reg),
                "邮箱": a.email or "",
                "状态": status(a, now),
                "最近登录（UTC）": (a.last_login_utc or "").replace("T", " ").rstrip("Z"),
            }
            for a in accounts
        ]
    )
    return frame.to_string(index=False)


def status(account, now: float) -> str:
    if account.disabled:
        return "已停用"
    if account.locked(now):
        return f"锁定至 {utc(account.locked_until).replace('T', ' ').rstrip('Z')}（UTC）"
    return "正常"


def _passwd(args, book: AccountBook) -> str:
    account = book.get(args.name.strip())
    if account is None:
        raise AccountError(f"没有账户「{args.name}」：请用 users list 查看")
    password, made = _password(args, account.name)
    book.set_password(account.name, password, by=os_actor(), address=CLI_ADDRESS)
    line = f"已修改账户「{account.name}」的密码（已解除锁定，原有登录已失效）。"
    return line + ("\n" + _generated(account.name, password) if made else "")


def _disable(args, book: AccountBook) -> str:
    account = book.set_disabled(args.name, True, by=os_actor(), address=CLI_ADDRESS)
    return f"已停用账户「{account.name}」：不能再登录，已登录的页面在下一次操作时退出。"


def _enable(args, book: AccountBook) -> str:
    account = book.set_disabled(args.name, False, by=os_actor(), address=CLI_ADDRESS)
    return f"已启用账户「{account.name}」。"


def _init(args, book: AccountBook) -> str:
    """The first run (``make run``): an admin with a random password when there is no account at all."""
    if not book.is_empty():
        n = len(book.accounts())
        return (
            f"账户数据库已有 {n} 个账户（{book.path}）。"
            "忘记管理员密码：.venv/bin/python -m analysis users passwd 用户名（用 users list 查看用户名）"
        )
    password = new_password()
    account = book.add(args.name, "admin", "national", password, by=os_actor(), address=CLI_ADDRESS)
    bar = "=" * 64
    return "\n".join(
        [
            bar,
            f"首次运行：已创建管理员账户「{account.name}」（全国范围）。初始密码：",
            "",
            f"    {password}",
            "",
            "该密码只显示这一次，系统只保存它的哈希值。请立即登录，然后修改密码：",
            f"    .venv/bin/python -m analysis users passwd {account.name}",
            "其他账户可在网页「账户管理」页或用 python -m analysis users add 添加（见 README）。",
            bar,
        ]
    )


def _audit(args, book: AccountBook) -> str:
    entries = book.audit_log(args.limit)
    return "审计记录为空。" if not entries else audit_frame(entries).to_string(index=False)


def record(store: Store, what: str, detail: dict) -> None:
    """An audit row for a change made on the command line (a failure to write it is said, not fatal)."""
    try:
        AccountBook(store.data_dir).audit(os_actor(), what, detail, CLI_ADDRESS)
    except Exception:  # the change itself is done; say that its record is missing
        print("警告：审计记录未能写入账户数据库（数据已改动）", file=sys.stderr)
