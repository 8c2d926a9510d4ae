"""Which library book a KOReader document is, by one rule for kosync pushes, highlights and the
reading history (a statistics file's md5 is a document id too).

The DocumentAlias rows with that document, strongest kind first (a manual link, then the file's
content hash, then a download's file name, then a metadata match made by earlier versions). If
the strongest kind names several books (two files whose sampled bytes collide, or one file
imported twice) nothing is picked: guessing could mark the wrong book as read. The document
stays "unlinked", is listed with its candidates, and the user links it; a manual link then
outranks the collision.

It reads nothing itself: the caller passes the aliases (`pushes.resolve_document` reads those of
one document, the history's queries those of every md5).
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    ALIAS_FILENAME,
    ALIAS_MANUAL,
    ALIAS_METADATA,
)

# Strongest first: a user's decision beats a content hash, which beats a file name digest,
# which beats a title/author guess.
ALIAS_PRIORITY = (ALIAS_MANUAL, ALIAS_CONTENT, ALIAS_FILENAME, ALIAS_METADATA)
_RANK = {kind: rank for rank, kind in enumerate(ALIAS_PRIORITY)}


@dataclass(frozen=True)
class Resolution:
    book_id: int | None = None
    candidates: tuple[int, ...] = ()  # several books and no way to choose


def resolution_of(aliases: list[tuple[int, str]]) -> Resolution:
    best: int | None = None
    books: set[int] = set()
    for book_id, kind in aliases:
        rank = _RANK.get(kind, len(_RANK))
        if best is None or rank < best:
            best, books = rank, {book_id}
        elif rank == best:
            books.add(book_id)
    if len(books) == 1:
        return Resolution(book_id=next(iter(books)))
    return Resolution(candidates=tuple(sorted(books)))
