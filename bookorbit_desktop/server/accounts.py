"""The single account KOReader (kosync) and the OPDS catalog authenticate against.

KOReader never sends the password: it sends `md5(password)` as a lowercase hex "key". We store
only a salted scrypt hash of that key and compare in constant time. OPDS Basic auth sends the
password itself, so its md5 is computed and checked the same way. The key is opaque: it is
compared byte for byte (hex case matters), as the reference server does.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import delete_setting, set_setting, stored_text

_ACCOUNT_KEY = "kosync.account"
# scrypt cost: ~15 ms per check on a laptop core; enough to make an offline guess costly while
# keeping a login from KOReader well inside its 5 s budget. Verified keys are cached in memory.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_USERNAME_LENGTH = 256


@dataclass(frozen=True)
class Account:
    username: str
    salt: bytes
    digest: bytes


def key_for_password(password: str) -> str:
    """The key KOReader derives from a password: md5 hex of its UTF-8 bytes."""
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def _bytes(text: str) -> bytes:
    # Header values arrive decoded with surrogate escapes for bytes that are not UTF-8;
    # encoding them back must never fail (it only has to never match a real account).
    return text.encode("utf-8", "surrogatepass")


def _hash_key(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(_bytes(key), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)


def has_control_characters(text: str) -> bool:
    """True when `text` holds a control character (NUL, a line break, a tab, DEL...): an
    HTTP header cannot carry it, so a name with one could never log in."""
    return any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text)


def validate_username(username: str) -> str:
    """The name as it will be stored: surrounding blanks removed (HTTP headers drop them)."""
    name = username.strip()
    if has_control_characters(name):
        raise InvalidValueError(
            "The user name must not contain control characters such as NUL, a tab or a line "
            "break (KOReader could never send it). Choose another name."
        )
    if not name or ":" in name or len(name) > MAX_USERNAME_LENGTH:
        raise InvalidValueError(
            f"The user name must be 1 to {MAX_USERNAME_LENGTH} characters long and must not "
            "contain ':'. Choose another name."
        )
    return name


def new_account(username: str, key: str) -> Account:
    """A new account (not stored yet); this runs the slow hash."""
    name = validate_username(username)
    if not key:
        raise InvalidValueError("The password must not be empty. Choose a password.")
    salt = os.urandom(16)
    return Account(name, salt, _hash_key(key, salt))


def _store(account: Account) -> None:
    set_setting(
        _ACCOUNT_KEY,
        {"username": account.username, "salt": account.salt.hex(), "digest": account.digest.hex()},
    )
    _verified.clear()


def set_account(username: str, key: str) -> Account:
    """Create or replace the account. `key` is what KOReader sends (md5 of the password)."""
    account = new_account(username, key)
    _store(account)
    return account


def create_first_account(username: str, key: str) -> Account | None:
    """Create the account unless one exists (then return None): registration from a device."""
    return store_first_account(new_account(username, key))  # the hash runs before the lock


def store_first_account(account: Account) -> Account | None:
    """Store `account` unless one exists (then return None)."""
    with database.atomic("IMMEDIATE"):
        if load_account() is not None:
            return None
        _store(account)
    return account


# The stored text and the account parsed from it: read on every sync request, parsed once.
_parsed: tuple[str, Account] | None = None


def load_account() -> Account | None:
    """The account as stored now (another process may have replaced it a moment ago)."""
    global _parsed
    text = stored_text(_ACCOUNT_KEY)
    if text is None:
        return None
    if _parsed is None or _parsed[0] != text:
        stored = json.loads(text)
        account = Account(
            stored["username"], bytes.fromhex(stored["salt"]), bytes.fromhex(stored["digest"])
        )
        _parsed = (text, account)
    return _parsed[1]


def remove_account() -> None:
    delete_setting(_ACCOUNT_KEY)
    _verified.clear()


# (username, key, digest) triples checked with scrypt, with when: a sync burst costs one hash.
# A login is remembered for `VERIFIED_SECONDS`, then checked again (through the throttle).
# Only matching triples are kept, and only one account exists: the table stays tiny.
VERIFIED_SECONDS = 300.0
_verified: dict[tuple[str, str, bytes], float] = {}


def already_verified(
    account: Account | None, username: str, key: str, now: float | None = None
) -> bool:
    """True when this exact login was checked less than `VERIFIED_SECONDS` ago (no hashing:
    safe on an event loop)."""
    if account is None:
        return False
    when = _verified.get((username, key, account.digest))
    if when is None:
        return False
    return (time.monotonic() if now is None else now) - when < VERIFIED_SECONDS


def verify(account: Account | None, username: str, key: str) -> bool:
    """True when `username` and `key` match the account (byte-exact, constant time)."""
    if account is None or not username or not key:
        return False
    if already_verified(account, username, key):
        return True
    name_ok = hmac.compare_digest(_bytes(username), _bytes(account.username))
    key_ok = hmac.compare_digest(_hash_key(key, account.salt), account.digest)
    if name_ok and key_ok:
        if len(_verified) > 64:
            _verified.clear()
        _verified[(username, key, account.digest)] = time.monotonic()
        return True
    return False


ACCOUNT_SECONDS = 1.0


class AccountCache:
    """The stored account, read through `read` (a database thread) at most once a second."""

    def __init__(self) -> None:
        self._fetched = -ACCOUNT_SECONDS
        self._account: Account | None = None
        # Checks under way, by (user, key): a device's parallel first requests share one.
        self.checking: dict[tuple[str, str], asyncio.Future[bool]] = {}

    async def get(
        self, read: Callable[[Callable[[], Account | None]], Awaitable[Account | None]]
    ) -> Account | None:
        now = time.monotonic()
        if now - self._fetched >= ACCOUNT_SECONDS:
            self._account = await read(load_account)
            self._fetched = now
        return self._account

    def peek(self) -> Account | None:
        """The account when it was read less than `ACCOUNT_SECONDS` ago, else None (then only
        `get` can tell)."""
        if time.monotonic() - self._fetched >= ACCOUNT_SECONDS:
            return None
        return self._account

    def forget(self) -> None:
        """Read the account again on the next request (it was just created or replaced)."""
        self._fetched = -ACCOUNT_SECONDS
