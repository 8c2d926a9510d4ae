"""Reloading after another connection wrote: read off the window's thread, redrawn only when a
book changed."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bookorbit_desktop.ui.library.model import LibraryModel, prepare_rows
from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)


def book(book_id: int, title: str, status: str = "unread") -> dict:
    return {"id": book_id, "title": title, "authors": ["Ann Author"], "status": status}


ONE, TWO, THREE = book(1, "One"), book(2, "Two"), book(3, "Three")


@pytest.mark.parametrize(
    ("now", "then", "status_filter", "changed", "redraw"),
    [
        ([ONE, TWO], [ONE, TWO], None, set(), None),  # nothing changed: the table is left alone
        ([ONE, TWO], [TWO, ONE], None, set(), None),  # the same books in another order
        ([ONE, TWO], [ONE, book(2, "Two", "reading")], None, {2}, "repaint"),  # stays put
        ([ONE, TWO], [ONE, book(2, "Aardvark")], None, {2}, "reset"),  # moves in the sort
        ([ONE, TWO], [ONE, book(2, "Two", "reading")], "unread", {2}, "reset"),  # leaves filter
        ([ONE, TWO], [ONE, TWO, THREE], None, {3}, "reset"),  # a book came
        ([ONE, TWO, THREE], [ONE, THREE], None, {2}, "reset"),  # a book went
        ([], [ONE], None, {1}, "reset"),
    ],
)
def test_merge_redraws_only_what_changed(qtbot, now, then, status_filter, changed, redraw):
    model = LibraryModel()
    model.set_books(now)
    model.set_status_filter(status_filter)
    resets, repainted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda first, _last: repainted.append(model.book_at(first.row())))
    assert model.merge_rows(prepare_rows(then)) == changed
    assert (len(resets), len(repainted)) == {None: (0, 0), "repaint": (0, 1), "reset": (1, 0)}[
        redraw
    ]
    if redraw == "repaint":
        assert [b["id"] for b in repainted] == sorted(changed)
    shown = [b for b in then if status_filter in (None, b["status"])]
    assert sorted(model.book_at(n)["id"] for n in range(model.rowCount())) == sorted(
        b["id"] for b in shown
    )
    for n in range(model.rowCount()):  # every row shows the book as it is now
        assert model.book_at(n) == next(b for b in then if b["id"] == model.book_at(n)["id"])


def test_another_connections_write_reaches_table_and_panel_read_off_the_window_thread(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
):
    dune = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    window = desktop.window
    window.library_view.select_book(dune.id)
    assert window.book_panel.book_id == dune.id
    threads = []
    list_books = desktop.library.list_books

    def watched(*args, **kwargs):
        threads.append(threading.current_thread())
        return list_books(*args, **kwargs)

    desktop.library.list_books = watched
    with sqlite3.connect(library.db_file) as other:  # as the server's threads or the CLI do
        other.execute("UPDATE book SET title = 'Dune Messiah' WHERE id = ?", (dune.id,))
    assert desktop.change_watch.check()
    qloop.run_until_complete(desktop.controller.background.task)
    assert threads and threading.main_thread() not in threads  # read in a worker thread
    model = window.library_view.model
    assert model.book_at(model.row_of(dune.id))["title"] == "Dune Messiah"
    assert window.book_panel.title_label.text() == "Dune Messiah"
