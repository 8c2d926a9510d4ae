"""What the sync report and the page say after the user acts: a book picked or excluded from
the report is no longer "Needs review", and the red message of failed books goes once they
reached Hardcover. Against the fake Hardcover on 127.0.0.1."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.ui.asyncqt import signal_future
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect
from tests.ui.sync.test_manual_sync import entries, reading_books, run


def rivals(fake) -> tuple[int, int]:
    """A book being read that two Hardcover books could be: it needs the user's review."""
    first = fake.catalog.add_book("Piranesi", authors=["Susanna Clarke"], users_count=50)
    second = fake.catalog.add_book("Piranesi", authors=["Susanna Clarke"], users_count=49)
    for hc_book in (first, second):
        fake.catalog.add_edition(hc_book, pages=272, users_count=10)
    local = add_book("Piranesi", ["Susanna Clarke"], status="reading").id
    return local, first


def report_row(dialog, book_id):
    for i in range(dialog.report.topLevelItemCount()):
        item = dialog.report.topLevelItem(i)
        if item.data(0, Qt.ItemDataRole.UserRole)[0] == book_id:
            return item
    raise AssertionError(f"book {book_id} is not in the report")


def test_a_book_picked_from_the_report_no_longer_needs_review(hc, fake, qloop):
    local, first = rivals(fake)
    connect(hc, fake, qloop)
    run(qloop, hc.sync_now())
    dialog = hc.manual.dialog
    row = report_row(dialog, local)
    assert row.text(1) == "Needs review"
    assert row.text(2) == "Several Hardcover books could be this one: Pick the right one."
    dialog.report.setCurrentItem(row)

    async def pick_first():
        opened = signal_future(hc.pick_opened)
        dialog.pick_button.click()
        (pick,) = await opened
        ids = [c["book_id"] for c in pick.candidates]
        pick.tree.setCurrentItem(pick.tree.topLevelItem(ids.index(first)))
        pick.link_button.click()
        while hc.busy_books:
            await signal_future(hc.message)

    run(qloop, pick_first())
    assert get_match(local).hc_book_id == first
    row = report_row(dialog, local)
    assert row.text(1) == "Picked" and "Needs review" not in row.text(2)
    assert not dialog.pick_button.isEnabled()


def test_a_book_hardcover_lacks_is_excluded_from_the_report(hc, fake, qloop):
    local, _ = rivals(fake)
    connect(hc, fake, qloop)
    run(qloop, hc.sync_now())
    dialog = hc.manual.dialog
    dialog.report.setCurrentItem(report_row(dialog, local))
    assert dialog.exclude_button.isEnabled()
    assert "Not on Hardcover" in dialog.exclude_button.text()

    async def exclude():
        said = signal_future(hc.message)
        dialog.exclude_button.click()
        await said

    run(qloop, exclude())
    assert get_match(local).state == "excluded"
    assert report_row(dialog, local).text(1) == "Excluded"


def test_the_red_message_goes_once_the_failed_books_were_sent(hc, fake, qloop):
    reading_books(fake, 2)
    connect(hc, fake, qloop)
    fake.fail_next(503, times=8, operation="InsertUserBook")
    run(qloop, hc.sync_now())
    assert hc.failed_notice.books and "failed" in hc.view.account_message.text()
    assert hc.view.account_message.styleSheet()  # in red
    fake._faults.clear()
    run(qloop, hc.service.sync_all())  # the background sync sends them later
    assert entries(fake) == 2
    hc.refresh()
    assert not hc.view.account_message.isVisibleTo(hc.view)
