"""A real library behind the library table's tests: books written to SQLite as the app writes
them, and a view whose model reads them from there, as the window's does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.models import BookFile, HardcoverMatch, database
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book


def shelve(books: Sequence[Mapping[str, Any]]) -> None:
    """Write these books (as `tests.ui.library.test_model.book` spells them) to the library,
    each under its own id: the first books of a fresh library, in id order. Without a
    `sort_title`, the book keeps the one the app gives it."""
    for wanted in books:
        book = add_book(
            wanted["title"],
            wanted["authors"],
            series=wanted.get("series"),
            series_index=wanted.get("series_index"),
            status=wanted.get("status", "unread"),
        )
        assert book.id == wanted["id"]
        if "sort_title" in wanted:
            database.execute_sql(
                "UPDATE book SET sort_title = ? WHERE id = ?", (wanted["sort_title"], book.id)
            )
        database.execute_sql(
            "UPDATE reading_state SET progress = ?, rating = ? WHERE book_id = ?",
            (wanted.get("progress", 0.0), wanted.get("rating"), book.id),
        )
        for n, kind in enumerate(wanted.get("formats", ())):
            BookFile.create(
                book=book,
                path=f"/books/{book.id}-{n}.{kind}",
                format=kind,
                size=1,
                mtime=0,
                partial_md5=f"{book.id}-{n}",
                added_at=0,
            )
        state = wanted.get("hardcover", "unmatched")
        if state != "unmatched" or wanted.get("pages") is not None:
            HardcoverMatch.create(
                book=book, state=state, edition_pages=wanted.get("pages"), updated_at=0
            )


def show_library(view: LibraryView, library: Paths) -> LibraryView:
    """Have `view` show the library as the window does: its model reads the books from SQLite."""
    service = LibraryService(library, match_states=HardcoverService().match_states)
    view.model.set_reader(service.table_books)
    view.model.refresh()
    return view


def library_view(qtbot: Any, library: Paths, books: Sequence[Mapping[str, Any]]) -> LibraryView:
    """A library view showing these books, written to the library first."""
    shelve(books)
    view = LibraryView()
    qtbot.addWidget(view)
    return show_library(view, library)
