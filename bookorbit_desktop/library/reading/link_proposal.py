"""Which library book an unlinked KOReader document probably is, from the metadata it sent.

With "Send document metadata" on, KOReader sends the file's name (no folder), its title and its
authors beside a push. For a document no alias names, the library proposes a book: the only
book with a file of exactly that name, else the only book whose title and authors agree
(`document_match`). This is a proposal for the user's Link dialog, never a link: KOReader sends
no size and no content hash, and two copies of "book.epub" are common, so neither a file name
nor a title and author is proof enough to link without the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.document_match import match_book_by_metadata
from bookorbit_desktop.library.store.models import database

BY_FILENAME = "file name"
BY_TITLE = "title and author"


@dataclass(frozen=True)
class Proposal:
    book_id: int
    reason: str  # BY_FILENAME or BY_TITLE


def books_with_file_name(filename: str) -> set[int]:
    """The books holding a file named exactly `filename` (in any folder)."""
    if not filename or "/" in filename or "\\" in filename:
        return set()
    found = database.execute_sql(
        "SELECT book_id, path FROM book_file WHERE substr(path, -?) = ?",
        (len(filename), filename),
    ).fetchall()
    books = set()
    for book_id, path in found:
        before = path[: len(path) - len(filename)]
        if before == "" or before.endswith(("/", "\\")):
            books.add(book_id)
    return books


def propose_book(document: str) -> Proposal | None:
    """The book the document's newest metadata points at, when exactly one does."""
    title, authors, filename = rows.latest_metadata(document)
    if filename:
        books = books_with_file_name(filename)
        if len(books) == 1:
            return Proposal(next(iter(books)), BY_FILENAME)
    book_id = match_book_by_metadata(title, authors)
    return Proposal(book_id, BY_TITLE) if book_id is not None else None
