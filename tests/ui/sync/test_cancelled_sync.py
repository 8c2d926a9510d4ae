"""A cancelled sync reads as cancelled, not as an error, in the dialog's report, the
notification and the Hardcover page's line: "Sync cancelled: 2 sent, 3 left for later"
(against the fake Hardcover on 127.0.0.1)."""

from __future__ import annotations

from bookorbit_desktop.hardcover.sync.waiting import MAX_NEW_BY_ITSELF
from bookorbit_desktop.ui.sync.progress_dialog import SyncDialog
from tests.ui.hardcover.conftest import connect
from tests.ui.sync.test_manual_sync import entries, reading_books, run


def test_a_cancelled_sync_says_what_was_sent_and_what_is_left(hc, fake, qloop):
    ids = reading_books(fake, MAX_NEW_BY_ITSELF)  # no review first
    connect(hc, fake, qloop)
    fake.config.response_delay = 0.05
    hc.dialog_delay = 0.0
    notes: list[tuple[str, str]] = []
    hc.notify.connect(lambda title, text: notes.append((title, text)))

    def cancel_and_hide_once_a_book_is_sent(dialog):
        def step(value: int) -> None:
            if entries(fake) >= 1 and dialog.cancel_button.isEnabled():
                dialog.cancel_button.click()
                dialog.hide()  # the result then comes as a notification too

        if isinstance(dialog, SyncDialog):
            dialog.bar.valueChanged.connect(step)

    hc.dialog_opened.connect(cancel_and_hide_once_a_book_is_sent)
    run(qloop, hc.sync_now())
    sent = entries(fake)
    assert 1 <= sent < len(ids)
    line = f"Sync cancelled: {sent} sent, {len(ids) - sent} left for later"
    dialog = hc.manual.dialog
    assert dialog.report_title.text() == "Sync cancelled"
    assert dialog.report_summary.text() == line
    assert notes == [("Sync cancelled", line + ".")]
    assert hc.view.account_message.text() == line + "."
    assert "Stopped" not in hc.view.account_message.text()
    # Not a problem: nothing in red, nothing for the tray to raise.
    assert hc.view.account_message.styleSheet() == ""
    assert hc.hub.status.sync_problem is None
