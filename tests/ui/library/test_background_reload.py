"""Reloading after another connection wrote: read off the window's thread, redrawn only when a
book changed (which rows a change redraws: `test_lazy_model`)."""

from __future__ import annotations

import sqlite3
import threading

from bookorbit_desktop.library.reading.edits import update_reading_state
from tests.factories import add_book
from tests.sql_functions import as_the_app
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)

RENAME = "UPDATE book SET title = ?1, sort_title = lower(?1) WHERE id = ?2"


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

    window.library_view.model.set_reader(watched)
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
    model = desktop.window.library_view.model
    model.set_reader(lambda *args, **kw: reads.append(args) or table_books(*args, **kw))
    # Progress written with the reading state's old stamp (as some writers do) still shows.
    progress = "UPDATE reading_state SET progress = ? WHERE book_id = ?"
    changed_elsewhere(desktop, qloop, library, progress, 0.5, books[3].id)
    changed_elsewhere(desktop, qloop, library, progress, 0.7, books[1].id)
    assert reads[-1] == ([books[1].id],)
    assert [model.book_at(r).progress for r in range(model.rowCount())] == [0, 0.7, 0, 0.5, 0]


def changed_elsewhere(desktop, qloop, library, sql: str, *args) -> None:  # noqa: F811
    """A write by the server's threads or the CLI (another connection to the library), then
    the window's reload once the change watch notices it."""
    with sqlite3.connect(library.db_file) as other:
        as_the_app(other)  # as the app's own
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
        return [view.row_texts(n)[0] for n in range(view.model.rowCount())]

    assert page_titles() == ["Alpha", "Beta"]
    changed_elsewhere(desktop, qloop, library, RENAME, "Zeta", alpha.id)
    qloop.run_until_complete(desktop.hardcover_controller._reload_task)
    assert page_titles() == ["Beta", "Zeta"]
    model = window.library_view.model
    assert [model.book_at(r).title for r in range(model.rowCount())] == ["Beta", "Zeta"]


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
