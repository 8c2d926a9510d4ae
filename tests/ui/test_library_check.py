"""The desktop app shows the library before SQLite's quick check has read the whole file, and
refuses a damaged one right after, as at open: the same message, exit code 2, nothing written,
the LAN server never started."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.app import run_gui
from bookorbit_desktop.library.store.db import LibraryOpenError, open_database
from tests.library.store.damaged import scribbled
from tests.logging_support import restore_root_logger  # noqa: F401


def damaged_library(path) -> bytes:
    """`scribbled`, its server on a free loopback port: the damage is in an index of a table
    the window never reads, so its header and schema read fine."""
    return scribbled(path, settings=[("server.host", "127.0.0.1"), ("server.port", 0)])


def close_each_message(seen: list[tuple[str, str, bool]]) -> QTimer:
    """Note each message box (its title, its text, whether a window of the app was still
    showing) and close it."""

    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            others = [w for w in QApplication.topLevelWidgets() if w is not box]
            seen.append((box.windowTitle(), box.text(), any(w.isVisible() for w in others)))
            box.button(QMessageBox.StandardButton.Ok).click()

    poll = QTimer()
    poll.timeout.connect(close)
    poll.start(20)
    return poll


def test_a_damaged_library_is_refused_once_shown_and_before_anything_writes(paths, qtbot, caplog):
    damaged = damaged_library(paths.db_file)
    caplog.set_level(logging.INFO)
    seen: list[tuple[str, str, bool]] = []
    poll = close_each_message(seen)
    try:
        assert run_gui(paths) == 2
    finally:
        poll.stop()

    with pytest.raises(LibraryOpenError) as at_open:  # what the check at open says of it
        open_database(paths.db_file)
    assert "damaged" in at_open.value.message
    assert seen == [(at_open.value.title, at_open.value.message, False)]
    assert paths.db_file.read_bytes() == damaged
    log = caplog.text
    assert log.index("Window shown") < log.index("Library table filled with 1 books")
    assert log.index("Library table filled") < log.index(at_open.value.message)
    assert "Sync server listening" not in log
