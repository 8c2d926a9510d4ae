"""The window on a 1366x768 laptop screen: its first size fits the screen (maximised where
the wanted size would not fit with room to spare), and after a restart the book panel's
Devices table still shows every column (real widgets, real SQLite)."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import QRect, QSize, Qt

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.device_positions import DevicePositionsBox
from bookorbit_desktop.ui.window_size import first_size
from tests.factories import add_book
from tests.ui.assembled import bare_window, local_desktop
from tests.ui.small_screen import small_screen_fixture  # noqa: F401  (the `small_screen` fixture)


@pytest.mark.parametrize(
    ("free", "size", "maximised"),
    [
        (QRect(0, 0, 1366, 740), QSize(1366, 740), True),
        (QRect(0, 0, 1280, 680), QSize(1280, 680), True),
        (QRect(0, 0, 1440, 875), QSize(1440, 875), True),
        (QRect(0, 0, 1920, 1050), QSize(1400, 820), False),
        (QRect(0, 0, 1600, 900), QSize(1400, 810), False),
        (QRect(0, 0, 2560, 1400), QSize(1400, 820), False),
    ],
)
def test_first_size(free, size, maximised):
    first = first_size(free)
    assert (first.size, first.maximised) == (size, maximised)


def test_the_window_opens_maximised_on_a_laptop_screen(qtbot, library, tmp_path, small_screen):
    window = bare_window(qtbot, library, tmp_path)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    normal = window.size()
    assert normal.width() <= small_screen.width() and normal.height() <= small_screen.height()


def test_a_saved_size_wins_over_the_first_size(qtbot, library, tmp_path, small_screen):
    window = bare_window(qtbot, library, tmp_path)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(700, 500)  # within the offscreen platform's own screen too
    window.save_state()
    again = bare_window(qtbot, library, tmp_path)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert again.size() == QSize(700, 500)


NOW = int(time.time())


@pytest.fixture
def synced_book(library):
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=time.time())
    position = "/body/DocFragment[19]/body/div[2]/section/p[143]/text().0"
    progress.record_push(Push("doc", position, 0.3, "Kobo Libra 2", "K1"), timestamp=NOW - 99)
    progress.record_push(Push("doc", "56", 0.6, "Phone", "P1"), timestamp=NOW - 120)
    return book


def devices_shown(library, qloop, book_id):
    """The assembled window at 1366x768 with `book_id` open: the Devices table's header and
    the desktop (to shut down)."""
    desktop = local_desktop(library, shown=True)
    desktop.window.resize(1366, 740)
    (box,) = desktop.window.book_panel.findChildren(DevicePositionsBox)

    async def scenario():
        loaded = signal_future(box.loaded)
        desktop.window.book_panel.show_book(book_id)
        await loaded
        await asyncio.sleep(0.05)

    qloop.run_until_complete(scenario())
    return box.tree, desktop


def test_every_devices_column_shows_after_a_restart(
    qtbot, qloop, library, synced_book, small_screen
):
    for _start in range(2):
        tree, desktop = devices_shown(library, qloop, synced_book.id)
        header = tree.header()
        room = tree.viewport().width()
        for column in range(tree.columnCount()):
            start = header.sectionViewportPosition(column)
            assert start >= 0 and start + header.sectionSize(column) <= room, column
            assert header.sectionSize(column) >= 40, column
        qloop.run_until_complete(desktop.shutdown())
