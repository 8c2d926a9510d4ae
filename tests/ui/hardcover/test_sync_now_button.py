"""The Hardcover page's Sync Now follows what a pass would do (`hardcover.sync.waiting`): on
while a book waits to be looked up or sent, off with the reason once only books that need the
user are left. Real library, the fake Hardcover over HTTP."""

from __future__ import annotations

from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.library.reading.edits import update_reading_state
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.ui.hardcover.conftest import connect, refresh

UP_TO_DATE = "Everything is up to date: nothing is waiting to be sent to Hardcover"


def test_sync_now_is_off_once_only_the_users_decisions_are_left(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, pages=412, reading_format_id=EBOOK)
    connect(hc, fake, qloop)
    read = add_book("Dune", ["Frank Herbert"])
    update_reading_state(read.id, status="read", finished="2026-01-10")
    lost = add_book("A Book Hardcover Lacks", ["Nobody Known"])
    update_reading_state(lost.id, status="reading")
    refresh(hc, qloop)
    assert hc.view.sync_button.isEnabled()  # two books to look up
    assert hc.view.sync_button.toolTip() != UP_TO_DATE

    report = qloop.run_until_complete(hc.service.sync_all())
    assert report.stopped is None
    assert get_match(read.id).state == "linked" and get_match(lost.id).state == "no_match"
    refresh(hc, qloop)
    # Dune is on the profile; the other waits for the user's Pick, which a pass cannot make.
    assert not hc.view.sync_button.isEnabled()
    assert hc.view.sync_button.toolTip() == UP_TO_DATE
    assert hc.hub.status.pending == hc.hub.status.to_match == 0

    update_reading_state(read.id, rating=4.5)  # a change to send
    refresh(hc, qloop)
    assert hc.view.sync_button.isEnabled()
    assert hc.hub.status.pending == 1
