"""The cover files of many books at once, for lists that show covers beside their rows.

A list asks for the covers of the rows on screen; each is read from the library (and made from
the book's file the first time, 10-20 ms) in a worker thread on its own connection, so
scrolling a long list never holds up the window. A book without a usable cover of its own
gets its generated cover (`library.metadata.generated_cover`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.metadata.covers import ensure_cover
from bookorbit_desktop.library.metadata.generated_cover import generated_covers
from bookorbit_desktop.library.store.models import Book, BookFile
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.typed import tuples


async def cover_files(paths: Paths, book_ids: Sequence[int]) -> dict[int, str]:
    """The absolute cover file of each of `book_ids`: its own, else its generated one."""
    return await off_loop(_cover_files, paths, list(book_ids))


def _cover_files(paths: Paths, book_ids: list[int]) -> dict[int, str]:
    covers: dict[int, str | None] = dict(
        tuples(
            Book.select(Book.id, Book.cover_path).where(
                Book.id.in_(book_ids) & Book.cover_path.is_null(False)
            )
        )
    )
    sources: dict[int, list[Path]] = defaultdict(list)
    for book_id, path in tuples(
        BookFile.select(BookFile.book, BookFile.path).where(
            BookFile.book.in_(list(covers)) & (BookFile.missing == False)  # noqa: E712
        )
    ):
        sources[book_id].append(Path(path))
    found = {}
    for book_id, cover_path in covers.items():
        if cover_path and (cover := ensure_cover(paths, cover_path, sources[book_id])):
            found[book_id] = str(cover)
    missing = [book_id for book_id in book_ids if book_id not in found]
    found.update(
        (book_id, str(cover)) for book_id, cover in generated_covers(paths, missing).items()
    )
    return found
