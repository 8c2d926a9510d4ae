"""Running coroutines from widgets, and dialogs that never block the event loop.

The GUI runs on a qasync loop: Qt and asyncio share one thread. `QDialog.exec()` would start
a nested Qt loop in which other asyncio tasks cannot run, so dialogs are opened with `open()`
and awaited through their `finished` signal. Coroutines started from a slot go through
`spawn()`, which keeps a strong reference to the task (asyncio only keeps weak ones) and shows
any error as a message box with a title and a message instead of losing it (an unexpected one
goes to the crash dialog once the app has installed it).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from bookorbit_desktop.errors import BookOrbitError, drive_full
from bookorbit_desktop.ui.text import show_plain

log = logging.getLogger(__name__)

T = TypeVar("T")
_LONG_ADDRESS = re.compile(r"https?://\S{40,}")  # wider than a message box: not wrapped

UNEXPECTED_TITLE = "Something went wrong"
UNEXPECTED_MESSAGE = (
    "BookOrbit ran into an unexpected problem and could not finish this action. Nothing was "
    "lost. Try again; if it keeps happening, use Help ▸ Open Log Folder and attach the log "
    "file to a bug report."
)

_running: set[asyncio.Task[Any]] = set()
# Where a spawned task's unexpected error (a bug, not a BookOrbitError) goes once the app has
# installed its crash dialog (ui/crash_dialog.py); until then it is shown like any other.
_report_unexpected: Callable[[BaseException], object] | None = None
# Message boxes without a parent window: Python must hold them or they vanish at once.
_open_boxes: set[QMessageBox] = set()


def error_text(error: BaseException) -> tuple[str, str]:
    """The title and message to show for `error` (never a traceback)."""
    said = error if isinstance(error, BookOrbitError) else drive_full(error)
    if said is not None:
        return said.title, said.message
    return UNEXPECTED_TITLE, UNEXPECTED_MESSAGE


def _expected(error: BaseException) -> bool:
    """An error said to the user as it is, not reported as a fault: the app's own, or the
    drive being full (a write's transaction is rolled back: the library is as it was)."""
    return isinstance(error, BookOrbitError) or drive_full(error) is not None


def show_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """Show `error` in a window-modal message box opened without a nested event loop."""
    title, message = error_text(error)
    if not _expected(error):
        log.error("Unexpected error", exc_info=error)
    addresses = _LONG_ADDRESS.findall(message)
    shown = _LONG_ADDRESS.sub("the address under Show Details…", message)
    box = QMessageBox(QMessageBox.Icon.Warning, title, shown, QMessageBox.StandardButton.Ok, parent)
    if addresses:  # a line no box can wrap: where it can be read whole and copied
        box.setDetailedText("\n".join(addresses))
    return open_box(show_plain(box))


def open_box(box: QMessageBox) -> QMessageBox:
    """Open `box` without a nested event loop; it deletes itself once closed."""
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if box.parent() is None:
        _open_boxes.add(box)
        box.finished.connect(lambda _result: _open_boxes.discard(box))
    box.open()
    return box


def spawn(coro: Coroutine[Any, Any, T], parent: QWidget | None = None) -> asyncio.Task[T]:
    """Run `coro` on the loop; errors end up in a message box over `parent`."""
    task = asyncio.ensure_future(coro)
    _running.add(task)

    def finished(done: asyncio.Task[T]) -> None:
        _running.discard(done)
        if done.cancelled():
            return
        error = done.exception()
        if error is None:
            return
        if _report_unexpected is not None and not _expected(error):
            _report_unexpected(error)
        else:
            show_error(parent, error)

    task.add_done_callback(finished)
    return task


def report_unexpected_errors_to(report: Callable[[BaseException], object] | None) -> None:
    """Send spawned tasks' unexpected errors to `report` (None: back to a message box)."""
    global _report_unexpected
    _report_unexpected = report


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    """Tasks started with `spawn` that have not finished (shutdown cancels them). A task that
    has just finished leaves `_running` one turn of the loop later, with its done callback."""
    return frozenset(task for task in _running if not task.done())


async def cancel_running_tasks() -> None:
    """Cancel every spawned task of the running loop and wait for them to unwind (a task of
    another loop, one that ran before and stopped, cannot be waited for here)."""
    loop = asyncio.get_running_loop()
    tasks = [task for task in _running if not task.done() and task.get_loop() is loop]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


def signal_future(signal: SignalInstance) -> asyncio.Future[tuple[Any, ...]]:
    """A future for the next emission of `signal`, connected right now (no emission is lost
    between this call and the first await)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(fire)
    future.add_done_callback(lambda _f: _disconnect_quietly(signal, fire))
    return future


def _disconnect_quietly(signal: SignalInstance, slot: Any) -> None:
    with suppress(RuntimeError, TypeError):  # already disconnected, or the sender is gone
        signal.disconnect(slot)


async def after_queued_events() -> None:
    """Return once Qt has run the zero-delay timers queued before this call."""
    turn = asyncio.get_running_loop().create_future()
    QTimer.singleShot(0, lambda: None if turn.done() else turn.set_result(None))
    await turn


async def wait_signal(signal: SignalInstance) -> tuple[Any, ...]:
    """Wait for the next emission of `signal` and return its arguments."""
    return await signal_future(signal)


async def run_dialog(dialog: QDialog, opened: Callable[[], object] | None = None) -> int:
    """Open `dialog` window-modally and return its result code when it closes.

    `opened` is called once the dialog is open. If the awaiting task is cancelled the dialog
    is rejected, so it never lingers.
    """
    finished = signal_future(dialog.finished)  # connected before the dialog can close
    dialog.open()
    if opened is not None:
        opened()
    try:
        (result,) = await finished
    except asyncio.CancelledError:
        if dialog.isVisible():
            dialog.reject()
        raise
    return int(result)
