"""The one check that the books an edit, a removal or a tag change names are in the library:
NotFoundError naming each id that is not, before anything is written."""

from __future__ import annotations

from collections.abc import Container, Iterable

from bookorbit_desktop.errors import NotFoundError


def check_found(book_ids: Iterable[int], found: Container[int]) -> None:
    """NotFoundError naming each of `book_ids` that is not among `found` (the books there are)."""
    missing = [str(book_id) for book_id in book_ids if book_id not in found]
    if missing:
        raise NotFoundError(
            f"There is no book with id {', '.join(missing)}. List the library with "
            "`bookorbit-desktop books`."
        )
