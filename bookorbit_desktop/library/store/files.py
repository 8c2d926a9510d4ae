"""Book files that disappeared from disk: flagged missing, never deleted with their book.

A file removed from a watched folder keeps its book, reading state and KOReader aliases; it is
only marked missing (the catalog stops offering it). When the same bytes turn up at another
path the importer moves the file record there, and when it comes back it is cleared again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from bookorbit_desktop.library.store.models import BookFile, database


def inside(path: str, folders: list[str]) -> bool:
    """`path` is one of `folders` or lies in one of them."""
    return any(
        path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders
    )


def mark_missing_under(
    folders: Iterable[str], exists: Callable[[str], bool] = os.path.exists
) -> int:
    """Flag the files recorded under `folders` that are gone; returns how many were flagged."""
    roots = [os.path.normpath(folder) for folder in folders]
    if not roots:
        return 0
    rows = BookFile.select(BookFile.id, BookFile.path).where(BookFile.missing == False)  # noqa: E712
    gone = [row.id for row in rows if inside(row.path, roots) and not exists(row.path)]
    with database.atomic():
        for start in range(0, len(gone), 500):
            BookFile.update(missing=True).where(
                BookFile.id.in_(gone[start : start + 500])
            ).execute()
    return len(gone)
