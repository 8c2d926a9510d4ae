"""The fake Hardcover's lists, and edits made on hardcover.app (not through the API).

A test (or a benchmark) calls these to do what the user does on the website: put a book on
Want to Read, rate it, finish it on paper, change privacy or dates, add a book to a list. Each
stamps `updated_at` as Hardcover does, so the app's incremental pull sees it.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.hardcover_catalog import Catalog

_ENTRY_COLUMNS = frozenset(
    {"status_id", "rating", "privacy_setting_id", "edition_id", "date_added"}
)
_READ_COLUMNS = frozenset({"started_at", "finished_at", "progress_pages", "edition_id"})


def edit_entry(catalog: Catalog, user_book_id: int, **columns: Any) -> dict[str, Any]:
    """Change an entry's own columns as the website does (no side effects on its reads)."""
    unknown = set(columns) - _ENTRY_COLUMNS
    if unknown:
        raise KeyError(f"not an entry column: {sorted(unknown)}")
    row = catalog.tables["user_books"][user_book_id]
    row.update(columns)
    catalog.touch(user_book_id)
    return row


def edit_read(
    catalog: Catalog, read_id: int, *, touch: bool = True, **columns: Any
) -> dict[str, Any]:
    """Change one of an entry's reads ("Dates Read") as the website does. `touch=False`: the
    entry's `updated_at` stays (nothing in the schema says it moves)."""
    unknown = set(columns) - _READ_COLUMNS
    if unknown:
        raise KeyError(f"not a read column: {sorted(unknown)}")
    read = catalog.tables["user_book_reads"][read_id]
    read.update(columns)
    if touch:
        catalog.touch(read["user_book_id"])
    return read


def add_read(catalog: Catalog, user_book_id: int, *, touch: bool = True, **columns: Any) -> int:
    """Add a read to an entry's "Dates Read" as the website does (`touch` as in `edit_read`)."""
    unknown = set(columns) - _READ_COLUMNS
    if unknown:
        raise KeyError(f"not a read column: {sorted(unknown)}")
    if touch:
        catalog.touch(user_book_id)
    return catalog._insert("user_book_reads", {"user_book_id": user_book_id, **columns})


def delete_read(catalog: Catalog, read_id: int, *, touch: bool = True) -> None:
    """Delete one of an entry's reads as the website does (`touch` as in `edit_read`)."""
    read = catalog.delete_row("user_book_reads", read_id)
    if read is not None and touch:
        catalog.touch(read["user_book_id"])


def add_list(catalog: Catalog, user_id: int, name: str, book_ids: tuple[int, ...] = ()) -> int:
    list_id = catalog._insert(
        "lists",
        {"user_id": user_id, "name": name, "slug": name.lower().replace(" ", "-")},
    )
    catalog.tables["lists"][list_id]["updated_at"] = catalog.stamp()
    for book_id in book_ids:
        add_to_list(catalog, list_id, book_id)
    return list_id


def add_to_list(catalog: Catalog, list_id: int, book_id: int) -> int:
    """Put a book on a list; the list's `updated_at` and `books_count` follow."""
    row = catalog._insert(
        "list_books", {"list_id": list_id, "book_id": book_id, "date_added": catalog.stamp()}
    )
    listed = catalog.tables["lists"][list_id]
    listed["books_count"] = listed.get("books_count", 0) + 1
    listed["updated_at"] = catalog.stamp()
    return row


def remove_from_list(catalog: Catalog, list_id: int, book_id: int) -> None:
    for row in list(catalog.tables["list_books"].values()):
        if row["list_id"] == list_id and row["book_id"] == book_id:
            catalog.delete_row("list_books", row["id"])
    listed = catalog.tables["lists"][list_id]
    listed["books_count"] = max(0, listed.get("books_count", 0) - 1)
    listed["updated_at"] = catalog.stamp()
