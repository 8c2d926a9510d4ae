"""The desktop app shows the library before SQLite's quick check has read the whole file, and
refuses a damaged one right after, as at open: the same message, exit code 2, nothing written,
the LAN server never started."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from bookorbit_desktop.app import run_gui
from bookorbit_desktop.library.store.db import LibraryOpenError, close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401


def damaged_library(path) -> bytes:
    """A library of one book whose last pages (an index of a table the window never reads)
    are scribbled over: its header and schema read fine. The file's bytes."""
    open_database(path)
    add_book("Alpha")
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    database.execute_sql("CREATE TABLE filler (x TEXT)")
    database.connection().executemany(
        "INSERT INTO filler VALUES (?)", [(f"{n:05d}" + "x" * 500,) for n in range(2000)]
    )
    database.execute_sql("CREATE INDEX filler_x ON filler (x)")
    close_database()
    damaged = bytearray(path.read_bytes())
    for offset in range(len(damaged) - 20 * 4096, len(damaged) - 2 * 4096, 7):
        damaged[offset] = 0xA5
    path.write_bytes(bytes(damaged))
    return bytes(damaged)


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
