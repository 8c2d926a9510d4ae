"""Schema: the sort keys of the library table's optional columns, stored beside the others in
`book_sort_key` (kept in a module of its own so `migrations` stays within the module size;
frozen like every shipped migration).

Each book's row gains, as `sort_keys_schema` keeps the others (read from an index of (key,
sort_title), so a sort of any size of library reads no book it does not show):

- `added`: when the book was added (`book.added_at`);
- `publisher`, `language`: folded (`bookorbit_fold`), an empty one as an empty BLOB (after
  every text);
- `size`: the size of the book's files in bytes (0 without one);
- `last_read`: the server time of the latest progress a device pushed for the book (the pushes
  of a book are numbered in the order they arrived), 0 when none did.

Triggers keep them in the same transaction as every write that changes them: a book added or
with another publisher, language or date added (the book's row written afresh, with its
author key, `author_sort_schema`), a file added, removed or of another size or book, a push
recorded, moved to another book or removed.
"""

from __future__ import annotations

from bookorbit_desktop.library.store.author_sort_schema import _book_refresh
from bookorbit_desktop.library.store.sort_keys_schema import (
    _BOOK_COLUMNS,
    _folded,
    _last_if_empty,
    _trigger,
)

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from collections.abc import Callable

    from peewee import SqliteDatabase

_PUBLISHER = _last_if_empty(_folded("coalesce(b.publisher, '')"))
_LANGUAGE = _last_if_empty(_folded("coalesce(b.language, '')"))
_BOOK_FACTS = (
    f"(added, publisher, language) = (SELECT b.added_at, {_PUBLISHER}, {_LANGUAGE}"
    " FROM book b WHERE b.id = book_sort_key.book_id)"
)
_SIZE = (
    "size = coalesce((SELECT sum(f.size) FROM book_file f"
    " WHERE f.book_id = book_sort_key.book_id), 0)"
)
_LAST_READ = (
    "last_read = coalesce((SELECT e.timestamp FROM progress_event e"
    " WHERE e.book_id = book_sort_key.book_id ORDER BY e.id DESC LIMIT 1), 0)"
)


def _set(*assignments: str) -> Callable[[str], str]:
    """The statement writing these columns of the rows of some books afresh."""
    columns = ", ".join(assignments)
    return lambda books: f"UPDATE book_sort_key SET {columns} WHERE book_id IN ({books});"


_size = _set(_SIZE)
_last_read = _set(_LAST_READ)
_all = _set(_BOOK_FACTS, _SIZE, _LAST_READ)


def _book_row(books: str) -> str:
    """The statements writing the whole rows of `books` afresh, these columns too."""
    return f"{_book_refresh(books)} {_all(books)}"


_BOOK_FACT_COLUMNS = (*_BOOK_COLUMNS, "added_at", "publisher", "language")
_KEYS = ("added", "publisher", "language", "size", "last_read")


def column_keys(db: SqliteDatabase) -> None:
    """Schema: the optional columns' keys in `book_sort_key`, their indexes and triggers."""
    for key in _KEYS:
        db.execute_sql(f"ALTER TABLE book_sort_key ADD COLUMN {key}")
    db.execute_sql(_all("SELECT book_id FROM book_sort_key"))
    for trigger in ("book_insert", "book_update"):
        db.execute_sql(f"DROP TRIGGER book_sort_key_{trigger}")
    statements = [
        *(
            f"CREATE INDEX book_sort_key_{key} ON book_sort_key ({key}, sort_title)"
            for key in _KEYS
        ),
        _trigger("book_insert", "AFTER INSERT ON book", "NEW.id", write=_book_row),
        _trigger(
            "book_update",
            f"AFTER UPDATE OF {', '.join(_BOOK_FACT_COLUMNS)} ON book",
            "OLD.id, NEW.id",
            changed=_BOOK_FACT_COLUMNS,
            write=_book_row,
        ),
        _trigger("size_insert", "AFTER INSERT ON book_file", "NEW.book_id", write=_size),
        _trigger(
            "size_update",
            "AFTER UPDATE OF book_id, size ON book_file",
            "OLD.book_id, NEW.book_id",
            changed=("book_id", "size"),
            write=_size,
        ),
        _trigger("size_delete", "AFTER DELETE ON book_file", "OLD.book_id", write=_size),
        _trigger("push_insert", "AFTER INSERT ON progress_event", "NEW.book_id", write=_last_read),
        _trigger(
            "push_update",
            "AFTER UPDATE OF book_id ON progress_event",
            "OLD.book_id, NEW.book_id",
            changed=("book_id",),
            write=_last_read,
        ),
        _trigger("push_delete", "AFTER DELETE ON progress_event", "OLD.book_id", write=_last_read),
    ]
    for statement in statements:
        db.execute_sql(statement)
