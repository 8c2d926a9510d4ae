"""Two imported copies of one book (an EPUB and a PDF of "Dune"), each with a reading state, a
reading-history session, a highlight, a KOReader position and a shelf; the PDF linked to
Hardcover. `whole` reads everything a book has, to compare before a merge and after its undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges, parse_cover
from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.queries import book_sessions
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.reading.pushes import Push, latest_position, record_push
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import (
    Book,
    BookFile,
    DocumentAlias,
    HardcoverMatch,
    HardcoverSync,
    ProgressEvent,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.user_edits import edited_fields
from tests.factories import make_epub
from tests.library.conftest import write_pdf
from tests.library.history.koreader_file import KoBook, write_statistics

DAY = 86_400
NOW = 20_000 * DAY  # 2024-10-04


def two_copies(paths: Paths, tmp_path: Path) -> tuple[int, int]:
    """(the EPUB's book id, the PDF's)."""
    folder = tmp_path / "books"
    make_epub(folder / "dune.epub", "Dune", ("Frank Herbert",), body="Arrakis. " * 40)
    write_pdf(folder / "dune.pdf", "Dune: Deluxe Edition", "Frank Herbert")
    import_paths([folder], paths, workers=0)
    epub, pdf = (BookFile.get(BookFile.format == kind).book_id for kind in ("epub", "pdf"))
    image = tmp_path / "cover.png"
    from PIL import Image

    Image.new("RGB", (300, 450), (200, 120, 10)).save(image)
    edit_books([pdf], BookChanges(cover=parse_cover(image), series="Dune"), paths)
    md5 = {book: BookFile.get(BookFile.book == book).partial_md5 for book in (epub, pdf)}
    # A position from a Kobo on each copy: the EPUB half read, the PDF read to the end.
    record_push(Push(md5[epub], "/body/p[9]", 0.5, "Kobo", "k1"), timestamp=NOW - 2 * DAY)
    record_push(Push(md5[pdf], "page 300", 1.0, "Boox", "b1"), timestamp=NOW - 5 * DAY)
    ReadingState.update(started="2024-03-01", started_source="user").where(
        ReadingState.book == pdf
    ).execute()
    statistics = write_statistics(
        tmp_path / "statistics.sqlite3",
        [
            KoBook("Dune", "Frank Herbert", md5[epub], 100, [(1, NOW - 3 * DAY, 60, 100)]),
            KoBook(
                "Dune: Deluxe Edition",
                "Frank Herbert",
                md5[pdf],
                300,
                [(5, NOW - 9 * DAY, 90, 300)],
            ),
        ],
    )
    import_statistics(statistics, clock=lambda: NOW)
    for book, text in ((epub, "Fear is the mind-killer."), (pdf, "The spice must flow.")):
        Highlight.create(
            book=book, created=NOW, text=text, note="", source="sidecar", received_at=1.0,
            changed_at=1.0,
        )  # fmt: skip
        database.execute_sql(
            "INSERT INTO shelf_joined (shelf, book_id, joined_at) VALUES (?, ?, ?)",
            (f"shelf-{book}", book, 1.0),
        )
    HardcoverMatch.create(book=epub, state="unmatched", updated_at=1.0)
    HardcoverMatch.create(
        book=pdf, state="linked", hc_book_id=77, hc_edition_id=78, user_book_id=79, updated_at=1.0
    )
    HardcoverSync.create(
        book=pdf, hc_book_id=77, user_book_id=79, snapshot={"status": "read"}, state="synced",
        updated_at=1.0,
    )  # fmt: skip
    return epub, pdf


def _table(sql: str, book_id: int) -> list[tuple[Any, ...]]:
    return sorted(database.execute_sql(sql, (book_id,)).fetchall())


def whole(book_id: int, paths: Paths) -> dict[str, Any]:
    """Everything of one book that a merge touches."""
    book = Book.get_by_id(book_id)
    state = ReadingState.get_or_none(ReadingState.book == book_id)
    return {
        "book": (book.id, book.title, book.series, book.author_names(), book.added_at,
                 book.isbn13),
        "reading": None if state is None else (
            state.status, state.progress, state.started, state.finished, state.rating,
            state.started_source, state.finished_source, state.koreader_progress),
        "files": _table("SELECT id, path, format FROM book_file WHERE book_id = ?", book_id),
        "aliases": sorted((a.id, a.document, a.kind, a.book_file_id) for a in
                          DocumentAlias.select().where(DocumentAlias.book == book_id)),
        "pushes": _table("SELECT id, document, progress FROM progress_event WHERE book_id = ?",
                         book_id),
        "sessions": book_sessions(book_id),
        "highlights": _table("SELECT id, text FROM highlight WHERE book_id = ?", book_id),
        "shelves": _table("SELECT shelf FROM shelf_joined WHERE book_id = ?", book_id),
        "hardcover": _table("SELECT state, hc_book_id, user_book_id FROM hardcover_match"
                            " WHERE book_id = ?", book_id),
        "sync": _table("SELECT hc_book_id, state FROM hardcover_sync WHERE book_id = ?", book_id),
        "marks": edited_fields(book_id),
        "cover": cover_file(paths, book.cover_path).read_bytes() if book.cover_path else None,
        "positions": [latest_position(document) for (_, document, _) in
                      _table("SELECT id, document, kind FROM document_alias WHERE book_id = ?",
                             book_id)],
        "events": ProgressEvent.select().where(ProgressEvent.book == book_id).count(),
    }  # fmt: skip
