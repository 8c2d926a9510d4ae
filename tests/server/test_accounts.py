"""The single sync account: salted slow hash of the key, byte-exact checks, first-account rule."""

from __future__ import annotations

import hashlib
import time

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.store.models import Setting
from bookorbit_desktop.server import accounts

KEY = accounts.key_for_password("secret")


def test_key_for_password_is_koreaders_md5():
    # The example key of kosync-protocol.md §2: md5("secret").
    assert accounts.key_for_password("secret") == "5ebe2294ecd0e0f08eab7690d2a6ee69"
    assert accounts.key_for_password("pässwörd") == hashlib.md5("pässwörd".encode()).hexdigest()


def test_only_a_salted_hash_is_stored(library):
    accounts.set_account("alice", KEY)
    stored = Setting.get_by_id("kosync.account").value
    assert stored["username"] == "alice"
    assert KEY not in str(stored) and "secret" not in str(stored)
    again = accounts.set_account("alice", KEY)
    assert again.salt != bytes.fromhex(stored["salt"])  # a fresh salt every time


@pytest.mark.parametrize(
    ("username", "key", "ok"),
    [
        ("alice", KEY, True),
        ("alice", KEY.upper(), False),  # opaque: hex case matters
        ("Alice", KEY, False),
        ("alice ", KEY, False),
        ("alice", KEY + " ", False),
        ("", KEY, False),
        ("alice", "", False),
        ("\udcff", KEY, False),  # undecodable header bytes never crash the check
        ("alice", "\udcff\ud800", False),
    ],
)
def test_verify_is_byte_exact(library, username, key, ok):
    account = accounts.set_account("alice", KEY)
    assert accounts.verify(account, username, key) is ok
    assert accounts.already_verified(account, username, key) is ok


def test_the_cache_forgets_a_replaced_account(library):
    old = accounts.set_account("alice", KEY)
    assert accounts.verify(old, "alice", KEY)
    new = accounts.set_account("alice", accounts.key_for_password("new password"))
    assert not accounts.already_verified(new, "alice", KEY)
    assert not accounts.verify(new, "alice", KEY)
    assert accounts.verify(None, "alice", KEY) is False


def test_a_verified_login_is_remembered_for_a_while_only(library):
    account = accounts.set_account("alice", KEY)
    assert accounts.verify(account, "alice", KEY)
    now = time.monotonic()
    assert accounts.already_verified(account, "alice", KEY, now + accounts.VERIFIED_SECONDS - 1)
    assert not accounts.already_verified(account, "alice", KEY, now + accounts.VERIFIED_SECONDS)


def test_create_first_account_only_while_none_exists(library):
    assert accounts.create_first_account(" bob ", KEY).username == "bob"
    assert accounts.create_first_account("carol", KEY) is None
    assert accounts.load_account().username == "bob"
    accounts.remove_account()
    assert accounts.load_account() is None


@pytest.mark.parametrize("name", ["", "   ", "a:b", "x" * 257])
def test_bad_user_names_are_refused_with_a_message(library, name):
    with pytest.raises(InvalidValueError, match="user name"):
        accounts.set_account(name, KEY)


def test_an_empty_key_is_refused(library):
    with pytest.raises(InvalidValueError, match="password"):
        accounts.set_account("alice", "")
