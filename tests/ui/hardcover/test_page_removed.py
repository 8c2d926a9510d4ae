"""Remove Entry from the Hardcover page against the fake Hardcover on 127.0.0.1: the row says
"Entry removed", Sync Now leaves it off Hardcover, and only the user's Add to Hardcover Again
brings it back."""

from __future__ import annotations

from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.ui.asyncqt import signal_future
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect, refresh


def remove_confirmed(hc, qloop, book_id: int) -> None:
    async def remove() -> None:
        opened = signal_future(hc.question_opened)
        task = hc.remove_entry(book_id)
        (box,) = await opened
        next(b for b in box.buttons() if "Remove" in b.text()).click()
        await task

    qloop.run_until_complete(remove())


def test_a_removed_entry_stays_off_hardcover_until_added_again(hc, fake, qloop):
    dune = fake.catalog.add_book("Dune", authors=["Frank Herbert"], users_count=900)
    fake.catalog.add_edition(dune, isbn_13="9780441013593", pages=604)
    local = add_book("Dune", ["Frank Herbert"], status="reading", isbn13="9780441013593")
    connect(hc, fake, qloop)
    qloop.run_until_complete(hc.sync_now())
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None
    remove_confirmed(hc, qloop, local.id)
    assert fake.catalog.user_book_for(fake.user_id, dune) is None
    refresh(hc, qloop)
    assert hc.view.row_texts(0)[3] == "Entry removed"
    qloop.run_until_complete(hc.sync_now())  # Sync Now leaves it removed
    assert fake.catalog.user_book_for(fake.user_id, dune) is None
    assert get_match(local.id).state == "removed"

    refresh(hc, qloop)
    hc.view.select_book(local.id)
    button = hc.view.remove_button
    assert button.isEnabled() and button.text() == "&Add to Hardcover Again"
    button.click()
    assert get_match(local.id).state == "linked"
    qloop.run_until_complete(hc.sync_now())
    assert fake.catalog.user_book_for(fake.user_id, dune) is not None
    refresh(hc, qloop)
    hc.view.select_book(local.id)
    assert hc.view.remove_button.text() == "Re&move Entry…"
