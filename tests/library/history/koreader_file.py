"""KOReader `statistics.sqlite3` files built from the schema in koreader-channels.md §1.

Schema version 20221111: `book` (unique on title, authors, md5) and `page_stat_data` (unique on
id_book, page, start_time). `wal=True` leaves the file in WAL mode, as Kobo uploads arrive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE book (
    id integer PRIMARY KEY AUTOINCREMENT, title text, authors text, notes integer,
    last_open integer, highlights integer, pages integer, series text, language text,
    md5 text, total_read_time integer, total_read_pages integer,
    UNIQUE (title, authors, md5));
CREATE TABLE page_stat_data (
    id_book integer, page integer NOT NULL DEFAULT 0, start_time integer NOT NULL DEFAULT 0,
    duration integer NOT NULL DEFAULT 0, total_pages integer NOT NULL DEFAULT 0,
    UNIQUE (id_book, page, start_time),
    FOREIGN KEY (id_book) REFERENCES book (id));
CREATE INDEX page_stat_data_start_time ON page_stat_data (start_time);
PRAGMA user_version = 20221111;
"""


@dataclass
class KoBook:
    title: str
    authors: str
    md5: str | None
    pages: int
    # (page, start_time, duration, total_pages)
    rows: Sequence[tuple[int, int, int, int]] = field(default_factory=list)


def write_statistics(path: Path, books: Iterable[KoBook], *, wal: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    for book in books:
        cursor = db.execute(
            """INSERT INTO book (title, authors, notes, last_open, highlights, pages, md5,
                                 total_read_time, total_read_pages)
               VALUES (?, ?, 0, 0, 0, ?, ?, ?, ?)""",
            (
                book.title,
                book.authors,
                book.pages,
                book.md5,
                sum(r[2] for r in book.rows),
                len(book.rows),
            ),
        )
        db.executemany(
            "INSERT INTO page_stat_data VALUES (?, ?, ?, ?, ?)",
            [(cursor.lastrowid, *row) for row in book.rows],
        )
    db.commit()
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
    db.close()
    return path
