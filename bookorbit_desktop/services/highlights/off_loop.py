"""The Highlights page's search and a book's Highlights box, read in a worker thread on a
connection of their own (`library.store.off_loop`): following what other connections write
(`ui.change_watch`) never holds up the window on a big library."""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.highlights import service as highlights
from bookorbit_desktop.services.highlights.service import HighlightView


@dataclass(frozen=True)
class BookRead:
    """What a book's Highlights box shows: its highlights, and why some are not in Hardcover's
    reading journal (highlight id -> "Refused by Hardcover: <reason>")."""

    views: list[HighlightView]
    refusals: dict[int, str]


async def search(words: str, limit: int) -> list[HighlightView]:
    """`services.highlights.service.search` off the loop."""
    return await off_loop(highlights.search, words, limit)


def _book_read(book_id: int) -> BookRead:
    from bookorbit_desktop.services.hardcover.journal import (
        refusals_by_highlight,  # not at start-up
    )

    return BookRead(highlights.book_highlights(book_id), refusals_by_highlight())


async def book_read(book_id: int) -> BookRead:
    return await off_loop(_book_read, book_id)
