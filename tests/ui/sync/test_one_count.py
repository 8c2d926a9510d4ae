"""One set of counts: what the progress dialog shows as the pass goes ends where the report,
the page's line and the notification end (the fake Hardcover on 127.0.0.1)."""

from __future__ import annotations

from bookorbit_desktop.hardcover.sync.results import SyncProgress
from tests.factories import add_book
from tests.ui.hardcover.conftest import connect
from tests.ui.sync.test_manual_sync import reading_books, run


def test_the_progress_counts_end_where_the_report_does(hc, fake, qloop):
    reading_books(fake, 3)
    add_book("Nowhere To Be Found", ["Zed Nobody"], status="reading")
    connect(hc, fake, qloop)
    steps: list[SyncProgress] = []
    report = qloop.run_until_complete(hc.service.sync_all(pushed=steps.append))
    assert report.counts == {"sent": 3, "not_matched": 1}
    assert steps[0].counts == {"not_matched": 1}  # known before the first book goes out
    assert steps[-1].counts == report.counts


def test_the_dialog_the_report_and_the_notification_say_the_same_numbers(hc, fake, qloop):
    reading_books(fake, 3)
    add_book("Nowhere To Be Found", ["Zed Nobody"], status="reading")
    connect(hc, fake, qloop)
    notes: list[str] = []
    hc.notify.connect(lambda title, text: notes.append(text))
    hc.dialog_delay = 30.0  # a quick pass: the result comes as a notification
    run(qloop, hc.sync_now())
    dialog = hc.manual.dialog
    assert dialog.counts_label.text() == "3 sent · 1 not matched"
    assert dialog.report_summary.text() == "3 sent · 1 not matched"
    assert notes == ["4 books: 3 sent, 1 not matched."]
    assert hc.view.account_message.text() == notes[0]
