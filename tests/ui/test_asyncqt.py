"""Coroutines from widgets: errors become message boxes, dialogs never block the loop."""

from __future__ import annotations

import asyncio
import gc
import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from bookorbit_desktop.errors import BookOrbitError, InvalidValueError
from bookorbit_desktop.hardcover.api.errors import TOKEN_PAGE_URL, NotConnectedError
from bookorbit_desktop.ui.asyncqt import (
    UNEXPECTED_MESSAGE,
    UNEXPECTED_TITLE,
    cancel_running_tasks,
    error_text,
    report_unexpected_errors_to,
    run_dialog,
    show_error,
    signal_future,
    spawn,
)
from bookorbit_desktop.ui.gc_guard import GarbageCollector


@pytest.mark.parametrize(
    ("error", "title", "message"),
    [
        (InvalidValueError("Port 80 cannot be used."), "Invalid value", "Port 80 cannot be used."),
        (BookOrbitError("Try again.", title="Custom"), "Custom", "Try again."),
        (KeyError("secret detail"), UNEXPECTED_TITLE, UNEXPECTED_MESSAGE),
        (
            OSError(28, "No space left on device"),
            "Drive full",
            "The drive is full, so this could not be done ([Errno 28] No space left on device)."
            " Free some space on it, then try again.",
        ),
    ],
)
def test_error_text_never_shows_internals(error, title, message):
    assert error_text(error) == (title, message)


def test_a_failing_task_shows_its_error_over_the_parent(qtbot, qloop):
    parent = QWidget()
    qtbot.addWidget(parent)

    async def fail():
        raise InvalidValueError("The rating 7 is out of range.")

    async def scenario():
        task = spawn(fail(), parent)
        with pytest.raises(InvalidValueError):
            await task
        await asyncio.sleep(0)  # the done-callback runs on the next turn

    qloop.run_until_complete(scenario())
    (box,) = parent.findChildren(QMessageBox)
    assert (box.windowTitle(), box.text()) == ("Invalid value", "The rating 7 is out of range.")


def test_an_unexpected_error_is_logged_and_shown_plainly(qtbot, qloop, caplog):
    async def crash():
        raise ZeroDivisionError("division by zero")

    async def scenario():
        task = spawn(crash())
        with pytest.raises(ZeroDivisionError):
            await task
        await asyncio.sleep(0)

    qloop.run_until_complete(scenario())
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    shown = [box for box in boxes if box.isVisible() and box.windowTitle() == UNEXPECTED_TITLE]
    assert shown and "ZeroDivisionError" not in shown[0].text()
    assert "Unexpected error" in caplog.text
    for box in shown:
        box.close()


def test_a_full_drive_is_said_plainly_never_reported_as_a_fault(qtbot, qloop, caplog):
    """A write that fills the drive (SQLite has rolled it back) is the user's to mend: said in
    a message over the window, not sent to the crash report, not logged as a fault."""
    parent = QWidget()
    qtbot.addWidget(parent)
    reported: list[BaseException] = []
    report_unexpected_errors_to(reported.append)

    async def fill():
        raise sqlite3.OperationalError("database or disk is full")

    async def scenario():
        task = spawn(fill(), parent)
        with pytest.raises(sqlite3.OperationalError):
            await task
        await asyncio.sleep(0)

    try:
        qloop.run_until_complete(scenario())
    finally:
        report_unexpected_errors_to(None)
    (box,) = parent.findChildren(QMessageBox)
    assert box.windowTitle() == "Drive full"
    assert box.text().startswith("The drive is full, so this could not be done")
    assert reported == [] and "Unexpected error" not in caplog.text


def test_a_parentless_box_survives_until_closed(qtbot):
    show_error(None, InvalidValueError("kept"))
    gc.collect()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    kept = [box for box in boxes if box.isVisible() and box.text() == "kept"]
    assert len(kept) == 1
    with qtbot.waitSignal(kept[0].finished):
        kept[0].accept()


def test_an_address_too_long_to_wrap_is_shown_whole_under_show_details(qtbot):
    """Hardcover's token page address (its scopes in the query) is wider than any box: the
    message names where it is, and Show Details… holds it whole, to read and copy."""
    box = show_error(None, NotConnectedError())
    assert TOKEN_PAGE_URL not in box.text() and "the address under Show Details…" in box.text()
    assert box.detailedText() == TOKEN_PAGE_URL
    short = show_error(None, InvalidValueError("See https://hardcover.app for more."))
    assert short.text() == "See https://hardcover.app for more." and not short.detailedText()
    for shown in (box, short):
        with qtbot.waitSignal(shown.finished):
            shown.accept()


def test_run_dialog_returns_the_result_and_cancelling_rejects(qtbot, qloop):
    dialog = QDialog()
    qtbot.addWidget(dialog)

    async def accepted():
        opened = []
        task = asyncio.ensure_future(run_dialog(dialog, lambda: opened.append(True)))
        await asyncio.sleep(0)
        assert opened == [True] and dialog.isVisible()
        dialog.accept()
        return await task

    assert qloop.run_until_complete(accepted()) == QDialog.DialogCode.Accepted

    async def cancelled():
        task = asyncio.ensure_future(run_dialog(dialog))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return dialog.isVisible(), dialog.result()

    assert qloop.run_until_complete(cancelled()) == (False, QDialog.DialogCode.Rejected)


def test_signal_future_sees_an_emission_right_after_it_is_made(qtbot, qloop):
    dialog = QDialog()
    qtbot.addWidget(dialog)

    async def scenario():
        finished = signal_future(dialog.finished)
        dialog.open()
        dialog.done(7)  # before anything awaited
        return await finished

    assert qloop.run_until_complete(scenario()) == (7,)


async def _forever():
    await asyncio.Event().wait()


async def _spawned(coroutine):
    task = spawn(coroutine())
    await asyncio.sleep(0)
    return task


async def _cancelled_by_shutdown() -> bool:
    """Whether a task spawned on the running loop is cancelled by `cancel_running_tasks`."""
    task = await _spawned(_forever)
    await cancel_running_tasks()
    return task.cancelled()


def test_cancel_running_tasks(qloop):
    assert qloop.run_until_complete(_cancelled_by_shutdown())


def test_cancel_running_tasks_leaves_a_stopped_loops_tasks_alone(qloop):
    """A task left pending by a loop that stopped (a second loop after the first, as the
    screenshot script runs them) is not waited for by the next loop's shutdown."""
    other = asyncio.new_event_loop()
    stranded = other.run_until_complete(_spawned(_forever))
    try:
        assert not stranded.done()
        assert qloop.run_until_complete(_cancelled_by_shutdown())
    finally:
        stranded.cancel()
        other.run_until_complete(asyncio.sleep(0))
        other.close()


def test_garbage_collector_runs_on_the_gui_thread(qapp):
    collector = GarbageCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        for _ in range(3000):
            cycle = []
            cycle.append(cycle)
        del cycle
        assert collector.check() > 0
    finally:
        collector.stop()
    assert gc.isenabled()
