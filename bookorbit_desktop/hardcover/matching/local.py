"""A library book as matching sees it, and the digest that says when to look at it again.

`local_book` reads what matching compares (title, authors, language, series, ISBNs, formats,
any Hardcover id the file carried); `fingerprint` digests it, so a metadata edit makes the
book worth matching again (`store.needs_matching`); `eligible_books` are those matching looks at.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from peewee import SQL

from bookorbit_desktop.hardcover.matching.normalize import normalize_language
from bookorbit_desktop.hardcover.matching.scoring import LocalBook
from bookorbit_desktop.library.metadata.isbn import parse_isbn
from bookorbit_desktop.library.store.models import Book, BookFile, ReadingState
from bookorbit_desktop.library.store.sql import INBOX_IDS


def local_book(book: Book) -> LocalBook:
    """The matching view of a library book."""
    formats = BookFile.select(BookFile.format).where(
        (BookFile.book == book.id) & (BookFile.missing == False)  # noqa: E712
    )
    isbn13 = parse_isbn(book.isbn13) if book.isbn13 else None
    isbn10 = parse_isbn(book.isbn10) if book.isbn10 else None
    return LocalBook(
        title=book.title,
        authors=tuple(book.author_names()),
        language=normalize_language(book.language),
        series=book.series,
        series_index=book.series_index,
        isbn13=isbn13.isbn13 if isbn13 else None,
        isbn10=isbn10.isbn10 if isbn10 else None,
        file_formats=frozenset(f.format.lower() for f in formats),
        hardcover_id=book.hardcover_id,
        hardcover_slug=book.hardcover_slug,
        hardcover_edition_id=hardcover_edition_id(book.identifiers),
    )


def hardcover_edition_id(identifiers: object) -> int | None:
    """The Hardcover edition id a file carried (`hardcover-edition:…`, or an old-style
    numeric `hardcover:…`), from the book's identifiers."""
    if not isinstance(identifiers, dict):
        return None
    for scheme in ("hardcover-edition", "hardcover"):
        value = str(identifiers.get(scheme) or "").strip()
        if value.isdigit():
            return int(value)
    return None


def fingerprint(local: LocalBook) -> str:
    """A short digest of the metadata matching uses; it changes when the metadata does."""
    fields = [
        local.title,
        list(local.authors),
        local.language,
        local.series,
        local.series_index,
        local.isbn13,
        local.isbn10,
        local.hardcover_id,
        local.hardcover_slug,
        sorted(local.file_formats),
        *([local.hardcover_edition_id] if local.hardcover_edition_id else []),
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()[:20]


def eligible_books(
    book_ids: Iterable[int] | None = None, *, include_unread: bool = False
) -> list[Book]:
    """Books worth matching: every status other than unread, unless unread books are asked
    for too (in library order)."""
    query = Book.select(Book).join(ReadingState).order_by(Book.id)
    query = query.where(Book.id.not_in(SQL(INBOX_IDS)))  # approved books only (store.inbox)
    if not include_unread:
        query = query.where(ReadingState.status != "unread")
    if book_ids is not None:
        query = query.where(Book.id.in_(list(book_ids)))
    return list(query)
