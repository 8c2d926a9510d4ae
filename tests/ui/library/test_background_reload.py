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
    ("now", "then", "changed"),
    [
        ([ONE, TWO], [ONE, TWO], set()),  # nothing changed: the table is left alone
        ([ONE, TWO], [TWO, ONE], set()),  # the same books in another order
        ([ONE, TWO], [ONE, book(2, "Two", "reading")], {2}),
        ([ONE, TWO], [ONE, TWO, THREE], {3}),  # a book came
        ([ONE, TWO, THREE], [ONE, THREE], {2}),  # a book went
        ([], [ONE], {1}),
    ],
)
def test_merge_redraws_only_when_a_book_changed(qtbot, now, then, changed):
    model = LibraryModel()
    model.set_books(now)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    assert model.merge_rows(prepare_rows(then)) == changed
    assert len(resets) == (1 if changed else 0)
    assert sorted(model.book_at(n)["id"] for n in range(model.rowCount())) == sorted(
        b["id"] for b in then
    )


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
