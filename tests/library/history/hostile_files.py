"""Statistics files a stranger could upload instead of KOReader's: each one would make a naive
reader run for ever, use all memory, or read something that is not a table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.library.history.koreader_file import SCHEMA

# A query that never ends: every row of the view is computed on demand, without bound.
_ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n"


def recursive_view(path: Path) -> Path:
    """`page_stat_data` is a view over an endless recursive query."""
    return _script(
        path,
        SCHEMA.replace(
            "CREATE INDEX page_stat_data_start_time ON page_stat_data (start_time);", ""
        ).replace("CREATE TABLE page_stat_data", "CREATE TABLE unused")
        + f"""CREATE VIEW page_stat_data AS
              SELECT x AS id_book, x AS page, x AS start_time, x AS duration, x AS total_pages
              FROM ({_ENDLESS});""",
    )


def book_view(path: Path) -> Path:
    """`book` is a view (with every column KOReader's has)."""
    return _script(
        path,
        SCHEMA.replace("CREATE TABLE book", "CREATE TABLE real_book")
        + """CREATE VIEW book AS SELECT id, title, authors, md5, pages FROM real_book;""",
    )


def virtual_table(path: Path) -> Path:
    """`page_stat_data` is a virtual table (full-text search)."""
    return _script(
        path,
        SCHEMA.replace(
            "CREATE INDEX page_stat_data_start_time ON page_stat_data (start_time);", ""
        ).replace("CREATE TABLE page_stat_data", "CREATE TABLE unused")
        + """CREATE VIRTUAL TABLE page_stat_data USING fts5(
                 id_book, page, start_time, duration, total_pages);""",
    )


def generated_title(path: Path) -> Path:
    """A title of 200 MB, made when read (a generated column), from a tiny file."""
    return _script(
        path,
        SCHEMA.replace("title text,", "title text AS (hex(zeroblob(100000000))),")
        + "INSERT INTO book (id, authors, md5, pages) VALUES (1, 'x', 'y', 1);",
    )


def huge_value(path: Path) -> Path:
    """A title of a megabyte (a file could hold hundreds of them)."""
    return _script(
        path,
        SCHEMA + "INSERT INTO book (title, authors, md5, pages) VALUES "
        "(hex(zeroblob(500000)), 'x', 'y', 1);",
    )


def many_rows(path: Path, rows: int, books: int, *, indexed: bool = True) -> Path:
    """KOReader's tables with `rows` records over `books` books; without KOReader's
    indexes (`indexed=False`) every book's rows are found only by reading them all."""
    schema = SCHEMA
    if not indexed:
        schema = schema.replace("UNIQUE (id_book, page, start_time),", "").replace(
            "CREATE INDEX page_stat_data_start_time ON page_stat_data (start_time);", ""
        )
    _script(path, schema)
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO book (id, title, authors, md5, pages) VALUES (?, ?, 'a', ?, 100)",
            [(n, f"Book {n}", f"{n:032x}") for n in range(1, books + 1)],
        )
        db.execute(  # made inside SQLite: a million rows in a fraction of a second
            f"""WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x + 1 < ?)
                INSERT INTO page_stat_data
                SELECT 1 + x % {int(books)}, x, 1700000000 + x * 31, 30, 100 FROM n""",
            (rows,),
        )
    return path


def _script(path: Path, script: str) -> Path:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(script)
    db.commit()
    db.close()
    return path
