"""Downloads over loopback: byte-identical files, KOReader's file name, Range, aliases, missing
files, covers and thumbnails."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import random
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree
from PIL import Image

from bookorbit_desktop.library.metadata.generated_cover import generated_covers
from bookorbit_desktop.library.metadata.koreader_hash import filename_md5, partial_md5
from bookorbit_desktop.library.store.models import ALIAS_FILENAME, Book, BookFile, DocumentAlias
from tests.factories import add_book, make_epub
from tests.library.conftest import epub_with_cover
from tests.server.opds.support import (
    ACQUISITION_REL,
    A,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    links,
    write_book_file,
)


def _acquisition_href(root: etree._Element, title: str) -> str:
    for entry in root.findall(f"{A}entry"):
        if entry.findtext(f"{A}title") == title:
            return links(entry, ACQUISITION_REL)[0].get("href")
    raise AssertionError(f"{title!r} not in feed")


@pytest.fixture
def whitman(catalog: Catalog) -> Book:
    path = make_epub(
        catalog.ctx.paths.data_dir / "books" / "leaves.epub",
        "Leaves of Grass",
        ["Walt Whitman"],
        # Incompressible text: the EPUB stays ~1.5 MB, so KOReader's digest samples 1 MiB in.
        body=base64.b64encode(random.Random(7).randbytes(1_100_000)).decode(),
    )
    return add_book("Leaves of Grass", ["Walt Whitman"], file=path)


def _filename_aliases(book: Book) -> set[str]:
    return {
        alias.document
        for alias in DocumentAlias.select().where(
            (DocumentAlias.book == book.id) & (DocumentAlias.kind == ALIAS_FILENAME)
        )
    }


async def test_download_is_byte_identical_and_hashes_like_the_library(
    catalog: Catalog, whitman: Book, tmp_path: Path
):
    root, _ = await catalog.feed("/opds/recent")
    href = _acquisition_href(root, "Leaves of Grass")
    assert href.endswith(".epub")
    response = await catalog.get(href, headers={"Accept-Encoding": "identity"})
    body = await response.read()
    stored = BookFile.get(BookFile.book == whitman.id)
    original = Path(stored.path).read_bytes()
    assert response.status == 200
    assert body == original
    assert response.headers["Content-Type"] == "application/epub+zip"
    assert int(response.headers["Content-Length"]) == len(original) == stored.size
    received = tmp_path / "received.epub"
    received.write_bytes(body)
    assert partial_md5(received) == stored.partial_md5
    # The same bytes every time.
    again = await (await catalog.get(href)).read()
    assert hashlib.sha256(again).digest() == hashlib.sha256(original).digest()


async def test_download_names_the_file_like_koreader_and_registers_the_alias(
    catalog: Catalog, whitman: Book
):
    root, _ = await catalog.feed("/opds/books")
    href = _acquisition_href(root, "Leaves of Grass")
    head = await catalog.session.head(catalog.url(href))
    assert head.status == 200
    assert _filename_aliases(whitman) == set()  # a HEAD is not a download
    disposition = head.headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="Walt Whitman - Leaves of Grass.epub"; '
        "filename*=UTF-8''Walt%20Whitman%20-%20Leaves%20of%20Grass.epub"
    )
    for _ in range(2):
        response = await catalog.get(href)
        assert response.status == 200
        await response.read()
    # md5 of the name KOReader saves the file under (kosync-protocol.md §6.3 example).
    assert "660b0385474ff58b8c3a83f449770598" in _filename_aliases(whitman)
    assert _filename_aliases(whitman) == {filename_md5("Walt Whitman - Leaves of Grass.epub")}
    alias = DocumentAlias.get(DocumentAlias.document == "660b0385474ff58b8c3a83f449770598")
    assert alias.book_file_id == BookFile.get(BookFile.book == whitman.id).id


async def test_non_ascii_and_invalid_characters_in_the_file_name(catalog: Catalog):
    folder = catalog.ctx.paths.data_dir / "books"
    book = add_book(
        'Crime: "Punishment"? 100% / Преступление',
        ["Фёдор Достоевский"],
        file=write_book_file(folder, "crime.azw3", b"kf8 bytes"),
    )
    root, _ = await catalog.feed("/opds/books")
    href = _acquisition_href(root, 'Crime: "Punishment"? 100% / Преступление')
    assert href.endswith(".azw3")
    response = await catalog.get(href)
    assert response.status == 200 and await response.read() == b"kf8 bytes"
    expected = "Фёдор Достоевский - Crime_ _Punishment__ 100% _ Преступление.azw"
    disposition = response.headers["Content-Disposition"]
    quoted = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert unquote(quoted) == expected  # what KOReader's "use server filenames" reads
    assert (
        disposition.split("filename*=UTF-8''", 1)[1]
        and unquote(disposition.split("filename*=UTF-8''", 1)[1]) == expected
    )
    assert response.headers["Content-Type"] == "application/vnd.amazon.mobi8-ebook"
    assert filename_md5(expected) in _filename_aliases(book)


async def test_range_requests(catalog: Catalog, whitman: Book):
    root, _ = await catalog.feed("/opds/recent")
    href = _acquisition_href(root, "Leaves of Grass")
    original = Path(BookFile.get(BookFile.book == whitman.id).path).read_bytes()
    size = len(original)
    cases = [
        ("bytes=0-99", 0, 100),
        ("bytes=1000-", 1000, size),
        ("bytes=-500", size - 500, size),
        (f"bytes=1048000-{size + 1000}", 1048000, size),
    ]
    for header, start, end in cases:
        response = await catalog.get(href, headers={"Range": header})
        body = await response.read()
        assert response.status == 206, header
        assert body == original[start:end], header
        assert response.headers["Content-Range"] == f"bytes {start}-{end - 1}/{size}"
        assert int(response.headers["Content-Length"]) == end - start
    response = await catalog.get(href, headers={"Range": f"bytes={size + 10}-"})
    assert response.status == 416


async def test_a_precompressed_sibling_is_never_served(catalog: Catalog, whitman: Book):
    stored = Path(BookFile.get(BookFile.book == whitman.id).path)
    stored.with_name(stored.name + ".gz").write_bytes(gzip.compress(b"something else"))
    root, _ = await catalog.feed("/opds/recent")
    response = await catalog.get(
        _acquisition_href(root, "Leaves of Grass"), headers={"Accept-Encoding": "gzip, br"}
    )
    assert "Content-Encoding" not in response.headers
    assert await response.read() == stored.read_bytes()


async def test_a_file_gone_from_disk_is_a_clear_404_and_flagged_missing(
    catalog: Catalog, whitman: Book
):
    root, _ = await catalog.feed("/opds/recent")
    href = _acquisition_href(root, "Leaves of Grass")
    stored = BookFile.get(BookFile.book == whitman.id)
    moved = Path(stored.path).with_suffix(".moved")
    os.replace(stored.path, moved)
    response = await catalog.get(href)
    assert response.status == 404
    assert '"Leaves of Grass" is no longer where it was imported from' in await response.text()
    assert BookFile.get_by_id(stored.id).missing is True
    root, _ = await catalog.feed("/opds/recent")
    assert "Leaves of Grass" not in entry_titles(root)  # no dead download links
    os.replace(moved, stored.path)  # the file is back: the download works and clears the flag
    response = await catalog.get(href)
    assert response.status == 200
    assert BookFile.get_by_id(stored.id).missing is False


async def test_unknown_files_and_wrong_extensions_are_404(catalog: Catalog, whitman: Book):
    file_id = BookFile.get(BookFile.book == whitman.id).id
    for href in (
        f"/opds/download/{file_id}.pdf",
        "/opds/download/99999.epub",
        f"/opds/download/{file_id}",
        "/opds/download/x.epub",
        f"/opds/download/{'9' * 25}.epub",  # beyond SQLite's integers: not a 500
        f"/opds/covers/{'9' * 25}",
        f"/opds/thumbnails/{'9' * 25}.jpg",
    ):
        response = await catalog.get(href)
        assert response.status == 404, href


def _with_cover(catalog: Catalog, book: Book, image: Image.Image, name: str) -> Path:
    path = catalog.ctx.paths.covers_dir / name
    image.save(path)
    Book.update(cover_path=f"covers/{name}").where(Book.id == book.id).execute()
    return path


async def test_covers_and_cached_thumbnails(catalog: Catalog, whitman: Book):
    cover = _with_cover(catalog, whitman, Image.new("RGB", (600, 900), (10, 80, 160)), "1.jpg")
    root, _ = await catalog.feed("/opds/recent")
    entry = root.find(f"{A}entry")
    image_href = links(entry, "http://opds-spec.org/image")[0].get("href")
    thumb_href = links(entry, "http://opds-spec.org/image/thumbnail")[0].get("href")
    response = await catalog.get(image_href)
    assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert await response.read() == cover.read_bytes()
    response = await catalog.get(thumb_href)
    assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
    data = await response.read()
    cached = list(catalog.ctx.paths.thumbnails_dir.glob(f"{whitman.id}-*.jpg"))
    assert len(cached) == 1 and cached[0].read_bytes() == data
    with Image.open(cached[0]) as thumb:
        assert thumb.size == (240, 360)
    first_mtime = cached[0].stat().st_mtime_ns
    assert await (await catalog.get(thumb_href)).read() == data
    assert cached[0].stat().st_mtime_ns == first_mtime  # served from the cache
    # A new cover (PNG with transparency) replaces the cached thumbnail.
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(cover, "PNG")
    os.utime(cover, ns=(first_mtime + 10**9, first_mtime + 10**9))
    response = await catalog.get(thumb_href)
    assert response.status == 200
    cached = list(catalog.ctx.paths.thumbnails_dir.glob(f"{whitman.id}-*.jpg"))
    assert len(cached) == 1
    with Image.open(cached[0]) as thumb:
        assert thumb.size == (240, 240) and thumb.getpixel((5, 5)) == (255, 255, 255)


async def test_a_cover_not_made_yet_is_made_from_the_book_on_first_request(catalog: Catalog):
    path = epub_with_cover(catalog.ctx.paths.data_dir / "books" / "covered.epub", "Covered")
    book = add_book("Covered", ["Cora Cover"], file=path)
    Book.update(cover_path=f"covers/{book.id}.jpg").where(Book.id == book.id).execute()
    response = await catalog.get(f"/opds/thumbnails/{book.id}.jpg")
    assert response.status == 200
    with Image.open(BytesIO(await response.read())) as thumb:
        assert thumb.size == (240, 360)
    stored = catalog.ctx.paths.data_dir / "covers" / f"{book.id}.jpg"
    response = await catalog.get(f"/opds/covers/{book.id}")
    assert response.status == 200 and await response.read() == stored.read_bytes()
    with Image.open(stored) as cover:
        assert cover.size == (600, 900)


async def test_a_book_without_a_cover_gets_its_generated_one(catalog: Catalog, whitman: Book):
    generated = generated_covers(catalog.ctx.paths, [whitman.id])[whitman.id]
    response = await catalog.get(f"/opds/covers/{whitman.id}")
    assert response.status == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert await response.read() == generated.read_bytes()
    response = await catalog.get(f"/opds/thumbnails/{whitman.id}.jpg")
    assert response.status == 200
    with Image.open(BytesIO(await response.read())) as thumb:
        assert thumb.size == (240, 360)
    assert Book.get_by_id(whitman.id).cover_path is None  # never stored as the book's cover
    for href in ("/opds/covers/999999", "/opds/thumbnails/999999.jpg"):
        response = await catalog.get(href)
        assert response.status == 404 and "no such book" in await response.text()


async def test_broken_or_outside_covers_are_never_served(catalog: Catalog, whitman: Book):
    broken = catalog.ctx.paths.covers_dir / "broken.jpg"
    broken.write_bytes(b"not an image at all")
    Book.update(cover_path="covers/broken.jpg").where(Book.id == whitman.id).execute()
    response = await catalog.get(f"/opds/thumbnails/{whitman.id}.jpg")
    assert response.status == 404 and "cannot be read" in await response.text()
    Book.update(cover_path="../../etc/passwd").where(Book.id == whitman.id).execute()
    response = await catalog.get(f"/opds/covers/{whitman.id}")
    # Never a file outside the data folder: the book's generated cover instead.
    generated = generated_covers(catalog.ctx.paths, [whitman.id])[whitman.id]
    assert response.status == 200 and await response.read() == generated.read_bytes()


HOSTILE_TITLES = [
    "Tom & Jerry <The Movie>",
    "Quotes \"double\" & 'single'",
    "Bell\x07 and\x00 null",
    "東京物語: 完全版",
    "Ends with dots...",
    "Line\nbreak",
    "x" * 300,
]


async def test_the_served_name_is_the_one_koreader_derives_from_the_feed(catalog: Catalog):
    """KOReader names a download after the entry's title and LAST author as it parsed them;
    the Content-Disposition name and the registered alias must be exactly that name."""
    from bookorbit_desktop.server.opds.formats import koreader_extension
    from bookorbit_desktop.server.opds.koreader_names import koreader_file_name

    folder = catalog.ctx.paths.data_dir / "books"
    for number, title in enumerate(HOSTILE_TITLES):
        add_book(
            title,
            ["First Author", f"Last: {title[:20]}"],
            file=write_book_file(
                folder, f"{number}.{'azw3' if number % 2 else 'epub'}", b"%d" % number
            ),
        )
    root, _ = await catalog.feed("/opds/books")
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(HOSTILE_TITLES)
    for entry in entries:
        title = entry.findtext(f"{A}title")
        last_author = entry.findall(f"{A}author")[-1].findtext(f"{A}name")
        href = links(entry, ACQUISITION_REL)[0].get("href")
        expected = koreader_file_name(
            title, [last_author], koreader_extension(href.rsplit(".", 1)[1])
        )
        response = await catalog.get(href)
        assert response.status == 200
        disposition = response.headers["Content-Disposition"]
        assert unquote(disposition.split('filename="', 1)[1].split('"', 1)[0]) == expected
        book_id = int(entry.findtext(f"{A}id").rsplit(":", 1)[1])
        assert filename_md5(expected) in _filename_aliases(Book.get_by_id(book_id))
