"""Catalog search: title, author and series, accent- and case-insensitive, any script, and the
raw UTF-8 request lines older KOReader releases send."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest
from lxml import etree

from tests.factories import add_book
from tests.server.opds.support import (
    AUTH_HEADERS,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    write_book_file,
)


@pytest.fixture
def shelf(catalog: Catalog) -> Catalog:
    folder = catalog.ctx.paths.data_dir / "books"
    for number, (title, authors, series) in enumerate(
        [
            ("Les Misérables", ["Victor Hugo"], None),
            ("Notre-Dame de Paris", ["Victor Hugo"], None),
            ("Dune", ["Frank Herbert"], "Dune Chronicles"),
            ("Война и мир", ["Лев Толстой"], None),
            ("東京物語", ["小津安二郎"], None),
            ("Die Straße", ["Søren Kierkegaard"], None),
            ("Ærø Æblerne", ["Anne Œuvre"], "Nordic Tales"),
        ]
    ):
        add_book(
            title,
            authors,
            file=write_book_file(folder, f"{number}.epub", title.encode()),
            series=series,
        )
    return catalog


async def _search(catalog: Catalog, text: str) -> list[str]:
    root, _body = await catalog.feed("/opds/search?q=" + quote(text, safe=""))
    return entry_titles(root)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("miserables", ["Les Misérables"]),
        ("MISÉRABLES", ["Les Misérables"]),
        ("misérables", ["Les Misérables"]),
        ("hugo", ["Les Misérables", "Notre-Dame de Paris"]),
        ("victor notre", ["Notre-Dame de Paris"]),  # every word must match somewhere
        ("hugo dune", []),
        ("chronicles", ["Dune"]),  # series
        ("herbert", ["Dune"]),  # author
        ("война", ["Война и мир"]),
        ("ВОЙНА", ["Война и мир"]),
        ("толстой", ["Война и мир"]),
        ("東京", ["東京物語"]),
        ("小津", ["東京物語"]),
        ("strasse", ["Die Straße"]),
        ("soren", ["Die Straße"]),
        ("aero aeblerne", ["Ærø Æblerne"]),
        ("oeuvre", ["Ærø Æblerne"]),
        ("nordic", ["Ærø Æblerne"]),
        ("", []),
        ("   ", []),
        ("%_*", []),
        ("nothing matches this", []),
    ],
)
async def test_search_matches_title_author_and_series(shelf: Catalog, query, expected):
    assert sorted(await _search(shelf, query)) == sorted(expected)


async def _raw_get(catalog: Catalog, target: bytes) -> tuple[int, bytes]:
    """A GET written byte for byte, as KOReader's HTTP client writes it."""
    host, port = catalog.base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"GET " + target + b" HTTP/1.1\r\n"
        b"Host: " + host.encode() + b"\r\n"
        b"Authorization: " + AUTH_HEADERS["Authorization"].encode() + b"\r\n"
        b"Accept-Encoding: identity\r\n"
        b"Connection: close, TE\r\nTE: trailers\r\n\r\n"
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/opds/search?q=Misérables".encode(),  # KOReader up to v2025.08: raw UTF-8 ...
        "/opds/search?q=victor+misérables".encode(),  # ... with spaces turned into "+"
        b"/opds/search?q=Mis%C3%A9rables",  # later releases encode it
        "/opds/search?q=Les Misérables".encode(),  # a raw space is repaired as well
    ],
)
async def test_raw_utf8_search_request_lines_are_accepted(shelf: Catalog, target: bytes):
    status, body = await _raw_get(shelf, target)
    assert status == 200, body
    assert entry_titles(etree.fromstring(body)) == ["Les Misérables"]


async def test_raw_non_latin_search_is_decoded_as_utf8(shelf: Catalog):
    status, body = await _raw_get(shelf, "/opds/search?q=東京".encode())
    assert status == 200
    assert entry_titles(etree.fromstring(body)) == ["東京物語"]
    status, body = await _raw_get(shelf, "/opds/search?q=война".encode())
    assert entry_titles(etree.fromstring(body)) == ["Война и мир"]


