"""The window at start: shown and painted before the library table is read (in a worker
thread), then filled; while it waits it shows neither rows nor a count nor "No books yet"."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject

from bookorbit_desktop.ui.library.view import EMPTY_LIBRARY
from tests.factories import add_book
from tests.ui.test_main_window import desktop, fill  # noqa: F401 (fixture)


class Paints(QObject):
    """What the library view showed each time it was painted."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.seen: list[tuple[bool, int, str, str]] = []
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            view = self.view
            self.seen.append(
                (
                    view.model.loaded,
                    view.model.rowCount(),
                    view.empty_label.text(),
                    view.count_label.text(),
                )
            )
        return False


@pytest.mark.parametrize("titles", [[], ["Dune"], ["Echo", "Alpha", "Delta"]])
def test_the_window_paints_before_the_table_is_read_then_fills(
    desktop,  # noqa: F811
    qtbot,
    titles,
):
    for title in titles:
        add_book(title, ["Ann Author"])
    view = desktop.window.library_view
    paints = Paints(view)
    threads = []
    table_books = desktop.library.table_books

    def watched(ids=None):
        threads.append(threading.current_thread())
        return table_books(ids)

    view.model.set_reader(watched)
    desktop.show(start_hidden=False)
    qtbot.waitExposed(desktop.window)
    qtbot.waitUntil(lambda: bool(paints.seen))  # painted, with nothing read yet
    assert not threads and not view.model.loaded  # not a book read
    assert set(paints.seen) == {(False, 0, "", "")}  # no "No books yet", no "0 books"
    fill(desktop)  # the event loop's next turn: the order read in a worker thread
    model = view.model
    assert model.loaded
    assert [model.book_at(row).title for row in range(model.rowCount())] == sorted(titles)
    if titles:
        assert view._stack.currentWidget() is view.table
        assert view.count_label.text() == ("1 book" if len(titles) == 1 else f"{len(titles)} books")
    else:
        assert view._stack.currentWidget() is view.empty_label
        assert view.empty_label.text() == EMPTY_LIBRARY
