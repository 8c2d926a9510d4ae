"""Sync Now with its dialog, against the fake Hardcover on 127.0.0.1: the delay, progress,
cancel, the report and its actions, and the review of a big first sync."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from bookorbit_desktop.hardcover.matching.store import get_match
from bookorbit_desktop.hardcover.sync.waiting import MAX_NEW_BY_ITSELF
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
from bookorbit_desktop.library.store.models import SyncOutbox
from bookorbit_desktop.ui.sync.progress_dialog import SyncDialog
from bookorbit_desktop.ui.sync.review_dialog import CHANGE, TARGET, ReviewDialog
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect


def isbn(serial: int) -> str:
    core = f"978{serial:09d}"
    return core + isbn13_check_digit(core)


def reading_books(fake, count: int, *, start: int = 0) -> list[int]:
    """`count` books being read, each with its Hardcover book found by ISBN."""
    ids = []
    for n in range(start, start + count):
        title = f"Book Number {n}"
        hc_book = fake.catalog.add_book(title, authors=["Ann Author"], users_count=50)
        fake.catalog.add_edition(hc_book, isbn_13=isbn(n + 1), pages=300, users_count=10)
        ids.append(add_book(title, ["Ann Author"], status="reading", isbn13=isbn(n + 1)).id)
    return ids


def entries(fake) -> int:
    return sum(1 for row in fake.catalog.tables["user_books"].values())


def run(qloop, task):
    qloop.run_until_complete(task)


def test_a_quick_sync_shows_no_dialog_only_a_notification(hc, fake, qloop):
    reading_books(fake, 2)
    connect(hc, fake, qloop)
    notes, dialogs = [], []
    hc.notify.connect(lambda title, text: notes.append((title, text)))
    hc.dialog_opened.connect(dialogs.append)
    hc.dialog_delay = 30.0
    run(qloop, hc.sync_now())
    assert dialogs == []
    assert notes == [("Sync finished", "2 books: 2 sent.")]
    assert entries(fake) == 2
    assert not hc.manual.dialog.isVisible()
    assert hc.manual.dialog.report.topLevelItemCount() == 2  # the report is there if asked


def test_a_slow_sync_shows_progress_then_the_report(hc, fake, qloop, qtbot):
    ids = reading_books(fake, 3)
    orphan = add_book("Nowhere To Be Found", ["Zed Nobody"], status="reading").id
    connect(hc, fake, qloop)
    fake.config.response_delay = 0.05
    hc.dialog_delay = 0.0
    steps, notes = [], []
    hc.notify.connect(lambda title, text: notes.append(title))
    hc.dialog_opened.connect(
        lambda dialog: dialog.bar.valueChanged.connect(lambda value: steps.append(value))
    )
    task = hc.sync_now()
    assert hc.sync_now() is None  # a second request only brings the dialog forward
    run(qloop, task)
    dialog = hc.manual.dialog
    assert isinstance(dialog, SyncDialog) and dialog.isVisible() and notes == []
    assert steps and max(steps) >= 1
    assert dialog.report_title.text() == "Sync finished"
    assert dialog.report_summary.text() == "3 sent · 1 not matched"
    rows = {
        dialog.report.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)[0]: (
            dialog.report.topLevelItem(i).text(1),
            dialog.report.topLevelItem(i).text(2),
        )
        for i in range(dialog.report.topLevelItemCount())
    }
    assert rows[orphan][0] == "Not matched"
    assert "Pick it yourself" in rows[orphan][1]
    assert all(rows[i][0] == "Sent" for i in ids)
    assert all("add to Hardcover as Currently Reading" in rows[i][1] for i in ids)
    # The book needing the user comes first, with Pick and Re-match offered; Retry is not.
    assert dialog.selected() == (orphan, "not_matched")
    assert dialog.pick_button.isEnabled() and dialog.rematch_button.isEnabled()
    assert not dialog.retry_button.isEnabled()
    dialog.report.setCurrentItem(dialog.report.topLevelItem(1))
    assert not dialog.pick_button.isEnabled() and not dialog.retry_button.isEnabled()
    assert not hc.hub.status.syncing and hc.hub.status.sync_total == 0


def test_cancel_stops_between_books_and_leaves_the_rest_pending(hc, fake, qloop):
    ids = reading_books(fake, MAX_NEW_BY_ITSELF)  # no review first
    connect(hc, fake, qloop)
    fake.config.response_delay = 0.05
    hc.dialog_delay = 0.0

    def cancel_once_a_book_is_sent(dialog):
        if isinstance(dialog, SyncDialog):
            dialog.bar.valueChanged.connect(
                lambda value: (
                    entries(fake) >= 1
                    and dialog.cancel_button.isEnabled()
                    and dialog.cancel_button.click()
                )
            )

    hc.dialog_opened.connect(cancel_once_a_book_is_sent)
    run(qloop, hc.sync_now())
    dialog = hc.manual.dialog
    assert dialog.report_title.text() == "Sync cancelled"
    outcomes = [dialog.report.topLevelItem(i).text(1) for i in range(len(ids))]
    sent = outcomes.count("Sent")
    assert 1 <= sent < len(ids)
    assert outcomes.count("Not reached") == len(ids) - sent
    assert entries(fake) == sent  # nothing half-done on Hardcover
    assert SyncOutbox.select().count() == len(ids) - sent  # the rest still wait
    # Retry on a book not reached sends just that book.
    not_reached = next(
        dialog.report.topLevelItem(i)
        for i in range(len(ids))
        if dialog.report.topLevelItem(i).text(1) == "Not reached"
    )
    dialog.report.setCurrentItem(not_reached)
    hc.dialog_opened.disconnect(cancel_once_a_book_is_sent)
    assert dialog.retry_button.isEnabled()
    dialog.retry_button.click()
    run(qloop, hc.sync_task)
    assert entries(fake) == sent + 1
    assert hc.manual.dialog.report_summary.text() == "1 sent"


def test_closing_the_dialog_keeps_the_sync_running(hc, fake, qloop):
    reading_books(fake, 3)
    connect(hc, fake, qloop)
    fake.config.response_delay = 0.05
    hc.dialog_delay = 0.0
    hc.dialog_opened.connect(lambda dialog: dialog.close())
    run(qloop, hc.sync_now())
    assert entries(fake) == 3
    assert not hc.manual.dialog.isVisible()


def review_then(qloop, hc, answer):
    """Run Sync Now, answering the review dialog with `answer(dialog)`."""
    seen: list[ReviewDialog] = []

    def opened(dialog):
        if isinstance(dialog, ReviewDialog):
            seen.append(dialog)
            asyncio.get_event_loop().call_soon(answer, dialog)

    hc.dialog_opened.connect(opened)
    run(qloop, hc.sync_now())
    return seen


def test_a_big_first_sync_is_reviewed_and_unticked_books_are_excluded(hc, fake, qloop):
    ids = reading_books(fake, 23)
    connect(hc, fake, qloop)
    keep_out = ids[:2]
    shown = []

    def untick_two_and_send(dialog: ReviewDialog):
        shown.append((dialog.tree.topLevelItemCount(), dialog.tree.topLevelItem(0).text(CHANGE)))
        for i in range(dialog.tree.topLevelItemCount()):
            item = dialog.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) in keep_out:
                item.setCheckState(0, Qt.CheckState.Unchecked)
        assert dialog.send_button.text() == "Send 21 books"
        dialog.accept()

    seen = review_then(qloop, hc, untick_two_and_send)
    assert len(seen) == 1
    assert shown[0][0] == 23
    assert "add to Hardcover as Currently Reading" in shown[0][1]
    assert entries(fake) == 21
    assert all(get_match(book_id).state == "excluded" for book_id in keep_out)
    assert hc.view.account_message.text() == "21 books: 21 sent."


def test_the_review_shows_where_each_book_goes_and_the_whole_change(hc, fake, qloop, qtbot):
    ids = reading_books(fake, 21)
    connect(hc, fake, qloop)
    shown = {}

    def look_and_cancel(dialog: ReviewDialog) -> None:
        dialog.resize(1280, 720)
        dialog.show()
        item = dialog.tree.topLevelItem(3)
        dialog.tree.setCurrentItem(item)
        shown.update(
            book=item.data(0, Qt.ItemDataRole.UserRole),
            target=item.text(TARGET),
            change=item.text(CHANGE),
            details=dialog.details.text(),
            wraps=dialog.tree.wordWrap(),
            flags=dialog.windowFlags(),
            minimum=dialog.minimumSize(),
            grip=dialog.isSizeGripEnabled(),
        )
        dialog.resize(800, 600)  # a narrow change column: the row grows, nothing is cut
        QApplication.processEvents()
        lines = dialog.tree.visualItemRect(item).height() // dialog.fontMetrics().height()
        shown.update(lines=lines)
        dialog.done(QDialog.DialogCode.Rejected)

    review_then(qloop, hc, look_and_cancel)
    n = ids.index(shown["book"])
    assert shown["target"].startswith(f"Book Number {n} — Ann Author")
    assert shown["target"] == hc.service.match_info(shown["book"])["summary"]
    assert "add to Hardcover as Currently Reading" in shown["change"]
    assert shown["target"] in shown["details"] and shown["change"] in shown["details"]
    assert shown["wraps"] and shown["grip"] and shown["lines"] >= 2
    assert shown["flags"] & Qt.WindowType.WindowMaximizeButtonHint
    assert shown["minimum"].width() <= 1280 and shown["minimum"].height() <= 720


def test_cancelling_the_review_sends_nothing(hc, fake, qloop):
    reading_books(fake, 22)
    connect(hc, fake, qloop)
    seen = review_then(qloop, hc, lambda dialog: dialog.done(QDialog.DialogCode.Rejected))
    assert len(seen) == 1
    assert entries(fake) == 0
    assert SyncOutbox.select().count() == 22
    assert hc.view.sync_label.text() == ""  # the account box says "Connected as"


def test_as_many_new_books_as_go_by_themselves_go_out_without_a_review(hc, fake, qloop):
    reading_books(fake, MAX_NEW_BY_ITSELF)
    connect(hc, fake, qloop)
    seen = review_then(qloop, hc, lambda dialog: dialog.accept())
    assert seen == []
    assert entries(fake) == MAX_NEW_BY_ITSELF


def test_more_new_books_than_go_by_themselves_are_reviewed_first(hc, fake, qloop):
    reading_books(fake, MAX_NEW_BY_ITSELF + 1)  # fewer than REVIEW_THRESHOLD entries in all
    connect(hc, fake, qloop)
    seen = review_then(qloop, hc, lambda dialog: dialog.accept())
    assert len(seen) == 1
    assert entries(fake) == MAX_NEW_BY_ITSELF + 1


@pytest.mark.parametrize("approve", [True, False])
def test_read_dates_from_the_reading_history_are_shown_for_review_first(
    hc, fake, qloop, tmp_path, approve
):
    import datetime as dt

    from bookorbit_desktop.library.history.importer import import_statistics
    from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
    from bookorbit_desktop.library.store.models import ReadingState
    from tests.factories import make_epub
    from tests.library.history.koreader_file import KoBook, write_statistics

    hc_book = fake.catalog.add_book("Piranesi", authors=["Susanna Clarke"], users_count=50)
    fake.catalog.add_edition(hc_book, isbn_13=isbn(1), pages=272, users_count=10)
    epub = make_epub(tmp_path / "piranesi.epub", "Piranesi", ("Susanna Clarke",))
    book = add_book("Piranesi", ["Susanna Clarke"], isbn13=isbn(1), file=epub)
    ReadingState.update(status="read", progress=1.0).where(ReadingState.book == book.id).execute()
    noon = int(dt.datetime(2024, 10, 4, 12, 0).timestamp())
    sessions = [(1, noon, 600, 272), (272, noon + 3 * 86_400, 600, 272)]
    import_statistics(write_statistics(
        tmp_path / "statistics.sqlite3",
        [KoBook("Piranesi", "Susanna Clarke", partial_md5(epub), 272, sessions)],
    ))  # fmt: skip
    connect(hc, fake, qloop)
    shown = []

    def look_and_send(dialog: ReviewDialog) -> None:
        book = dialog.tree.topLevelItem(0)
        dates = [book.child(i) for i in range(book.childCount())]
        shown.extend(date.text(0) for date in dates)
        assert all(date.checkState(0) == Qt.CheckState.Unchecked for date in dates)
        for date in dates:  # the user's yes to each date, or not
            date.setCheckState(0, Qt.CheckState.Checked if approve else Qt.CheckState.Unchecked)
        dialog.accept()

    seen = review_then(qloop, hc, look_and_send)
    assert len(seen) == 1  # one book only, but its dates come from the history: asked first
    assert shown == [
        "Started 2024-10-04 — from your reading history (Hardcover has: no date)",
        "Finished 2024-10-07 — from your reading history (Hardcover has: no date)",
    ]
    entry = fake.catalog.user_book_for(fake.user_id, hc_book)
    (read,) = fake.catalog.reads_of(entry["id"])
    state = ReadingState.get(ReadingState.book == book.id)
    if approve:
        assert (read["started_at"], read["finished_at"]) == ("2024-10-04", "2024-10-07")
        assert (state.started, state.finished) == ("2024-10-04", "2024-10-07")  # kept for later
    else:
        assert (read["started_at"], read["finished_at"]) == (None, None)
        assert (state.started, state.finished) == (None, None)


def test_the_progress_is_compact_and_the_report_gets_room(qtbot):
    from bookorbit_desktop.services.hardcover.sync import BookResult

    dialog = SyncDialog(lambda book_id: None, None)
    qtbot.addWidget(dialog)
    dialog.show_step("send", 2, 10, "A Book", 1, {"sent": 2}, 30.0, 0.0)
    dialog.show()
    qtbot.waitExposed(dialog)
    progress = dialog.pages.widget(0)
    assert dialog.height() <= dialog.minimumSizeHint().height() + 4  # no empty band
    assert dialog.height() < 300 and progress.height() < 260
    dialog.show_report([BookResult(1, "A Book", "sent")], None)
    assert dialog.width() >= 700 and 400 <= dialog.height() <= 720
