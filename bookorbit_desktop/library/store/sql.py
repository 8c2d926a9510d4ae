"""Pieces of plain SQL text the library's hand-written queries share.

Queries on hot paths (pushes, the window's table, OPDS pages) are plain SQL with parameters;
this module builds the parts of them that depend on how many values there are.
"""

from __future__ import annotations

from collections.abc import Collection

# The books waiting in the Inbox (`store.inbox`) for the user's approval.
INBOX_IDS = "(SELECT book_id FROM book_inbox)"


def outside_inbox(book_id: str = "b.id") -> str:
    """The condition true of a book that is not waiting in the Inbox: the one rule every list
    of the library (the window's table, the catalog, Hardcover) applies."""
    return f"{book_id} NOT IN {INBOX_IDS}"


OUTSIDE_INBOX = outside_inbox()


def available(book_id: str = "b.id") -> str:
    """The condition a listed book meets (the catalog's lists and search): it has a file that
    is not missing, and it is not waiting in the Inbox. `book_id` names the book's id."""
    return (
        f"EXISTS (SELECT 1 FROM book_file f WHERE f.book_id = {book_id} AND f.missing = 0)"
        f" AND {outside_inbox(book_id)}"
    )


AVAILABLE = available()  # `b` names the book in the query


def marks(values: Collection[object]) -> str:
    """The parameter marks of an `IN (...)` list of `values`: "?, ?, ?"."""
    return ", ".join("?" * len(values))


def in_list(column: str, values: Collection[object]) -> str:
    """`column IN (?, ?, …)` for `values`; with none, a condition no row meets (SQLite accepts
    `IN ()`, other readers of the text may not)."""
    return f"{column} IN ({marks(values)})" if values else "0"
