"""An edit of books' fields, tags and custom columns' values together (the Edit dialog's Save,
`books edit` with tags): one step of the change journal, and nothing saved when a part is
refused."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.custom.values import set_values
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.journal.record import EDIT, finish_step, start_step
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.tags.changes import change_tags


def edit_with_tags(
    book_ids: Sequence[int],
    changes: BookChanges,
    paths: Paths,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    custom: Mapping[int, Any] | None = None,
    clock: Callable[[], float] = time.time,
) -> list[int]:
    """Save `changes`, add and remove the tags and set the `custom` values (column id ->
    checked value) on every book of `book_ids`, as one step; the ids saved. The errors are
    those of `edit_books`, `change_tags` and `set_values`."""
    ids = list(dict.fromkeys(book_ids))
    tagged, edited = bool(add or remove), bool(changes.changed())
    if not tagged and not custom:
        return edit_books(ids, changes, paths, clock=clock)
    if not edited and not custom:
        change_tags(ids, paths, add=add, remove=remove, clock=clock)
        return ids
    if not edited and not tagged and custom:
        return set_values(ids, custom, paths, clock=clock)
    titles = [book.title for book in Book.select(Book.title).where(Book.id.in_(ids))]
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        step = start_step(EDIT, "Edit", clock(), paths)
        saved = edit_books(ids, changes, paths, clock=clock, step=step) if edited else ids
        if tagged:
            change_tags(ids, paths, add=add, remove=remove, clock=clock, step=step)
        if custom:
            set_values(ids, custom, paths, clock=clock, step=step)
        finish_step(step, lambda _count: books_label("Edit", titles))
    return saved
