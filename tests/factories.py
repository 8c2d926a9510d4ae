"""Test data built on the fly: small real EPUB files and library rows."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ebooklib import epub

from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    Author,
    Book,
    BookAuthor,
    BookFile,
    DocumentAlias,
    ReadingState,
)
from tests.new_library import new_library


def make_epub(
    path: Path,
    title: str = "A Book",
    authors: Sequence[str] = ("Ann Author",),
    *,
    language: str = "en",
    identifier: str | None = None,
    isbn: str | None = None,
    body: str = "Hello, reader.",
    version: str = "3.0",
) -> Path:
    """Write a small valid EPUB (EPUB 3 by default, EPUB 2 with version='2.0')."""
    book = epub.EpubBook()
    book.EPUB_VERSION = version
    book.set_identifier(identifier or f"urn:uuid:{abs(hash((title, tuple(authors), body)))}")
    book.set_title(title)
    book.set_language(language)
    for author in authors:
        book.add_author(author)
    if isbn:
        book.add_metadata("DC", "identifier", f"urn:isbn:{isbn}")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang=language)
    chapter.content = f"<html><body><h1>{title}</h1><p>{body}</p></body></html>"
    book.add_item(chapter)
    book.toc = (epub.Link("one.xhtml", "One", "one"),)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    path.parent.mkdir(parents=True, exist_ok=True)
    epub.write_epub(str(path), book)
    return path


def add_book(
    title: str = "A Book",
    authors: Sequence[str] = ("Ann Author",),
    *,
    file: Path | None = None,
    series: str | None = None,
    series_index: float | None = None,
    language: str | None = "en",
    isbn13: str | None = None,
    status: str = "unread",
    added_at: float | None = None,
) -> Book:
    """Insert a book (with its reading state, and a file plus content alias when given)."""
    now = added_at if added_at is not None else time.time()
    book = Book.create(
        title=title,
        sort_title=title.lower(),
        language=language,
        series=series,
        series_index=series_index,
        isbn13=isbn13,
        identifiers={},
        added_at=now,
        updated_at=now,
    )
    for position, name in enumerate(authors):
        author, _ = Author.get_or_create(name=name, defaults={"sort_name": name})
        BookAuthor.create(book=book, author=author, position=position)
    ReadingState.create(book=book, status=status, updated_at=now)
    if file is not None:
        digest = partial_md5(file)
        stat = file.stat()
        book_file = BookFile.create(
            book=book,
            path=str(file),
            format=file.suffix.lstrip(".").lower(),
            size=stat.st_size,
            mtime=stat.st_mtime,
            partial_md5=digest,
            added_at=now,
        )
        DocumentAlias.create(
            document=digest, kind=ALIAS_CONTENT, book=book, book_file=book_file, created_at=now
        )
    return book


@contextmanager
def fresh_library(tmp_path_factory) -> Iterator[Paths]:
    """A new library, open, for one example of a property test: no example sees what an
    earlier one left."""
    paths = resolve_paths(tmp_path_factory.mktemp("library") / "data")
    paths.ensure()
    new_library(paths.db_file)
    open_database(paths.db_file)
    try:
        yield paths
    finally:
        close_database()
