"""The pull between sync passes: full at start-up, then only changes; never while a push holds
the lease, never while sync is off."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.api.credentials import TokenStore
from bookorbit_desktop.hardcover.sync import lease
from bookorbit_desktop.hardcover.sync.settings import ENABLED
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.hardcover.pull_schedule import PullSchedule
from tests.fakes.file_keyring import FileKeyring
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_shelves import edit_entry


@pytest.fixture
async def schedule(library, hardcover, clock, tmp_path):
    account = HardcoverAccount(
        TokenStore(FileKeyring(tmp_path / "keyring.json")),
        client_factory=lambda token, **kw: make_client(hardcover, clock, token, **kw),
        clock=clock,
    )
    await account.connect(hardcover.token)
    await account.check_keyring()
    return PullSchedule(account)


async def test_rounds_pull_everything_first_then_only_changes(schedule, hardcover):
    catalog = hardcover.catalog
    entries = [
        catalog.add_user_book(hardcover.user_id, catalog.add_book(f"B{n}")) for n in range(120)
    ]
    set_setting(ENABLED, False)
    assert await schedule.run_once() is None  # sync is off: nothing is read
    set_setting(ENABLED, True)
    first = await schedule.run_once()
    assert first is not None and first.full and first.entries == 120
    edit_entry(catalog, entries[3], rating=4.0)
    hardcover.requests.clear()
    second = await schedule.run_once()
    assert second is not None and not second.full and second.requests <= 3
    assert sum(r.charged for r in hardcover.requests) <= 3  # entries, lists, reads


async def test_a_push_holding_the_lease_goes_first(schedule, hardcover):
    set_setting(ENABLED, True)
    other = lease.new_holder()
    assert lease.acquire(other)
    hardcover.requests.clear()
    assert await schedule.run_once() is None
    assert hardcover.requests == []
    lease.release(other)
    assert await schedule.run_once() is not None
