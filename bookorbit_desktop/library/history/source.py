"""Reading a KOReader `statistics.sqlite3`, always from a private copy.

The stored upload is kept byte for byte (other devices merge against it), and Kobo uploads
arrive in WAL mode, which SQLite cannot open read-only without writing beside the file: so
the file is copied into a temporary folder first and only the copy is opened. A file that is
not a KOReader statistics database is refused with a clear message, and nothing is imported.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError

_BOOK_COLUMNS = {"id", "title", "authors", "md5", "pages"}
_ROW_COLUMNS = {"id_book", "page", "start_time", "duration", "total_pages"}


class StatisticsFileError(BookOrbitError):
    title = "Not a KOReader statistics file"


@dataclass(frozen=True, slots=True)
class SourceBook:
    id: int  # the id inside this file only
    title: str
    authors: str
    md5: str  # "" when the file has none (very old KOReader)
    pages: int  # 0 when unknown
    fingerprint: str  # a summary of this book's rows in the file: equal means nothing new


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


@contextlib.contextmanager
def opened_copy(path: Path) -> Iterator[tuple[sqlite3.Connection, Path]]:
    """A connection to a private copy of `path` (and the copy's path), checked to have
    KOReader's tables."""
    with tempfile.TemporaryDirectory(prefix="bookorbit-statistics-") as folder:
        copy = Path(folder) / "statistics.sqlite3"
        try:
            shutil.copyfile(path, copy)
        except OSError as error:
            raise StatisticsFileError(
                f"Could not read {path}: {error.strerror or error}."
            ) from error
        db = sqlite3.connect(copy)
        try:
            try:
                book, rows = _columns(db, "book"), _columns(db, "page_stat_data")
            except sqlite3.DatabaseError as error:
                raise StatisticsFileError(
                    f"{path} is not an SQLite database ({error}). Copy KOReader's "
                    "statistics.sqlite3 from the reader's koreader/settings folder."
                ) from error
            if not book >= _BOOK_COLUMNS or not rows >= _ROW_COLUMNS:
                raise StatisticsFileError(
                    f"{path} has no KOReader reading statistics (tables book and "
                    "page_stat_data). Copy statistics.sqlite3 from the reader's "
                    "koreader/settings folder."
                )
            yield db, copy
        finally:
            db.close()


def source_books(db: sqlite3.Connection) -> list[SourceBook]:
    """Every book of the file with its rows' fingerprint (count, durations, times)."""
    summaries = {
        id_book: f"{count}:{seconds}:{latest}:{checksum}"
        for id_book, count, seconds, latest, checksum in db.execute(
            """SELECT id_book, COUNT(*), TOTAL(duration), MAX(start_time),
                      TOTAL((start_time % 1000003) * (page + 7) + duration * 31 + total_pages)
               FROM page_stat_data GROUP BY id_book"""
        )
    }
    books = []
    for book_id, title, authors, md5, pages in db.execute(
        "SELECT id, title, authors, md5, pages FROM book ORDER BY id"
    ):
        books.append(
            SourceBook(
                id=int(book_id),
                title=str(title or ""),
                authors=str(authors or ""),
                md5=str(md5 or "").lower(),
                pages=_int(pages),
                fingerprint=summaries.get(book_id, "0"),
            )
        )
    return books


def _int(value: object) -> int:
    try:
        return max(int(value), 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0
