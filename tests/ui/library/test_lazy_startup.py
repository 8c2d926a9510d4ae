"""The window at start: shown and painted before the library table is read (in a worker
thread), then filled; while it waits it shows neither rows nor a count nor "No books yet"."""

from __future__ import annotations

import asyncio
import threading

import pytest
from PySide6.QtCore import QEvent, QObject

from bookorbit_desktop.ui.library.view import EMPTY_LIBRARY
from bookorbit_desktop.ui.sync.progress_text import books
from tests.factories import add_book
from tests.ui.test_main_window import desktop  # noqa: F401 (fixture)


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
    qloop,
    monkeypatch,
    titles,
):
    for title in titles:
        add_book(title, ["Ann Author"])
    view = desktop.window.library_view
    model = view.model
    paints = Paints(view)
    background = desktop.controller.background
    read = background._load
    threads = []

    async def after_a_paint(since):  # the worker's read waits for the window's first paint
        while not paints.seen:
            await asyncio.sleep(0.005)
        threads.append(threading.current_thread())
        return await read(since)

    monkeypatch.setattr(background, "_load", after_a_paint)

    async def start() -> None:
        desktop.show(start_hidden=False)
        assert desktop.window.isVisible() and not model.loaded
        while not model.loaded:  # the event loop's next turns: painted, then filled
            await asyncio.sleep(0.005)
        task = background.task
        assert task is not None
        await task

    qloop.run_until_complete(asyncio.wait_for(start(), 30))
    assert threads  # the read began after the first paint
    first = paints.seen[0]
    assert first == (False, 0, "", "")  # no rows, no "No books yet", no "0 books"
    assert [model.book_at(row).title for row in range(model.rowCount())] == sorted(titles)
    if titles:
        assert view._stack.currentWidget() is view.table
        assert view.count_label.text() == books(len(titles))
    else:
        assert view._stack.currentWidget() is view.empty_label
        assert view.empty_label.text() == EMPTY_LIBRARY
