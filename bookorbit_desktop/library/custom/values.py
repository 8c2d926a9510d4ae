"""Setting books' custom values: one book's or many at once, checked first, one step of the
change journal (recorded with the books' other values, so undo takes them back)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.custom.kinds import Column, parse
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.models import Book, database


def parse_assignments(texts: Sequence[str]) -> dict[int, Any]:
    """`#name=value` (or `name=value`; an empty value clears) as column id -> checked value;
    InvalidValueError or NotFoundError for a wrong one."""
    found: dict[int, Any] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        if not equals or not name.strip():
            raise InvalidValueError(f"“{text}” is not #name=value.")
        column = store.named(name.strip())
        found[column.id] = parse(column, value)
    return found


def parse_typed(typed: Mapping[Column, str]) -> dict[int, Any]:
    """The texts typed per column, checked: column id -> value."""
    return {column.id: parse(column, text) for column, text in typed.items()}


def set_values(
    book_ids: Sequence[int],
    values: Mapping[int, Any],
    paths: Paths | None = None,
    *,
    clock: Callable[[], float] = time.time,
    step: int | None = None,
) -> list[int]:
    """Give every book of `book_ids` the `values` (column id -> checked value, None clears),
    as one step ("Edit “Emma”", "Edit 3 Books"), or as part of `step`; return the ids.
    NotFoundError when a book is missing; nothing is written then."""
    ids = list(dict.fromkeys(book_ids))
    if not ids or not values:
        raise InvalidValueError("Nothing to change. Give at least one book and one value.")
    with database.atomic("IMMEDIATE"):
        found = {book.id: book for book in Book.select().where(Book.id.in_(ids))}
        check_found(ids, found)
        label = books_label("Edit", [found[book_id].title for book_id in ids])
        now = clock()
        with recording(label, ids, paths=paths, covers=False, step=step, clock=clock):
            for book_id in ids:
                for column_id, value in values.items():
                    store.write(book_id, column_id, value)
            Book.update(updated_at=now).where(Book.id.in_(ids)).execute()
    return ids
