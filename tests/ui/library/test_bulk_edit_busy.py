"""An edit of a few hundred books through the real Edit dialog at 1366x768 on a real library:
the check and the save run off the window's thread, so the app's loop keeps turning while they
run, Save is disabled with a note saying what runs, Cancel drops a check, and a save cancelled
while it runs still completes and is reported in the status bar."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt, QTimer

from bookorbit_desktop.library.store.models import Book, ReadingState
from tests.factories import add_book
from tests.ui.library.test_edit_dialog import click_save, save_button, window_with_books

BOOKS = 300


def several(qtbot, library):
    for number in range(BOOKS):
        add_book(f"Book {number}")
    _window, view, actions = window_with_books(qtbot, library)
    view.table.selectAll()
    actions.edit_action.trigger()
    return _window, actions.dialog


def cancel(qtbot, dialog) -> None:
    cancel_button = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)


def test_the_loop_keeps_turning_while_hundreds_of_books_are_checked(qtbot, qloop, library):
    window, dialog = several(qtbot, library)
    dialog.bulk.publisher.setText("Tor")
    dialog.bulk.rating.setCurrentIndex(dialog.bulk.rating.findData("4"))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(0)
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    # Back from the click at once: the check runs, the dialog says so and Save waits for it.
    assert dialog.confirm_label.text() == f"Checking {BOOKS} books…"
    assert not save_button(dialog).isEnabled()
    seen, busy = len(ticks), []
    while not dialog.run.task.done():
        busy.append(not save_button(dialog).isEnabled())
        qloop.run_until_complete(asyncio.sleep(0.01))
    timer.stop()
    assert len(ticks) > seen and all(busy)  # the window went on while the books were checked
    assert save_button(dialog).text() == f"Apply to {BOOKS} Books"
    assert save_button(dialog).isEnabled()

    click_save(qtbot, qloop, dialog)
    assert not dialog.isVisible()
    assert window.statusBar().currentMessage() == f"Saved {BOOKS} books."
    assert {book.publisher for book in Book.select()} == {"Tor"}


def test_cancel_drops_a_check_and_a_save_started_completes(qtbot, qloop, library):
    window, dialog = several(qtbot, library)
    dialog.bulk.publisher.setText("Tor")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    checking = dialog.run.task
    cancel(qtbot, dialog)  # while the books are checked: the typed fields go once confirmed
    [discard] = [b for b in dialog.question.buttons() if b.text() == "&Discard"]
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qloop.run_until_complete(asyncio.wait([checking]))
    assert dialog.confirm_label.isHidden() and save_button(dialog).text() == "Save"  # dropped
    assert {book.publisher for book in Book.select()} == {None}

    dialog.open()  # the same fields again: asked again, then saved
    click_save(qtbot, qloop, dialog)
    assert save_button(dialog).text() == f"Apply to {BOOKS} Books"
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.confirm_label.text() == "Saving…" and not save_button(dialog).isEnabled()
    saving = dialog.run.task
    cancel(qtbot, dialog)  # the save goes on: the dialog closes, the status bar reports it
    assert not dialog.isVisible()
    qloop.run_until_complete(asyncio.wait([saving]))
    assert {book.publisher for book in Book.select()} == {"Tor"}
    assert window.statusBar().currentMessage() == f"Saved {BOOKS} books."
    assert ReadingState.select().count() == BOOKS
