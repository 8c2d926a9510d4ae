"""Mark Read in the book panel, a real widget offscreen: the finish date is the reading
history's last session; without one a small dialog asks, prefilled with today, and nothing is
saved until the user chooses a date, or No date."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.finish_date import FinishDateDialog
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

OCT_4 = int(dt.datetime(2026, 10, 4, 12, 0).timestamp())  # local noon
DAY = 86_400


@pytest.fixture
def panel(qtbot, library):
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    return panel


def stored(book_id: int) -> tuple:
    row = ReadingState.get(ReadingState.book == book_id)
    return row.status, row.started, row.started_source, row.finished, row.finished_source


def choose_read(panel, book_id: int) -> None:
    panel.show_book(book_id)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("read"))


def test_mark_read_uses_the_last_session_of_the_history(panel, tmp_path):
    epub = make_epub(tmp_path / "read.epub", "Read Book", ("Ann Author",))
    book = add_book("Read Book", ["Ann Author"], file=epub, status="reading")
    rows = [(1, OCT_4, 600, 300), (290, OCT_4 + 8 * DAY, 600, 300)]
    ko_book = KoBook("Read Book", "Ann Author", partial_md5(epub), 300, rows)
    import_statistics(write_statistics(tmp_path / "stats.sqlite3", [ko_book]))
    choose_read(panel, book.id)
    assert panel.save_reading()  # no question: the history says when
    assert stored(book.id) == ("read", "2026-10-04", "history", "2026-10-12", "history")
    assert panel.finished_edit.text() == "2026-10-12"


async def ask(panel, answer: str, date: QDate | None = None) -> FinishDateDialog:
    opened = signal_future(panel.question_opened)
    asked = signal_future(panel.finish_asked)
    assert not panel.save_reading()  # not saved yet: the user is asked
    (dialog,) = await asyncio.wait_for(opened, 5)
    (task,) = await asked
    assert isinstance(dialog, FinishDateDialog) and dialog.isVisible()
    assert dialog.date_edit.date() == QDate.currentDate()  # today, prefilled, to be chosen
    if date is not None:
        dialog.date_edit.setDate(date)
    buttons = dialog.findChild(QDialogButtonBox)
    if answer == "no date":
        dialog.no_date_button.click()
    else:
        role = (
            QDialogButtonBox.StandardButton.Ok
            if answer == "ok"
            else QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(role).click()
    await task
    return dialog


def test_without_history_mark_read_asks_and_saves_the_chosen_date(panel, qloop, qtbot):
    book = add_book("Plain Book", ["Ann Author"], status="reading")
    choose_read(panel, book.id)
    with qtbot.waitSignal(panel.saved):
        qloop.run_until_complete(ask(panel, "ok", QDate(2026, 11, 1)))
    assert stored(book.id) == ("read", None, None, "2026-11-01", "user")  # no start from a click
    assert panel.finished_edit.text() == "2026-11-01"


def test_no_date_marks_it_read_without_a_finish_date(panel, qloop, qtbot):
    book = add_book("Long Ago", ["Ann Author"], status="reading")
    choose_read(panel, book.id)
    with qtbot.waitSignal(panel.saved):
        qloop.run_until_complete(ask(panel, "no date"))
    assert stored(book.id) == ("read", None, None, None, "user")  # the user's word, no date
    assert panel.finished_edit.text() == ""


def test_cancelling_the_question_saves_nothing(panel, qloop, qtbot):
    book = add_book("Plain Book", ["Ann Author"], status="reading")
    choose_read(panel, book.id)
    with qtbot.assertNotEmitted(panel.saved):
        qloop.run_until_complete(ask(panel, "cancel"))
    assert stored(book.id)[0] == "reading" and stored(book.id)[3] is None
    assert panel.edited() == {"status": "read"}  # still the user's edit, unsaved


def test_typing_the_end_asks_when_it_ended_and_choosing_reading_invents_no_start(panel, qloop):
    book = add_book("Typed Book", ["Ann Author"])
    panel.show_book(book.id)
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("reading"))
    assert panel.save_reading()
    assert stored(book.id) == ("reading", None, None, None, None)  # never the click's day
    panel.show_book(book.id)
    panel.progress_spin.setValue(100.0)
    qloop.run_until_complete(ask(panel, "ok", QDate(2026, 11, 2)))
    assert stored(book.id) == ("read", None, None, "2026-11-02", "user")


def test_a_reread_typed_to_the_end_asks_instead_of_taking_the_earlier_reads_finish(tmp_path):
    from bookorbit_desktop.library.reading.edits import update_reading_state
    from bookorbit_desktop.library.reading.marking import DateNeededError

    epub = make_epub(tmp_path / "again.epub", "Again", ("Ann Author",))
    book = add_book("Again", ["Ann Author"], file=epub, status="reading")
    rows = [(1, OCT_4, 600, 300), (290, OCT_4 + 8 * DAY, 600, 300)]
    import_statistics(write_statistics(tmp_path / "s.sqlite3", [KoBook("Again", "Ann Author",
                      partial_md5(epub), 300, rows)]))  # fmt: skip
    update_reading_state(book.id, status="read", finished="2026-10-12")
    update_reading_state(book.id, status="rereading")  # no session of the reread yet
    with pytest.raises(DateNeededError):
        update_reading_state(book.id, progress="100%")
    assert stored(book.id)[0] == "rereading"
