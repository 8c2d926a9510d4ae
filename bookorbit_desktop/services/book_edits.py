"""The window's side of editing and removing books: the fields as text for the Edit dialog, and
the save and the removal through the library's operations (`library.editing`), so the window
and `books edit` / `books remove` check and store the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import (
    RemovalPlan,
    RemovalResult,
    plan_removal,
    remove_books,
)
from bookorbit_desktop.library.editing.values import changes_from_text
from bookorbit_desktop.library.store.models import Book


@dataclass(frozen=True)
class EditForm:
    """What the dialog shows: each field's text where every book agrees; `mixed` names the
    fields where the books differ (shown empty, changed only when the user types)."""

    book_ids: tuple[int, ...]
    texts: dict[str, str]
    mixed: frozenset[str]
    titles: tuple[str, ...]  # the books' titles, for the dialog's heading


def _texts(book: Book) -> dict[str, str]:
    index = book.series_index
    return {
        "title": book.title,
        "authors": " & ".join(book.author_names()),
        "series": book.series or "",
        "series_index": "" if index is None else f"{index:g}",
        "language": book.language or "",
        "isbn": book.isbn13 or book.isbn10 or "",
        "description": book.description or "",
    }


class BookEditService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def form(self, book_ids: Sequence[int]) -> EditForm:
        """The books' fields as the dialog shows them, in the order given (the table's: series
        numbers follow it); books that no longer exist are left out."""
        by_id = {b.id: b for b in Book.select().where(Book.id.in_(list(book_ids)))}
        books = [by_id[book_id] for book_id in dict.fromkeys(book_ids) if book_id in by_id]
        each = [_texts(book) for book in books]
        texts: dict[str, str] = {}
        mixed: set[str] = set()
        for name in each[0] if each else {}:
            found = {values[name] for values in each}
            if len(found) == 1:
                texts[name] = found.pop()
            else:
                texts[name] = ""
                mixed.add(name)
        return EditForm(
            tuple(book.id for book in books), texts, frozenset(mixed), tuple(b.title for b in books)
        )

    def save(self, book_ids: Sequence[int], typed: Mapping[str, str], cover: str | None) -> None:
        """Check and save the changed fields; InvalidValueError (nothing saved) when one is
        wrong, NotFoundError when a book is gone."""
        changes = changes_from_text(typed, Path(cover) if cover else None)
        edit_books(book_ids, changes, self.paths)

    def removal_plans(self, book_ids: Sequence[int]) -> list[RemovalPlan]:
        return plan_removal(book_ids)

    def remove(self, book_ids: Sequence[int], *, trash_files: bool) -> RemovalResult:
        return remove_books(book_ids, self.paths, trash_files=trash_files)
