"""Personal identifiers never reach the store: a keyed hash stands in for a household with no number.

The key is secret and local: ``HOUSING_ID_KEY`` if set, else the key file ``HOUSING_ID_KEY_FILE`` if set,
else ``.id_key`` in the data dir, created once with 32 random bytes (owner-only). With the key, the same
person in the same place always gets the same id, so a re-import replaces rather than duplicates;
without it, the id cannot be turned back into a name or an ID-card number (HMAC-SHA256, truncated to 80
bits).

The key file is created atomically: the bytes go to a private temporary file that is flushed to disk,
then hard-linked to the key's name, which never replaces an existing file; so processes creating it at
the same moment all end up with the one key that won, and nobody ever reads half a key. An empty or
truncated key file is an error, never silently replaced (a new key would duplicate every household).
:func:`fingerprint` names a key without revealing it; every version that holds households records it.

>>> household_hash(b"k" * 32, "id", "140105198001011234")
'HH-7f70e2d1239165eba2a2'
>>> fingerprint(b"k" * 32)
'fa506d822503e934'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
from pathlib import Path

KEY_FILE = ".id_key"
ENV_KEY = "HOUSING_ID_KEY"
ENV_KEY_FILE = "HOUSING_ID_KEY_FILE"
KEY_BYTES = 32
MIN_KEY_BYTES = 16
ID_CARD = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
PHONE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
BANK_CARD = re.compile(r"^\d{16,19}$")
PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}$")  # 张三, 阿依·古丽


class IdKeyError(Exception):
    """The key cannot be used (empty, truncated, unreadable): a Chinese message; nothing is written."""


def key_path(data_dir: str | Path) -> Path:
    """Where the key file is: ``HOUSING_ID_KEY_FILE``, else ``.id_key`` in the data dir."""
    env = os.environ.get(ENV_KEY_FILE)
    return Path(env) if env else Path(data_dir) / KEY_FILE


def id_key(data_dir: str | Path) -> bytes:
    """The secret of this installation (created on first use; never printed or logged)."""
    key = existing_key(data_dir)
    return key if key is not None else _create(key_path(data_dir), new_key())


def new_key() -> bytes:
    """A fresh random key (kept in memory until :func:`adopt` stores it)."""
    return secrets.token_bytes(KEY_BYTES)


def adopt(data_dir: str | Path, key: bytes) -> bytes:
    """Store ``key`` as the installation's key unless one exists by now; return the key that is stored.

    The command line reads a file with a key kept in memory and adopts it only when it commits, so that a
    refused file writes nothing; if another process stored its key first, the caller reads again with it.
    """
    if os.environ.get(ENV_KEY):
        return existing_key(data_dir)
    found = existing_key(data_dir)
    return found if found is not None else _create(key_path(data_dir), key)


def existing_key(data_dir: str | Path) -> bytes | None:
    """The key if there is one already (a dry run must not create files); None if there is none."""
    env = os.environ.get(ENV_KEY)
    if env:
        key = env.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise IdKeyError(f"环境变量 {ENV_KEY} 设置的户编号密钥太短（至少 {MIN_KEY_BYTES} 个字节），未读取文件")
        return key
    return _read_key(key_path(data_dir))


def _read_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IdKeyError(f"无法读取户编号密钥文件 {path}（{exc.strerror}），未读取文件") from exc
    if len(key) < MIN_KEY_BYTES:
        raise IdKeyError(
            f"户编号密钥文件 {path} {'是空的' if not key else '已损坏（只有 ' + str(len(key)) + ' 个字节）'}，未读取文件。"
            "请从备份恢复该文件；若确实没有备份，删除它后导入时会生成新密钥，"
            "但已有的户编号将无法再对上（导入时需加 --rekey，见 README）"
        )
    return key


def _create(path: Path, key: bytes) -> bytes:
    """Write ``key`` under ``path`` unless someone else does first; either way return the one there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)  # O_EXCL, 0600
    try:
        data = memoryview(key)
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # atomic and never replaces: the first process to get here wins
    except FileExistsError:
        pass  # another process created it first: its key is the key
    finally:
        os.unlink(tmp)
    _sync_dir(path.parent)
    return _read_key(path)


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fingerprint(key: bytes) -> str:
    """A short name of the key (first 16 hex of an HMAC of a fixed text): tells keys apart, reveals none."""
    return hmac.new(key, b"fingerprint", hashlib.sha256).hexdigest()[:16]


def household_hash(key: bytes, *parts: str) -> str:
    """A stable, irreversible household id from identifying parts (normalised: no spaces, upper case)."""
    text = "\x1f".join(re.sub(r"\s+", "", p).upper() for p in parts)
    return "HH-" + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def looks_personal(value: str) -> bool:
    """An ID-card, mobile or bank-card number, or a person's name, typed where a household number belongs
    (a household number has a digit; a bare 2–4 character name has none)."""
    text = re.sub(r"[\s-]", "", value)
    return bool(ID_CARD.match(text) or PHONE.match(text) or BANK_CARD.match(text) or PERSON_NAME.match(text))
