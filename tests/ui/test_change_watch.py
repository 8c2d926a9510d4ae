"""Views follow what other connections write to the library, without F5."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys

from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.change_watch import ChangeWatch
from tests.factories import add_book
from tests.sql_functions import as_the_app
from tests.ui.hardcover.conftest import settle
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)


def test_only_another_connections_commit_counts(library, qtbot):
    service = LibraryService(library)
    watch = ChangeWatch(service.data_version)
    add_book("Written Here", ["Ann Author"])  # this connection: the window already knows
    assert not watch.check()
    with sqlite3.connect(library.db_file) as other:
        as_the_app(other)  # as the app's own
        other.execute("UPDATE book SET title = 'Renamed Elsewhere'")
    with qtbot.waitSignal(watch.changed, timeout=1000):
        assert watch.check()
    assert not watch.check()  # once per change


def test_the_window_follows_the_command_line_in_another_process(
    desktop,  # noqa: F811
    qloop,
    library,
):
    book = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    desktop.change_watch.timer.setInterval(50)
    command = [
        sys.executable,
        "-m",
        "bookorbit_desktop",
        "--data-dir",
        str(library.data_dir),
        "book",
        str(book.id),
        "--status",
        "reading",
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    model = desktop.window.library_view.model

    async def shown_as_reading() -> None:  # the app's loop runs: the reload is read off it
        for _ in range(100):
            if model.index(model.row_of(book.id), 3).data() == "Reading":
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the table never showed the command line's change")

    qloop.run_until_complete(shown_as_reading())


def test_the_hardcover_page_follows_a_book_set_to_reading(desktop, qtbot, qloop):  # noqa: F811
    book = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    window = desktop.window
    page = desktop.hardcover_controller.view
    window.tabs.setCurrentWidget(page)
    settle(desktop.hardcover_controller, qloop)
    assert page.count_label.text() == "0 of 0 books"  # unread books are not synced
    window.tabs.setCurrentIndex(0)  # the library: the page is left to refresh when opened
    assert window.tabs.currentWidget() is not page
    window.library_view.select_book(book.id)
    panel = window.book_panel
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("reading"))
    assert panel.save_reading()
    window.tabs.setCurrentWidget(page)  # opened after the change: its rows at once
    assert page.row_texts(0)[2].startswith("Reading")
    settle(desktop.hardcover_controller, qloop)  # the counts, read off the window's thread
    assert page.count_label.text() == "1 of 1 book"
