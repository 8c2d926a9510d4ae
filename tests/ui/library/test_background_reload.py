"""Reloading after another connection wrote: read off the window's thread, redrawn only when a
book changed."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value
from bookorbit_desktop.services.library_rows import table_book
from bookorbit_desktop.ui.library.model import LibraryModel, prepare_rows
from bookorbit_desktop.ui.library.row_diff import diff_changed, diff_rows
from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)


def book(book_id: int, title: str, status: str = "unread") -> dict:
    return {"id": book_id, "title": title, "authors": ["Ann Author"], "status": status}


ONE, TWO, THREE = book(1, "One"), book(2, "Two"), book(3, "Three")
RENAME = "UPDATE book SET title = ?1, sort_title = lower(?1) WHERE id = ?2"


@pytest.mark.parametrize(
    ("now", "then", "status_filter", "changed", "redraw"),
    [
        ([ONE, TWO], [ONE, TWO], None, set(), None),  # nothing changed: the table is left alone
        ([ONE, TWO], [TWO, ONE], None, set(), "reset"),  # another order (a book renamed)
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
    shown_rows = model.shown_rows
    assert model.apply_diff(diff_rows(shown_rows, prepare_rows(then))) == changed
    assert (len(resets), len(repainted)) == {None: (0, 0), "repaint": (0, 1), "reset": (1, 0)}[
        redraw
    ]
    if redraw == "repaint":
        assert [b.id for b in repainted] == sorted(changed)
    shown = [b for b in then if status_filter in (None, b["status"])]
    assert sorted(model.book_at(n).id for n in range(model.rowCount())) == sorted(
        b["id"] for b in shown
    )
    for n in range(model.rowCount()):  # every row shows the book as it is now
        book = model.book_at(n)
        assert book == table_book(next(b for b in then if b["id"] == book.id))
    before = {row.book.id: row for row in shown_rows}
    for row in model.shown_rows:  # an unchanged book keeps its row; the fresh copy is freed
        assert (row is before.get(row.book.id)) == (row.book.id not in changed)


def titled(book_id: int, title: str, status: str = "unread") -> dict:
    return {**book(book_id, title, status), "sort_title": title.lower()}


A, B, C = titled(1, "Alpha"), titled(2, "Beta"), titled(3, "Gamma")


@pytest.mark.parametrize(
    ("now", "then"),
    [
        ([A, B], [A, B]),
        ([A, B], [A, titled(2, "Beta", "reading")]),
        ([A, B], [titled(1, "Zulu"), B]),  # moves in the library's order
        ([A, B], [A, B, C]),
        ([A, B, C], [A, C]),
        ([A, B, C], [titled(1, "Delta"), C]),
        ([], [A]),
    ],
)
def test_reading_only_the_changed_books_shows_what_a_full_read_shows(qtbot, now, then):
    changed = {b["id"] for b in then if b not in now} | {b["id"] for b in now if b not in then}
    order = sorted(then, key=lambda b: (b["sort_title"], b["id"]))
    full, some = LibraryModel(), LibraryModel()
    for model in (full, some):
        model.set_books(now)
    assert full.apply_diff(diff_rows(full.shown_rows, prepare_rows(order))) == changed
    before = {row.book.id: row for row in some.shown_rows}
    fresh = prepare_rows([b for b in order if b["id"] in changed])
    assert some.apply_diff(diff_changed(some.shown_rows, fresh, changed)) == changed
    assert list(some.books()) == list(full.books()) == [table_book(b).as_book() for b in order]
    for row in some.shown_rows:  # an unchanged book keeps the row shown
        assert (row is before.get(row.book.id)) == (row.book.id not in changed)


def test_a_comparison_with_rows_no_longer_shown_is_not_applied(qtbot):
    model = LibraryModel()
    model.set_books([ONE, TWO])
    stale = diff_rows(model.shown_rows, prepare_rows([ONE, book(2, "Two", "reading")]))
    model.set_books([ONE, book(2, "Two", "read")])  # the window's own edit, meanwhile
    assert model.apply_diff(stale) is None
    assert model.book_at(model.row_of(2)).status == "read"


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
    table_books = desktop.library.table_books

    def watched(*args, **kwargs):
        threads.append(threading.current_thread())
        return table_books(*args, **kwargs)

    desktop.library.table_books = watched
    changed_elsewhere(desktop, qloop, library, RENAME, "Dune Messiah", dune.id)
    assert threads and threading.main_thread() not in threads  # read in a worker thread
    model = window.library_view.model
    assert model.book_at(model.row_of(dune.id)).title == "Dune Messiah"
    assert window.book_panel.title_label.text() == "Dune Messiah"


def test_after_the_first_reload_only_the_changed_books_are_read(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
):
    books = [add_book(f"Book {n}") for n in range(5)]
    show_all(desktop, start_hidden=False)
    reads = []
    table_books = desktop.library.table_books
    desktop.library.table_books = lambda *args, **kw: reads.append(args) or table_books(*args, **kw)
    # Progress written with the reading state's old stamp (as some writers do) still shows.
    progress = "UPDATE reading_state SET progress = ? WHERE book_id = ?"
    changed_elsewhere(desktop, qloop, library, progress, 0.5, books[3].id)
    changed_elsewhere(desktop, qloop, library, progress, 0.7, books[1].id)
    assert reads[-1] == ([books[1].id],)
    model = desktop.window.library_view.model
    assert [b["progress"] for b in model.books()] == [0.0, 0.7, 0.0, 0.5, 0.0]


def changed_elsewhere(desktop, qloop, library, sql: str, *args) -> None:  # noqa: F811
    """A write by the server's threads or the CLI (another connection to the library), then
    the window's reload once the change watch notices it."""
    with sqlite3.connect(library.db_file) as other:
        other.create_function(SQL_FOLD, 1, fold_value, deterministic=True)  # as the app's own
        other.execute(sql, args)
    assert desktop.change_watch.check()
    qloop.run_until_complete(desktop.controller.background.task)


