"""Books' titles by id, read off the event loop: what a window lists while it works on books
it knows only by id (the batch metadata fetch)."""

from __future__ import annotations

from collections.abc import Sequence

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.off_loop import off_loop

CHUNK = 500  # ids per query (SQLite's bound-variable limit stays far away)


def read_titles(book_ids: Sequence[int]) -> dict[int, str]:
    """Id -> title of the books that exist (a blocking read; `titles` runs it off-loop)."""
    ids = list(dict.fromkeys(book_ids))
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = Book.select(Book.id, Book.title).where(Book.id.in_(chunk))
        found.update((int(book.id), str(book.title)) for book in query)
    return found


async def titles(book_ids: Sequence[int]) -> dict[int, str]:
    return await off_loop(read_titles, list(book_ids))
