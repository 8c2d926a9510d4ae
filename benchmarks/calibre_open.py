"""Bringing in a large calibre library: time to open it with `import_calibre`.

    python benchmarks/calibre_open.py [--books 50000] [--keep DIR]

A calibre-shaped library of N books is made: its metadata.db has the schema calibre 6.13 made
for the committed test library (tests/data/calibre/library, every table, index and trigger, the
custom columns too), filled with N books each with an author, a series, two tags, a rating, a
publisher, identifiers, a comment and a custom column's value, and one small EPUB each
(distinct, so none is a copy of another). Then it is brought into a fresh library in this process
and the time printed: the reading of metadata.db, the import of the files (until the last file's
progress event), the fields laid on (the rest).
Target: under 60 s for 50,000 books on a two-core machine.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bookorbit_desktop.config import resolve_paths  # noqa: E402
from bookorbit_desktop.library.importer.calibre.apply import import_calibre  # noqa: E402
from bookorbit_desktop.library.importer.calibre.reader import read_library  # noqa: E402
from bookorbit_desktop.library.store.db import close_database, open_database  # noqa: E402

SCHEMA_FROM = ROOT / "tests" / "data" / "calibre" / "library" / "metadata.db"


CONTAINER = (
    '<?xml version="1.0"?><container version="1.0"'
    ' xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile'
    ' full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
)
OPF = (
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0"'
    ' unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:title>{title}</dc:title><dc:identifier id="id">{title}</dc:identifier>'
    '<dc:language>en</dc:language></metadata><manifest><item id="t" href="t.html"'
    ' media-type="application/xhtml+xml"/></manifest><spine><itemref idref="t"/></spine>'
    "</package>"
)


def calibre_connection(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db)
    con.create_function("title_sort", 1, lambda title: title)
    con.create_function("uuid4", 0, lambda: str(uuid.uuid4()))
    return con


def make_library(folder: Path, books: int) -> None:
    """A calibre library of `books` books in `folder` (module docstring)."""
    source = sqlite3.connect(f"file:{SCHEMA_FROM}?mode=ro", uri=True)
    schema = source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        " ORDER BY type = 'trigger', type = 'index'"
    ).fetchall()
    columns = source.execute("SELECT * FROM custom_columns").fetchall()
    source.close()
    con = calibre_connection(folder / "metadata.db")
    for (sql,) in schema:
        try:
            con.execute(sql)
        except sqlite3.OperationalError as error:  # a full-text table's own tables, made with it
            if "already exists" not in str(error):
                raise
    con.executemany(
        f"INSERT INTO custom_columns VALUES ({','.join('?' * len(columns[0]))})", columns
    )
    con.execute("INSERT INTO publishers (id, name) VALUES (1, 'Chilton')")
    con.execute("INSERT INTO tags (id, name) VALUES (1, 'fiction.sf'), (2, 'classic')")
    for rating in range(1, 11):
        con.execute("INSERT INTO ratings (id, rating) VALUES (?, ?)", (rating, rating))
    for number in range(1, books + 1):
        title, author = f"Book {number}", f"Author {number % 5000}"
        path = f"{author}/{title} ({number})"
        (folder / path).mkdir(parents=True, exist_ok=True)
        epub = folder / path / f"{title} - {author}.epub"
        with zipfile.ZipFile(epub, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
            z.writestr("META-INF/container.xml", CONTAINER)
            z.writestr("content.opf", OPF.format(title=title))
            z.writestr("t.html", f"<html><body><p>{title} {number}</p></body></html>")
        con.execute(
            "INSERT INTO books (id, title, sort, author_sort, path, series_index, pubdate,"
            " last_modified) VALUES (?, ?, ?, ?, ?, ?, '1965-08-01', '2024-01-01')",
            (number, title, title, author, path, number % 7 + 1),
        )
        con.execute(
            "INSERT OR IGNORE INTO authors (id, name, sort) VALUES (?, ?, ?)",
            (number % 5000 + 1, author, author),
        )
        con.execute(
            "INSERT INTO books_authors_link (book, author) VALUES (?, ?)",
            (number, number % 5000 + 1),
        )
        con.execute(
            "INSERT OR IGNORE INTO series (id, name) VALUES (?, ?)",
            (number % 900 + 1, f"Series {number % 900}"),
        )
        con.execute(
            "INSERT INTO books_series_link (book, series) VALUES (?, ?)", (number, number % 900 + 1)
        )
        con.executemany(
            "INSERT INTO books_tags_link (book, tag) VALUES (?, ?)", [(number, 1), (number, 2)]
        )
        con.execute(
            "INSERT INTO books_ratings_link (book, rating) VALUES (?, ?)", (number, number % 10 + 1)
        )
        con.execute("INSERT INTO books_publishers_link (book, publisher) VALUES (?, 1)", (number,))
        con.execute(
            "INSERT INTO identifiers (book, type, val) VALUES (?, 'isbn', ?)",
            (number, f"978{number:010d}"),
        )
        con.execute(
            "INSERT INTO comments (book, text) VALUES (?, ?)",
            (number, f"<p>The <b>{number}</b>th book.</p>"),
        )
        con.execute(
            "INSERT INTO data (book, format, uncompressed_size, name) VALUES (?, 'EPUB', ?, ?)",
            (number, epub.stat().st_size, epub.stem),
        )
        con.execute(
            "INSERT INTO custom_column_4 (book, value) VALUES (?, ?)", (number, number % 900)
        )
    con.commit()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="make the library in DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        calibre = work / "calibre"
        calibre.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        if not (calibre / "metadata.db").exists():
            make_library(calibre, args.books)
        print(f"made {args.books} books in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        read_library(calibre)
        read = time.perf_counter() - started
        paths = resolve_paths(Path(scratch) / "data")
        paths.ensure()
        started = time.perf_counter()
        files_done = started

        def file_done(_event: object) -> None:
            nonlocal files_done
            files_done = time.perf_counter()

        summary = import_calibre(
            calibre,
            paths,
            open_library=lambda: open_database(paths.db_file),
            progress=file_done,
        )
        took = time.perf_counter() - started
        close_database()
        print(f"metadata.db read in {read:.1f} s")
        print(
            f"files imported in {files_done - started:.1f} s, calibre's fields laid on in "
            f"{started + took - files_done:.1f} s"
        )
        print(
            f"opened {summary.books} books ({summary.files.imported} files imported, "
            f"{summary.brought} given calibre's fields) in {took:.1f} s (target < 60 s)"
        )


if __name__ == "__main__":
    main()
