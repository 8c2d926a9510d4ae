"""The time left of a running sync: worked out afresh at every book from what the books done
so far took, and not shown before there is anything to go by (the fake Hardcover on
127.0.0.1 for the pass; the rule itself table-driven)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.sync.results import SyncProgress, time_left
from bookorbit_desktop.ui.sync.progress_dialog import SyncDialog
from tests.ui.hardcover.conftest import connect
from tests.ui.sync.test_manual_sync import reading_books, run


@pytest.mark.parametrize(
    ("done", "total", "requests", "burst", "per_second", "expected"),
    [
        (0, 10, 7, 0, 1.0, None),  # nothing done yet: no rate to go by
        (10, 10, 30, 0, 1.0, None),  # nothing left
        (2, 10, 6, 0, 1.0, 24.0),  # 3 requests a book, 8 books, 1 a second
        (2, 10, 6, 4, 1.0, 20.0),  # the burst left goes out at once
        (2, 10, 6, 100, 1.0, 0.0),  # all of it within the burst
        (4, 10, 8, 0, 0.5, 24.0),  # 2 a book, 6 books, one every 2 seconds
    ],
)
def test_time_left(done, total, requests, burst, per_second, expected):
    assert time_left(done, total, requests, burst, per_second) == expected


def test_the_estimate_follows_the_pass_and_is_hidden_until_known(hc, fake, qloop):
    reading_books(fake, 4)
    connect(hc, fake, qloop)
    steps: list[SyncProgress] = []
    run(qloop, hc.service.sync_all(pushed=steps.append))
    sends = [step for step in steps if step.title]
    assert [step.done for step in sends] == [0, 1, 2, 3]
    assert sends[0].eta_seconds is None  # before the first book nothing is known
    assert all(step.eta_seconds is not None for step in sends[1:])
    assert steps[-1].eta_seconds is None  # the pass is over


def test_the_dialog_hides_an_unknown_time_left(qtbot):
    dialog = SyncDialog(lambda book_id: None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_step("send", 0, 4, "Book Number 0", None, {}, None)
    assert dialog.time_label.isHidden()
    dialog.show_step("send", 1, 4, "Book Number 1", None, {"sent": 1}, 75.0)
    assert not dialog.time_label.isHidden()
    assert dialog.time_label.text() == "Time left: about 1 minute"
