"""The user's No holds: books a bulk edit set to Want to Read, shown by Sync Now's review and
cancelled there, never reach Hardcover by themselves (the background worker runs on), the
waiting costs no request, every door counts the same books, and Send or Discard ends it.
Real widgets offscreen, the window's own services, the fake Hardcover on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import counts
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.models import ReadingState, SyncOutbox
from bookorbit_desktop.services.hardcover.sync import SyncService
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from bookorbit_desktop.services.library.bulk_edits import BulkEditService
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.status import sync_details
from bookorbit_desktop.ui.sync.review_dialog import ReviewDialog
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.ui.hardcover.conftest import connect, refresh

READ_BEFORE, NEW = 4, 23
READ, WANT_TO_READ = 3, 1


def linked(fake, name: str, **reading) -> int:
    hc_book = fake.catalog.add_book(name, authors=["Ann Author"], users_count=5)
    edition = fake.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    book = add_book(name, ["Ann Author"])
    pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="pick")
    if reading:
        update_reading_state(book.id, **reading)
    return book.id


def read_on_hardcover(hc, fake, qloop) -> list[int]:
    """Four books read and synced by hand (the user's first sync)."""
    ids = [
        linked(fake, f"Read {n}", status="read", started="2024-01-10", finished="2024-02-03")
        for n in range(READ_BEFORE)
    ]
    qloop.run_until_complete(hc.service.sync_all())
    assert statuses(fake) == [READ] * READ_BEFORE
    return ids


def statuses(fake) -> list[int]:
    rows = fake.catalog.tables["user_books"].values()
    return sorted(row["status_id"] for row in rows)


def cancel_the_review(hc) -> list[int]:
    shown: list[int] = []

    def opened(dialog) -> None:
        if isinstance(dialog, ReviewDialog):
            shown.append(dialog.tree.topLevelItemCount())
            asyncio.get_event_loop().call_soon(dialog.reject)

    hc.dialog_opened.connect(opened)
    return shown


async def idle(worker: SyncWorker, clock, minutes: float) -> None:
    for _ in range(int(minutes * 60 / POLL_SECONDS)):
        SyncOutbox.update(kinds={"status": 0.0}).execute()  # every change long due
        await worker.run_once()
        await clock.sleep(POLL_SECONDS)


def cancelled_after_a_bulk_edit(hc, fake, qloop, library) -> None:
    """Four books Read on Hardcover and 23 new ones set to Want to Read in one bulk edit, and
    Sync Now's review of them cancelled."""
    connect(hc, fake, qloop)
    before = read_on_hardcover(hc, fake, qloop)
    new = [linked(fake, f"New {n}") for n in range(NEW)]
    BulkEditService(library).apply([*before, *new], {"status": "want_to_read"})
    shown = cancel_the_review(hc)
    qloop.run_until_complete(hc.sync_now())
    assert shown == [READ_BEFORE + NEW] and statuses(fake) == [READ] * READ_BEFORE


def test_a_cancelled_review_holds_what_it_showed_and_the_wait_costs_nothing(
    hc, fake, qloop, library
):
    connect(hc, fake, qloop)
    before = read_on_hardcover(hc, fake, qloop)
    new = [linked(fake, f"New {n}") for n in range(NEW)]
    BulkEditService(library).apply([*before, *new], {"status": "want_to_read"})
    waiting = counts.current()  # what the page says before Sync Now: the review's books
    assert (waiting.to_send, waiting.to_review) == (READ_BEFORE, NEW)
    shown = cancel_the_review(hc)
    said: list[str] = []
    hc.message.connect(said.append)  # the status bar
    qloop.run_until_complete(hc.sync_now())
    assert shown == [READ_BEFORE + NEW]
    held = READ_BEFORE + NEW
    assert said == [
        f"Sync cancelled: nothing was sent to Hardcover. {held} books held: they wait until you"
        " send them (Sync Now, or Send Held on the Hardcover page) or discard their changes."
    ]

    # The background worker, as the window runs it: ten idle minutes, not one request.
    fake.reset_counters()
    worker = SyncWorker(SyncService(hc.service.account, clock=fake.clock), sleep=fake.clock.sleep)
    qloop.run_until_complete(idle(worker, fake.clock, 10))
    assert fake.requests == []
    assert statuses(fake) == [READ] * READ_BEFORE  # no Read entry became Want to Read

    # Every door counts the same books.
    refresh(hc, qloop)
    waits = counts.current()
    assert (waits.held, waits.to_send, waits.to_review) == (held, 0, 0)
    assert hc.service.status().waits == waits
    assert hc.hub.status.held == held
    assert f"{held} books held after Cancel" in sync_details(hc.hub.status, now=0.0)
    assert f"{held} books held after Cancel" in hc.view.details_label.text()
    labels = [hc.view.filter_combo.itemText(i) for i in range(hc.view.filter_combo.count())]
    assert f"Held ({held})" in labels
    status = SyncService(hc.service.account).status().to_json()
    assert json.loads(json.dumps(status))["waiting"]["held"] == held

    # A change of a held book (KOReader, say) does not lift the hold.
    ReadingState.update(progress=0.1).where(ReadingState.book == new[0]).execute()
    SyncOutbox.update(kinds={"progress": 0.0}).where(SyncOutbox.book == new[0]).execute()
    qloop.run_until_complete(idle(worker, fake.clock, 1))
    assert fake.requests == [] and counts.current().held == held

    # The page says it, with Send Held and Discard Held…; Esc at the question discards nothing.
    assert hc.view.held.isVisibleTo(hc.view)
    assert hc.view.held.label.text().startswith(f"{held} books held after you cancelled a sync")
    qloop.run_until_complete(answer_discard(hc, press_escape=True))
    assert counts.current().held == held and fake.requests == []

    # Discard: the four take Hardcover's Read back, as one undo step; the new ones are
    # excluded (nothing on Hardcover to take back); nothing waits.
    said.clear()
    qloop.run_until_complete(answer_discard(hc, press_escape=False))
    (text,) = said
    assert "4 books take Hardcover's values back" in text and "23 books not on Hardcover" in text
    assert {ReadingState.get_by_id(b).status for b in before} == {"read"}
    assert counts.current().held == 0 and counts.current().to_send == 0
    assert steps.next_undo() is not None and "Discard" in steps.next_undo().label
    qloop.run_until_complete(idle(worker, fake.clock, 10))
    assert fake.requests == [] and statuses(fake) == [READ] * READ_BEFORE
    UndoService(library).undo()
    assert {ReadingState.get_by_id(b).status for b in before} == {"want_to_read"}
    refresh(hc, qloop)
    assert not hc.view.held.isVisibleTo(hc.view)


async def answer_discard(hc, *, press_escape: bool) -> None:
    opened = signal_future(hc.question_opened)
    hc.view.held.discard_button.click()
    (box,) = await asyncio.wait_for(opened, 5)
    if press_escape:
        QTest.keyClick(box, Qt.Key.Key_Escape)
    else:
        next(b for b in box.buttons() if b.text() == "&Discard").click()
    for _ in range(20):
        await asyncio.sleep(0.01)


def test_send_held_sends_what_was_held(hc, fake, qloop, library):
    cancelled_after_a_bulk_edit(hc, fake, qloop, library)
    # Send Held on the page sends them (the user's own pass).
    refresh(hc, qloop)
    hc.dialog_delay = 30.0
    hc.view.held.send_button.click()
    qloop.run_until_complete(hc.sync_task)
    assert statuses(fake) == [WANT_TO_READ] * (READ_BEFORE + NEW)
    assert counts.current().held == 0


def test_sync_now_reviews_the_held_books_before_it_sends_them(hc, fake, qloop, library):
    cancelled_after_a_bulk_edit(hc, fake, qloop, library)
    # Sync Now again shows the held books for review, and Send sends them.
    hc.dialog_opened.disconnect()
    accepted: list[int] = []

    def send(dialog) -> None:
        if isinstance(dialog, ReviewDialog):
            accepted.append(dialog.tree.topLevelItemCount())
            asyncio.get_event_loop().call_soon(dialog.accept)

    hc.dialog_opened.connect(send)
    qloop.run_until_complete(hc.sync_now())
    assert accepted == [READ_BEFORE + NEW]
    assert statuses(fake) == [WANT_TO_READ] * (READ_BEFORE + NEW)
    assert counts.current().held == 0
