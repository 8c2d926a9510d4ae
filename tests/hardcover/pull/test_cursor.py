"""The pull's marks live in the library: every door, every process, reads only what changed."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.pull import run, store
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import READ, WANT_TO_READ, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ServerConfig, ThreadedFakeHardcover
from tests.fakes.hardcover_shelves import edit_entry
from tests.hardcover.pull.cli_process import connect_library, run_cli

PULLS = ("PullUserBooks", "PullLists", "PullListBooks")


def _charged(fake, since: int = 0) -> int:
    return sum(r.charged for r in fake.requests[since:])


def _pulls(fake, since: int = 0) -> int:
    return sum(1 for r in fake.requests[since:] if r.operation_name in PULLS)


@pytest.fixture
def account(tmp_path):
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    entries = [
        catalog.add_user_book(user, catalog.add_book(f"B{n}"), status_id=WANT_TO_READ)
        for n in range(150)  # two pages
    ]
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    keyring_file = connect_library(data_dir, token, user, "reader")
    close_database()
    config = ServerConfig(rate_limits=False)
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock(), config=config)) as fake:
        yield {"fake": fake, "catalog": catalog, "entries": entries, "data_dir": data_dir,
               "keyring": keyring_file, "paths": paths}  # fmt: skip


def _cli(account, *args: str):
    return run_cli(account["data_dir"], account["keyring"], account["fake"].url, *args)


def test_each_cli_run_reads_only_what_changed_since_the_last_one(account):
    fake, catalog = account["fake"], account["catalog"]
    first = _cli(account, "hardcover", "pull", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["full"] is True
    sent = len(fake.requests)
    edit_entry(catalog, account["entries"][70], status_id=READ, rating=4.0)
    second = _cli(account, "hardcover", "pull", "--json")
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert (report["full"], report["entries"]) == (False, 1)
    assert _charged(fake, sent) <= 3  # a page each of entries, lists and reads; no `me`
    # `hardcover sync` (a cron job's) pulls the same way: only the changed entry.
    edit_entry(catalog, account["entries"][3], rating=2.0)
    sent = len(fake.requests)
    synced = _cli(account, "hardcover", "sync", "--json")
    assert synced.returncode == 0, synced.stderr + synced.stdout
    assert _pulls(fake, sent) <= 2
    open_database(account["paths"].db_file)
    try:
        kept = {k["user_book_id"]: k for k in store.pulled()}
        assert kept[account["entries"][70]]["rating"] == 4.0
        assert kept[account["entries"][3]]["rating"] == 2.0
    finally:
        close_database()


async def test_sync_now_pulls_only_what_changed(world):
    uid = world.hardcover.user_id
    ids = [
        world.catalog.add_user_book(uid, world.catalog.add_book(f"B{n}"), status_id=WANT_TO_READ)
        for n in range(150)
    ]
    await world.sync()  # the first pull of the library: full
    edit_entry(world.catalog, ids[9], rating=3.5)
    sent = len(world.hardcover.requests)
    await world.sync()  # Sync Now
    assert _pulls(world.hardcover, sent) == 2
    assert run.status()["last_full_at"] is not None


async def test_a_full_pass_comes_once_a_day_and_for_another_account(world):
    uid = world.hardcover.user_id
    ids = [
        world.catalog.add_user_book(uid, world.catalog.add_book(f"B{n}"), status_id=WANT_TO_READ)
        for n in range(3)
    ]
    first = await pull(world.client, uid)
    assert first.full and len(store.pulled()) == 3
    world.catalog.delete_row("user_books", ids[0])  # removed on hardcover.app: no stamp says so
    later = float(store.state(run.LAST_FULL_AT) or 0)
    assert not (await pull(world.client, uid, now=lambda: later + 3600)).full
    assert len(store.pulled()) == 3
    daily = await pull(world.client, uid, now=lambda: later + run.FULL_EVERY)
    assert daily.full and {k["user_book_id"] for k in store.pulled()} == set(ids[1:])
    # The marks are this account's: another one connected to the library starts over.
    other = await pull(world.client, uid + 1000, now=lambda: later + run.FULL_EVERY + 60)
    assert other.full
