"""The window's side of editing and removing books: the fields as text for the Edit dialog, and
the save and the removal through the library's operations (`library.editing`, with the tags:
`library.tags.edit`), so the window and `books edit` / `books remove` check and store the same
way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.custom import store as custom_store
from bookorbit_desktop.library.custom.kinds import Column, column_of, shown
from bookorbit_desktop.library.custom.values import custom_values
from bookorbit_desktop.library.editing.removal import (
    RemovalPlan,
    RemovalResult,
    plan_removal,
    remove_books,
)
from bookorbit_desktop.library.editing.trash import trash_supported as trash_supported
from bookorbit_desktop.library.editing.values import SHARED_FIELDS as SHARED_FIELDS
from bookorbit_desktop.library.editing.values import changes_from_text
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.tags.edit import edit_with_tags
from bookorbit_desktop.library.tags.names import key, ordered, parse_tags
from bookorbit_desktop.library.tags.store import book_tags, tag_counts

TAG_FIELDS = ("tags", "add_tags", "remove_tags")


@dataclass(frozen=True)
class EditForm:
    """What the dialog shows: each field's text where every book agrees; `mixed` names the
    fields where the books differ (shown empty, changed only when the user types)."""

    book_ids: tuple[int, ...]
    texts: dict[str, str]
    mixed: frozenset[str]
    titles: tuple[str, ...]  # the books' titles, for the dialog's heading
    # Each tag of the books with how many of them carry it; every tag of the library (for
    # completion). The typed tags are "tags" (one book: all its tags) or "add_tags" and
    # "remove_tags" (several books), each a line of tags separated by commas.
    tag_counts: tuple[tuple[str, int], ...] = ()
    known_tags: tuple[str, ...] = ()
    custom: tuple[Column, ...] = ()  # the custom columns, their texts in `texts` by `key`


def identifiers_text(book: Book) -> str:
    """The book's identifiers as `books edit --identifiers` and the Edit dialog take them, one a
    line, its ISBN first (the one the book's ISBN fields hold)."""
    isbn = book.isbn13 or book.isbn10
    others = {k: v for k, v in (book.identifiers or {}).items() if not (isbn and k == "isbn")}
    ids = {"isbn": isbn, **others} if isbn else others
    return "\n".join(f"{scheme}:{value}" for scheme, value in ids.items())


def _texts(book: Book, languages: Sequence[str]) -> dict[str, str]:
    index = book.series_index
    return {
        "title": book.title,
        "subtitle": book.subtitle or "",
        "published": book.published or "",
        "pages": "" if book.pages is None else str(book.pages),
        "identifiers": identifiers_text(book),
        "authors": " & ".join(book.author_names()),
        "series": book.series or "",
        "series_index": "" if index is None else f"{index:g}",
        "language": ", ".join(languages),
        "publisher": book.publisher or "",
        "description": book.description or "",
    }


def book_texts(book_id: int) -> dict[str, str]:
    """One book's fields as the Edit dialog shows them (NotFoundError when it is gone)."""
    found = {book.id: book for book in Book.select().where(Book.id == book_id)}
    check_found([book_id], found)
    return _texts(found[book_id], languages_of([book_id])[book_id])


class BookEditService:
    def __init__(self, paths: Paths) -> None:
        self.paths = paths

    def form(self, book_ids: Sequence[int]) -> EditForm:
        """The books' fields as the dialog shows them, in the order given (the table's: series
        numbers follow it); books that no longer exist are left out."""
        by_id = {b.id: b for b in Book.select().where(Book.id.in_(list(book_ids)))}
        books = [by_id[book_id] for book_id in dict.fromkeys(book_ids) if book_id in by_id]
        columns = tuple(custom_store.columns())
        values = custom_store.book_values([book.id for book in books])
        languages = languages_of(book.id for book in books)
        each = [
            _texts(book, languages[book.id])
            | {c.key: shown(values[book.id].get(c.id)) for c in columns}
            for book in books
        ]
        texts: dict[str, str] = {}
        mixed: set[str] = set()
        for name in each[0] if each else {}:
            found = {values[name] for values in each}
            if len(found) == 1:
                texts[name] = found.pop()
            else:
                texts[name] = ""
                mixed.add(name)
        ids = tuple(book.id for book in books)
        carried = Counter(name for names in book_tags(ids).values() for name in names)
        return EditForm(
            ids,
            texts,
            frozenset(mixed),
            tuple(b.title for b in books),
            tuple((name, carried[name]) for name in ordered(carried)),
            tuple(tag.name for tag in tag_counts()),
            columns,
        )

    def save(self, book_ids: Sequence[int], typed: Mapping[str, str], cover: str | None) -> None:
        """Check and save the changed fields; InvalidValueError (nothing saved) when one is
        wrong, NotFoundError when a book is gone."""
        custom = custom_values({n: t for n, t in typed.items() if column_of(n) is not None})
        fields = {n: t for n, t in typed.items() if n not in TAG_FIELDS and column_of(n) is None}
        changes = changes_from_text(fields, Path(cover) if cover else None)
        add = parse_tags(typed.get("add_tags", ""))
        remove = parse_tags(typed.get("remove_tags", ""))
        if "tags" in typed:  # one book's tags as a whole: what to add and remove
            wanted = parse_tags(typed["tags"])
            held = [name for names in book_tags(book_ids).values() for name in names]
            add = [name for name in wanted if key(name) not in {key(n) for n in held}]
            remove = [name for name in held if key(name) not in {key(n) for n in wanted}]
        edit_with_tags(book_ids, changes, self.paths, add=add, remove=remove, custom=custom)

    def removal_plans(self, book_ids: Sequence[int]) -> list[RemovalPlan]:
        return plan_removal(book_ids)

    def remove(self, book_ids: Sequence[int], *, trash_files: bool) -> RemovalResult:
        return remove_books(book_ids, self.paths, trash_files=trash_files)