async def test_invalid_utf8_and_control_bytes_fail_cleanly(shelf: Catalog):
    status, body = await _raw_get(shelf, b"/opds/search?q=Mis\xe9rables")  # Latin-1, not UTF-8
    assert status == 200  # decoded with a replacement character: simply no match
    assert entry_titles(etree.fromstring(body)) == []
    status, _body = await _raw_get(shelf, b"/opds/search?q=a\x01b")
    assert status == 400  # control characters stay refused by the strict parser


async def test_search_feed_links_keep_the_query(shelf: Catalog):
    root, _body = await shelf.feed("/opds/search?q=" + quote("Hugo & Co?", safe=""))
    self_link = next(link for link in root.iter("{*}link") if link.get("rel") == "self")
    assert self_link.get("href") == "/opds/search?q=Hugo%20%26%20Co%3F"
    assert root.findtext("{http://www.w3.org/2005/Atom}title") == "Search: Hugo & Co?"


async def test_search_sees_every_change_to_the_library(shelf: Catalog):
    import sqlite3

    from bookorbit_desktop.library.store.models import Author, Book, BookFile

    assert await _search(shelf, "zanzibar") == []
    folder = shelf.ctx.paths.data_dir / "books"
    book = add_book("Zanzibar", ["Nobody"], file=write_book_file(folder, "z.epub", b"z"))
    assert await _search(shelf, "zanzibar") == ["Zanzibar"]
    Book.update(title="Zanzibar Renamed").where(Book.id == book.id).execute()
    assert await _search(shelf, "renamed") == ["Zanzibar Renamed"]
    Author.update(name="Émile Zola").where(Author.name == "Nobody").execute()
    assert await _search(shelf, "emile") == ["Zanzibar Renamed"]
    BookFile.update(missing=True).where(BookFile.book == book.id).execute()
    assert await _search(shelf, "zanzibar") == []
    # A write by another connection (another BookOrbit process) is seen as well.
    other = sqlite3.connect(shelf.ctx.paths.db_file)
    with other:
        other.execute("UPDATE book_file SET missing = 0 WHERE book_id = ?", (book.id,))
    other.close()
    assert await _search(shelf, "zanzibar") == ["Zanzibar Renamed"]


def _bulk_books(count: int) -> None:
    """`count` books with an author and a file each, inserted in one transaction and indexed
    at its end, as an import's batch is."""
    from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
    from bookorbit_desktop.library.store.models import database

    with database.atomic():
        open_batch()
        database.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (1, 'Ann', 'Ann')")
        rows = [(i, i, i) for i in range(1, count + 1)]
        for sql, width in (
            (
                "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at)"
                " VALUES (?, 'Volume ' || ?, 'volume ' || ?, '{}', 0, 0)",
                3,
            ),
            (
                "INSERT INTO book_author (book_id, author_id, position, role)"
                " VALUES (?, 1, 0, 'aut')",
                1,
            ),
            (
                "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing,"
                " added_at) VALUES (?, '/b/' || ?, 'epub', 1, 0, ?, 0, 0)",
                3,
            ),
        ):
            database.connection().executemany(sql, [row[:width] for row in rows])
        close_batch()


async def test_search_right_after_an_edit_answers_at_once(catalog: Catalog, monkeypatch):
    from bookorbit_desktop.library.store.models import Book
    from bookorbit_desktop.server import workers

    _bulk_books(30_000)
    assert len(await _search(catalog, "volume 2999")) == 13  # 2999, 12999, 22999, 29990-29999
    # A read taking a tenth of a second is refused (503): a search after an edit rebuilds nothing.
    monkeypatch.setattr(workers, "READ_DEADLINE_SECONDS", 0.1)
    Book.update(title="Zanzibar").where(Book.id == 777).execute()  # another connection
    assert await _search(catalog, "zanzibar") == ["Zanzibar"]
    Book.update(title="Volume 777").where(Book.id == 777).execute()
    assert await _search(catalog, "zanzibar") == []
    assert "Volume 777" in await _search(catalog, "volume 777")
