"""Every book's reading status kept one byte a book (`BookStatuses`), so that the library
table's status counts follow a change without counting every book again."""

from __future__ import annotations

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import OUTSIDE_INBOX

_NO_BOOK = 255  # the status code of an id no book has


class BookStatuses:
    """Every book's reading status, one byte a book at the book's id (250 KB for 250,000
    books): the status counts follow a change to some books without counting every book
    again, and are counted from it in a millisecond."""

    def __init__(self) -> None:
        self._codes = bytearray()
        self._index: dict[str, int] = {}  # status -> its code

    @classmethod
    def read(cls) -> BookStatuses:
        """The statuses as the library has them now (a book without a reading state is
        unread) of the table's books: those waiting in the Inbox are not counted."""
        statuses = cls()
        rows = database.execute_sql(
            "SELECT b.id, coalesce(r.status, 'unread') FROM book b"
            f" LEFT OUTER JOIN reading_state r ON r.book_id = b.id WHERE {OUTSIDE_INBOX}"
        ).fetchall()
        codes = statuses._codes = bytearray([_NO_BOOK]) * (max((r[0] for r in rows), default=0) + 1)
        index = statuses._index
        for book_id, status in rows:
            code = index.get(status)
            codes[book_id] = index.setdefault(status, len(index)) if code is None else code
        return statuses

    def set(self, book_id: int, status: str) -> None:
        """Book `book_id`'s status is now `status`."""
        code = self._index.setdefault(status, len(self._index))
        codes = self._codes
        if book_id >= len(codes):
            codes.extend(bytes([_NO_BOOK]) * (book_id + 1 - len(codes)))
        codes[book_id] = code

    def drop(self, book_id: int) -> None:
        """Book `book_id` is no longer one of the table's books (removed, or in the Inbox)."""
        if book_id < len(self._codes):
            self._codes[book_id] = _NO_BOOK

    def counts(self) -> dict[str, int]:
        """How many books have each status (those no book has left out)."""
        found = {name: self._codes.count(code) for name, code in self._index.items()}
        return {name: count for name, count in found.items() if count}
