"""Connecting, disconnecting, pausing on a refused token, and the status report."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bookorbit_desktop.hardcover.api.credentials import (
    SERVICE,
    TokenStore,
    library_account,
    open_library_dir,
)
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    KeyringUnavailableError,
    NotConnectedError,
    RateLimitedError,
    ScopeError,
    TokenRejectedError,
)
from bookorbit_desktop.library.store.models import Book, HardcoverMatch
from bookorbit_desktop.library.store.settings import get_private, set_setting
from bookorbit_desktop.services.hardcover.account import (
    LAST_SYNC_KEY,
    NOT_CHECKED,
    PAUSED_KEY,
    USERNAME_KEY,
    HardcoverAccount,
)
from tests.fakes.file_keyring import CountingKeyring, FileKeyring
from tests.fakes.hardcover_fixtures import make_client


def library_entry() -> str:
    """The keyring entry of the library the test has open."""
    return library_account(open_library_dir())


@pytest.fixture
def keyring_backend(tmp_path) -> FileKeyring:
    return FileKeyring(tmp_path / "keyring.json")


@pytest.fixture
def account(library, hardcover, clock, keyring_backend) -> HardcoverAccount:
    return HardcoverAccount(
        TokenStore(keyring_backend),
        client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
        clock=clock,
    )


async def test_connect_validates_and_keeps_the_token_only_in_the_keyring(
    account, hardcover, keyring_backend, library
):
    user = await account.connect(f"  Bearer {hardcover.token}\n")
    assert user is not None and user.username == "reader"
    assert keyring_backend.get_password(SERVICE, library_entry()) == hardcover.token
    assert get_private(USERNAME_KEY) == "reader"
    database_bytes = library.db_file.read_bytes()
    wal = library.db_file.with_name(library.db_file.name + "-wal")
    if wal.exists():
        database_bytes += wal.read_bytes()
    assert hardcover.token.encode() not in database_bytes


async def test_a_refused_token_is_not_saved(account, hardcover, keyring_backend):
    hardcover.catalog.revoke_token(hardcover.token)
    with pytest.raises(TokenRejectedError):
        await account.connect(hardcover.token)
    assert keyring_backend.get_password(SERVICE, library_entry()) is None


async def test_a_token_without_the_me_scope_names_it(account, hardcover, keyring_backend):
    token = hardcover.catalog.add_token(hardcover.user_id, scopes={"read:catalog"})
    with pytest.raises(ScopeError) as caught:
        await account.connect(token)
    assert caught.value.scope == "read:me:content"
    assert keyring_backend.get_password(SERVICE, library_entry()) is None


async def test_connect_without_validation_makes_no_request(account, hardcover):
    assert await account.connect("hc_pat_unchecked", validate=False) is None
    assert hardcover.requests == []
    status = account.status()
    assert status.connected and status.username is None


async def test_connect_fails_before_the_network_without_a_keyring(library, hardcover, clock):
    from keyring.backends import fail

    account = HardcoverAccount(
        TokenStore(fail.Keyring()),
        client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
    )
    with pytest.raises(KeyringUnavailableError):
        await account.connect(hardcover.token)
    assert hardcover.requests == []


async def test_a_401_later_pauses_sync_until_a_new_token(account, hardcover):
    await account.connect(hardcover.token)
    hardcover.catalog.expire_token(hardcover.token)
    async with account.open_client() as client:
        with pytest.raises(AuthError):
            await client.me()
    paused = account.status().paused_reason
    assert paused is not None and "new token" in paused
    # While paused nothing at all is sent with the refused token.
    sent = len(hardcover.requests)
    with pytest.raises(AuthError) as caught:
        async with account.open_client():
            pass
    assert len(hardcover.requests) == sent
    assert "The access token expired" in caught.value.message  # what Hardcover said
    fresh = hardcover.catalog.add_token(hardcover.user_id)
    await account.connect(fresh)
    assert account.status().paused_reason is None
    assert get_private(PAUSED_KEY) is None
    async with account.open_client() as client:
        assert (await client.me()).username == "reader"


async def test_clients_opened_one_after_another_share_the_rate_budget(account, hardcover):
    await account.connect(hardcover.token)
    for _ in range(3):  # e.g. Sync Now, then a search and a pick, each with its own client
        async with account.open_client() as client:
            for _ in range(6):
                await client.me()
    assert hardcover.status_count(429) == 0


async def test_a_new_run_starts_from_the_budget_hardcover_last_reported(
    library, hardcover, clock, keyring_backend
):
    def new_account() -> HardcoverAccount:  # as a second `bookorbit-desktop` command would
        return HardcoverAccount(
            TokenStore(keyring_backend),
            client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
            clock=clock,
        )

    first = new_account()
    await first.connect(hardcover.token)
    async with first.open_client() as client:
        for _ in range(9):
            await client.me()
    async with new_account().open_client() as client:  # the burst is spent: it must wait
        for _ in range(4):
            await client.me()
    assert hardcover.status_count(429) == 0


async def test_connecting_another_accounts_token_is_not_held_back_by_the_old_budget(
    account, hardcover
):
    await account.connect(hardcover.token)
    hardcover.rates.bucket(hardcover.user_id, "Free").used_today = 5000
    with pytest.raises(RateLimitedError):
        async with account.open_client() as client:
            await client.me()  # this account's day is over
    other = hardcover.catalog.add_user("someone-else")
    user = await account.connect(hardcover.catalog.add_token(other))
    assert user is not None and user.username == "someone-else"
    async with account.open_client() as client:
        assert (await client.me()).username == "someone-else"


async def test_disconnect_forgets_everything(account, hardcover, keyring_backend):
    await account.connect(hardcover.token)
    assert await account.disconnect() is True
    assert keyring_backend.get_password(SERVICE, library_entry()) is None
    status = account.status()
    assert (status.connected, status.username, status.budget) == (False, None, None)
    assert await account.disconnect() is False
    with pytest.raises(NotConnectedError):
        account.token()


async def test_status_reports_budget_matches_and_last_sync(account, hardcover, clock):
    await account.connect(hardcover.token)
    async with account.open_client() as client:
        await client.me()
    now = time.time()
    for n, state in enumerate(["linked", "linked", "needs_review"]):
        book = Book.create(title=f"B{n}", sort_title=f"b{n}", added_at=now, updated_at=now)
        HardcoverMatch.create(book=book, state=state, updated_at=now)
    set_setting(LAST_SYNC_KEY, 1_700_000_000.0)
    status = account.status()
    assert status.budget is not None
    # connect: me and five scope probes that pass (read:journal is refused, uncharged)
    assert status.budget["daily_remaining"] == 4993
    assert status.budget["observed_at"] == clock()
    assert status.match_states == {"linked": 2, "needs_review": 1}
    assert status.last_sync == 1_700_000_000.0
    assert status.sync_enabled is True
    assert status.to_json()["username"] == "reader"
    assert "scope=" in status.token_page


async def test_status_renders_when_the_keyring_is_missing(library):
    from keyring.backends import fail

    account = HardcoverAccount(TokenStore(fail.Keyring()))
    check = await account.check_keyring()
    assert not check.readable
    status = account.status()
    assert status.connected is False
    assert status.keyring == "unavailable"
    assert any("gnome-keyring" in w for w in status.warnings)


@pytest.fixture
def counting(tmp_path) -> CountingKeyring:
    return CountingKeyring(tmp_path / "counted.json")


def counted_account(hardcover, clock, backend) -> HardcoverAccount:
    return HardcoverAccount(
        TokenStore(backend),
        client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
        clock=clock,
    )


async def test_status_never_asks_the_keyring(library, hardcover, clock, counting):
    account = counted_account(hardcover, clock, counting)
    assert account.status().keyring == NOT_CHECKED and not account.status().connected
    assert counting.calls == []
    await account.connect(hardcover.token)
    counting.calls.clear()
    for _ in range(3):
        status = account.status()
    assert status.connected and status.username == "reader"
    assert status.keyring.endswith("CountingKeyring")
    assert counting.calls == []


async def test_every_keyring_call_runs_off_the_event_loop_thread(
    library, hardcover, clock, counting
):
    loop_thread = threading.get_ident()
    account = counted_account(hardcover, clock, counting)
    await account.connect(hardcover.token)
    assert (await account.check_keyring()).has_token
    async with account.open_client() as client:
        await client.me()
    assert await account.disconnect()
    assert {name for name, _thread in counting.calls} == {"get", "set", "delete"}
    assert loop_thread not in counting.threads


async def test_a_later_session_learns_of_the_token_from_the_check(
    library, hardcover, clock, counting
):
    await counted_account(hardcover, clock, counting).connect(hardcover.token)
    account = counted_account(hardcover, clock, counting)  # the app started again
    assert not account.status().connected
    await account.check_keyring()
    assert account.status().connected


async def test_a_token_removed_outside_the_app_shows_as_not_connected(
    library, hardcover, clock, counting
):
    account = counted_account(hardcover, clock, counting)
    await account.connect(hardcover.token)
    counting.delete_password(SERVICE, library_entry())  # e.g. with the desktop's keyring manager
    with pytest.raises(NotConnectedError):
        async with account.open_client():
            pass
    assert not account.status().connected


async def test_a_check_answered_late_does_not_undo_a_disconnect(
    library, hardcover, clock, counting
):
    account = counted_account(hardcover, clock, counting)
    await account.connect(hardcover.token)
    counting.hold_next()
    check = asyncio.ensure_future(account.check_keyring())  # reads "a token is saved", waits
    assert await asyncio.to_thread(counting.waiting.wait, 5)
    assert await account.disconnect()
    counting.release()
    await check
    assert not account.status().connected
