"""The Hardcover page's Sync Now is on whenever an account is connected and no pass runs: a
pass gets the changes made on hardcover.app first, then sends the library's, so "nothing
waits to be sent" is no reason to turn it off. Real library, real widgets offscreen, the fake
Hardcover over HTTP."""

from __future__ import annotations

from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.ui.status import SYNC_NOW_TIP
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.ui.hardcover.conftest import connect, refresh

TIP = "Get your changes from Hardcover, then send the library's"


def test_sync_now_stays_on_and_brings_in_a_change_made_on_hardcover(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, pages=412, reading_format_id=EBOOK)
    connect(hc, fake, qloop)
    read = add_book("Dune", ["Frank Herbert"])
    update_reading_state(read.id, status="read", finished="2026-01-10")
    refresh(hc, qloop)
    assert hc.view.sync_button.isEnabled() and hc.view.sync_button.toolTip() == TIP == SYNC_NOW_TIP

    qloop.run_until_complete(hc.sync_now())
    assert get_match(read.id).state == "linked"
    refresh(hc, qloop)
    assert hc.hub.status.pending == hc.hub.status.to_match == 0  # nothing waits to be sent
    assert hc.view.sync_button.isEnabled()  # and yet Sync Now is there
    assert hc.view.sync_button.toolTip() == TIP

    entry = fake.catalog.user_book_for(fake.user_id, dune)
    fake.catalog.tables["user_books"][entry["id"]]["rating"] = 4.5  # rated on hardcover.app
    fake.catalog.touch(entry["id"])
    hc.view.sync_button.click()
    qloop.run_until_complete(hc.sync_task)
    assert ReadingState.get(ReadingState.book == read.id).rating == 4.5  # pulled, now


def test_sync_now_is_off_only_while_a_pass_runs_or_without_an_account(hc, fake, qloop):
    refresh(hc, qloop)
    assert not hc.view.sync_button.isEnabled()  # no account yet
    connect(hc, fake, qloop)
    refresh(hc, qloop)
    assert hc.view.sync_button.isEnabled()
    hc.hub.update(syncing=True)
    assert not hc.view.sync_button.isEnabled()
    assert hc.view.sync_button.toolTip() == "A sync is running"
