"""The "edited by the user" marks: one row per book and field the user changed.

An import that re-reads a book's file leaves a marked field as the user set it; the window, the
command line and metadata sources edit through `library.editing`, which sets the marks. The
table's SQL is the migration `edit_marks`.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from peewee import AutoField, FloatField, ForeignKeyField, TextField

from bookorbit_desktop.library.store.models import BaseModel, Book, database


class BookEdit(BaseModel):
    """`field` of `book` holds the user's value (a name from `library.editing.values.FIELDS`)."""

    id = AutoField()
    book = ForeignKeyField(Book, backref="edits", on_delete="CASCADE")
    book_id: int
    field = TextField()
    edited_at = FloatField()  # Unix seconds

    class Meta:
        table_name = "book_edit"
        indexes = ((("book", "field"), True),)


def edited_fields(book_id: int) -> frozenset[str]:
    """The fields of `book_id` the user edited."""
    return edited_fields_of([book_id])[book_id]


def edited_fields_of(book_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """The fields each of `book_ids` has the user's value in, in one query however many."""
    found: dict[int, set[str]] = {book_id: set() for book_id in book_ids}
    rows = database.execute_sql(
        "SELECT book_id, field FROM book_edit WHERE book_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(found)),),
    )
    for book_id, field in rows:
        found[book_id].add(str(field))
    return {book_id: frozenset(fields) for book_id, fields in found.items()}


def mark_edited(book_id: int, fields: set[str] | frozenset[str], now: float) -> None:
    """Mark `fields` of `book_id` as the user's (call inside the edit's transaction)."""
    database.cursor().executemany(
        "INSERT INTO book_edit (book_id, field, edited_at) VALUES (?, ?, ?) "
        "ON CONFLICT (book_id, field) DO UPDATE SET edited_at = excluded.edited_at",
        [(book_id, field, float(now)) for field in sorted(fields)],
    )


def edit_rows(book_id: int) -> list[list[object]]:
    """The marks of `book_id` whole, as [id, field, edited_at], for a step to keep."""
    rows = database.execute_sql(
        "SELECT id, field, edited_at FROM book_edit WHERE book_id = ? ORDER BY id", (book_id,)
    )
    return [list(row) for row in rows]


def put_back_rows(book_id: int, rows: list[list[object]]) -> bool:
    """Give `book_id` its kept marks (`edit_rows`) again with their ids (where free) and times,
    when it has marks on the same fields now (an undo's values put back); whether it did."""
    if edited_fields(book_id) != {str(field) for _id, field, _at in rows}:
        return False
    database.execute_sql("DELETE FROM book_edit WHERE book_id = ?", (book_id,))
    for mark_id, field, edited_at in rows:
        taken = database.execute_sql("SELECT 1 FROM book_edit WHERE id = ?", (mark_id,)).fetchone()
        database.execute_sql(
            "INSERT INTO book_edit (id, book_id, field, edited_at) VALUES (?, ?, ?, ?)",
            (None if taken else mark_id, book_id, field, edited_at),
        )
    return True