def test_an_edit_saved_during_a_reload_is_never_undone_by_it(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
):
    dune = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    controller = desktop.controller
    load = controller.background._load

    async def slow_load(since):
        books = await load(since)  # read before the user's save...
        if not saved:  # ...which lands while the read is on its way
            saved.append(update_reading_state(dune.id, status="reading"))
            controller.refresh_some([dune.id])
        return books

    saved: list = []
    controller.background._load = slow_load
    changed_elsewhere(desktop, qloop, library, RENAME, "Dune Messiah", dune.id)
    model = desktop.window.library_view.model
    row = model.book_at(model.row_of(dune.id))
    assert (row.title, row.status) == ("Dune Messiah", "reading")


def test_a_rename_elsewhere_moves_the_book_in_the_library_and_on_the_hardcover_page(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
):
    alpha = add_book("Alpha", ["Ann Author"], status="reading")
    add_book("Beta", ["Ann Author"], status="reading")
    show_all(desktop, start_hidden=False)
    window = desktop.window
    view = desktop.hardcover_controller.view
    window.tabs.setCurrentWidget(view)

    def page_titles() -> list[str]:
        return [view.tree.topLevelItem(n).text(0) for n in range(view.tree.topLevelItemCount())]

    assert page_titles() == ["Alpha", "Beta"]
    changed_elsewhere(desktop, qloop, library, RENAME, "Zeta", alpha.id)
    qloop.run_until_complete(desktop.hardcover_controller._reload_task)
    assert page_titles() == ["Beta", "Zeta"]
    assert [book["title"] for book in window.library_view.model.books()] == ["Beta", "Zeta"]


def test_the_open_book_follows_changes_outside_the_tables_columns(
    desktop,  # noqa: F811
    qtbot,
    qloop,
    library,
):
    dune = add_book("Dune", ["Frank Herbert"])
    show_all(desktop, start_hidden=False)
    window = desktop.window
    window.library_view.select_book(dune.id)
    blurb = "UPDATE book SET description = 'New blurb' WHERE id = ?"
    changed_elsewhere(desktop, qloop, library, blurb, dune.id)
    assert window.book_panel.description.toPlainText() == "New blurb"
