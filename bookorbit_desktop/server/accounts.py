"""The single account KOReader (kosync) and the OPDS catalog authenticate against.

KOReader never sends the password: it sends `md5(password)` as a lowercase hex "key". We store
only a salted scrypt hash of that key and compare in constant time. OPDS Basic auth sends the
password itself, so its md5 is computed and checked the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.settings import delete_setting, get_private, set_setting

_ACCOUNT_KEY = "kosync.account"
# scrypt cost: ~15 ms per check on a laptop core; enough to make an offline guess costly while
# keeping a login from KOReader well inside its 5 s budget. Verified keys are cached in memory.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    username: str
    salt: bytes
    digest: bytes


def key_for_password(password: str) -> str:
    """The key KOReader derives from a password: md5 hex of its UTF-8 bytes."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def _hash_key(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        key.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT
    )


def validate_username(username: str) -> str:
    name = username.strip()
    if not name or ":" in name or len(name) > 256:
        raise InvalidValueError(
            "The user name must be 1 to 256 characters long and must not contain ':'."
        )
    return name


def set_account(username: str, key: str) -> Account:
    """Create or replace the account. `key` is what KOReader sends (md5 of the password)."""
    name = validate_username(username)
    if not key:
        raise InvalidValueError("The password must not be empty.")
    salt = os.urandom(16)
    account = Account(name, salt, _hash_key(key, salt))
    set_setting(
        _ACCOUNT_KEY,
        {"username": name, "salt": salt.hex(), "digest": account.digest.hex()},
    )
    _verified.clear()
    return account


def load_account() -> Account | None:
    stored = get_private(_ACCOUNT_KEY)
    if not stored:
        return None
    return Account(
        stored["username"], bytes.fromhex(stored["salt"]), bytes.fromhex(stored["digest"])
    )


def remove_account() -> None:
    delete_setting(_ACCOUNT_KEY)
    _verified.clear()


# (username, key, digest) triples already checked with scrypt, so a sync burst costs one hash.
_verified: set[tuple[str, str, bytes]] = set()


def verify(account: Account | None, username: str, key: str) -> bool:
    """True when `username` and `key` match the account (byte-exact, constant time)."""
    if account is None or not username or not key:
        return False
    if (username, key, account.digest) in _verified:
        return True
    name_ok = hmac.compare_digest(username.encode("utf-8"), account.username.encode("utf-8"))
    key_ok = hmac.compare_digest(_hash_key(key, account.salt), account.digest)
    if name_ok and key_ok:
        _verified.add((username, key, account.digest))
        return True
    return False
