"""Every catalog feed over loopback: OPDS 1.2 validity, structure, metadata and escaping."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from lxml import etree
from PIL import Image

from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book
from tests.server.opds.support import (
    ACQUISITION_REL,
    DC,
    A,
    Catalog,
    assert_feed_structure,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    jing_validate,
    link_href,
    links,
    start_catalog,
    write_book_file,
)

HOSTILE = [
    "Tom & Jerry <The Movie>",
    "He said \"no\" & 'yes'",
    "Bell\x07 and\x00 null\x1b escapes",
    "Война и мир",
    "東京物語",
    "عربي كتاب",
    "Line\nbreak\tand tab",
    "&amp; literally &lt;b&gt;",
    "]]> CDATA end",
]


def _cover(paths, book: Book, size=(600, 900)) -> None:
    relative = f"covers/{book.id}.jpg"
    Image.new("RGB", size, (200, 30, 30)).save(paths.data_dir / relative, "JPEG")
    Book.update(cover_path=relative).where(Book.id == book.id).execute()


def _library(paths) -> dict[str, Book]:
    folder = paths.data_dir / "books"
    books = {}
    books["dune"] = add_book(
        "Dune",
        ["Frank Herbert"],
        file=write_book_file(folder, "dune.epub", b"dune epub"),
        series="Dune",
        series_index=1,
        language="en",
        isbn13="9780441013593",
        status="reading",
        added_at=1000,
    )
    write_book_file(folder, "dune.pdf", b"dune pdf")
    Book.update(
        description="<p>A desert <b>planet</b>.</p><p>Spice &amp; worms.</p>",
        published="1965-08",
        publisher="Chilton",
    ).where(Book.id == books["dune"].id).execute()
    books["messiah"] = add_book(
        "Dune Messiah",
        ["Frank Herbert"],
        file=write_book_file(folder, "messiah.azw3", b"messiah"),
        series="Dune",
        series_index=2,
        status="want_to_read",
        added_at=2000,
    )
    books["good omens"] = add_book(
        "Good Omens",
        ["Terry Pratchett", "Neil Gaiman"],
        file=write_book_file(folder, "omens.epub", b"omens"),
        status="read",
        added_at=3000,
    )
    books["comic"] = add_book(
        "Comic", ["Artist"], file=write_book_file(folder, "comic.cbz", b"cbz"), added_at=4000
    )
    books["no file"] = add_book("Only metadata", ["Nobody"], added_at=5000)
    for number, title in enumerate(HOSTILE):
        books[title] = add_book(
            title,
            [title.split(" ")[0] or "Author"],
            file=write_book_file(folder, f"hostile-{number}.epub", f"h{number}".encode()),
            added_at=6000 + number,
        )
    _cover(paths, books["dune"])
    return books


async def _all_feeds(catalog: Catalog) -> list[tuple[str, etree._Element, bytes, bool]]:
    """(href, parsed, raw, is acquisition) for every feed reachable from the root."""
    found = []
    root, raw = await catalog.feed("/opds")
    found.append(("/opds", root, raw, False))
    queue = [
        link_href(entry, "subsection") or links(entry)[0].get("href")
        for entry in root.findall(f"{A}entry")
    ]
    seen = {"/opds"}
    while queue:
        href = queue.pop(0)
        if href in seen:
            continue
        seen.add(href)
        feed, body = await catalog.feed(href)
        acquisition = "kind=acquisition" in link_href_type(feed, "self")
        found.append((href, feed, body, acquisition))
        if not acquisition:
            queue += [links(entry)[0].get("href") for entry in feed.findall(f"{A}entry")]
    return found


def link_href_type(root: etree._Element, rel: str) -> str:
    return links(root, rel)[0].get("type")


async def test_every_feed_reachable_from_the_root_is_valid_opds(catalog: Catalog, tmp_path):
    _library(catalog.ctx.paths)
    feeds = await _all_feeds(catalog)
    hrefs = [href for href, *_ in feeds]
    assert {
        "/opds/recent",
        "/opds/books",
        "/opds/authors",
        "/opds/series",
        "/opds/reading",
        "/opds/want",
        "/opds/read",
    } <= set(hrefs)
    assert any(href.startswith("/opds/authors/") for href in hrefs)
    assert any(href.startswith("/opds/series/books?name=") for href in hrefs)
    search, search_raw = await catalog.feed("/opds/search?q=dune")
    empty, empty_raw = await catalog.feed("/opds/search?q=")
    for href, root, _raw, acquisition in feeds:
        assert_feed_structure(root, acquisition=acquisition), href
    assert_feed_structure(search, acquisition=True)
    assert_feed_structure(empty, acquisition=True)
    jing_validate([raw for *_, raw, _acq in feeds] + [search_raw, empty_raw], tmp_path / "jing")


async def test_an_empty_library_still_serves_valid_feeds(catalog: Catalog, tmp_path):
    bodies = []
    for href in (
        "/opds",
        "/opds/recent",
        "/opds/books",
        "/opds/authors",
        "/opds/series",
        "/opds/reading",
        "/opds/search?q=x",
    ):
        root, body = await catalog.feed(href)
        assert root.findall(f"{A}entry") == [] or href == "/opds"
        bodies.append(body)
    jing_validate(bodies, tmp_path / "jing")


async def test_root_lists_every_section_with_koreader_readable_links(catalog: Catalog):
    root, raw = await catalog.feed("/opds/")
    sections = {entry.findtext(f"{A}title"): links(entry)[0] for entry in root.findall(f"{A}entry")}
    assert list(sections) == [
        "Recently added",
        "All books",
        "Authors",
        "Series",
        "By tag",
        "Currently reading",
        "Want to read",
        "Read",
        "Hardcover shelves",
        "Your shelves",
    ]
    assert sections["Recently added"].get("rel") == "http://opds-spec.org/sort/new"
    assert sections["Authors"].get("type").endswith("kind=navigation")
    assert sections["All books"].get("type").endswith("kind=acquisition")
    # KOReader's lexer is namespace-unaware: the Atom elements must not carry a prefix.
    assert raw.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
    )
    assert b"<atom:" not in raw and b"<ns0:" not in raw
    search = links(root, "search")[0]
    assert search.get("href") == "/opds/opensearch.xml"


async def test_book_entries_carry_metadata_covers_and_exact_acquisition_links(catalog: Catalog):
    books = _library(catalog.ctx.paths)
    dune = books["dune"]
    # A second format of the same book: EPUB must come first.
    from bookorbit_desktop.library.store.models import BookFile

    BookFile.create(
        book=dune,
        path=str(catalog.ctx.paths.data_dir / "books" / "dune.pdf"),
        format="pdf",
        size=8,
        mtime=0,
        partial_md5="0" * 32,
        added_at=0,
    )
    root, _raw = await catalog.feed("/opds/books")
    entries = {entry.findtext(f"{A}title"): entry for entry in root.findall(f"{A}entry")}
    entry = entries["Dune"]
    assert entry.findtext(f"{A}id") == f"urn:bookorbit:book:{dune.id}"
    assert [a.findtext(f"{A}name") for a in entry.findall(f"{A}author")] == ["Frank Herbert"]
    assert entry.findtext(f"{DC}language") == "en"
    assert entry.findtext(f"{DC}issued") == "1965-08"
    assert entry.findtext(f"{DC}publisher") == "Chilton"
    assert entry.findtext(f"{DC}identifier") == "urn:isbn:9780441013593"
    assert entry.findtext(f"{A}summary") == "Series: Dune #1\n\nA desert planet.\n\nSpice & worms."
    assert entry.find(f"{A}category").get("label") == "Dune #1"
    acquisitions = links(entry, ACQUISITION_REL)
    assert [(link.get("type"), link.get("title")) for link in acquisitions] == [
        ("application/epub+zip", "EPUB"),
        ("application/pdf", "PDF"),
    ]
    assert acquisitions[0].get("href").endswith(".epub")
    assert acquisitions[1].get("href").endswith(".pdf")
    assert acquisitions[0].get("length") == str(len(b"dune epub"))
    image = links(entry, "http://opds-spec.org/image")[0]
    thumb = links(entry, "http://opds-spec.org/image/thumbnail")[0]
    assert image.get("type") == "image/jpeg" and thumb.get("type") == "image/jpeg"
    # Other formats get their exact MIME types; azw3 is announced so KOReader can open it.
    mime = {title: links(e, ACQUISITION_REL)[0].get("type") for title, e in entries.items()}
    assert mime["Dune Messiah"] == "application/vnd.amazon.mobi8-ebook"
    assert mime["Comic"] == "application/vnd.comicbook+zip"
    # Multiple authors in file order; a book without any file is not listed.
    omens = entries["Good Omens"]
    assert [a.findtext(f"{A}name") for a in omens.findall(f"{A}author")] == [
        "Terry Pratchett",
        "Neil Gaiman",
    ]
    assert "Only metadata" not in entries
    # A book without a cover of its own links its generated one (a JPEG made from its title).
    (generated,) = links(omens, "http://opds-spec.org/image")
    assert generated.get("type") == "image/jpeg"
    book_id = omens.findtext(f"{A}id").rsplit(":", 1)[1]
    assert generated.get("href").startswith(f"/opds/covers/{book_id}?v=")


STORED_RAW = (  # a description stored before descriptions were cleaned
    "<style>p { display: none }</style><p>A desert planet.<img src='/dev/zero'></p>"
    "<script>alert(1)</script><!-- a comment --><p><a href='file:///etc/passwd'>Spice</a></p>"
)


async def test_a_summary_carries_the_words_of_a_stored_description_only(catalog: Catalog):
    dune = _library(catalog.ctx.paths)["dune"]
    Book.update(description=STORED_RAW).where(Book.id == dune.id).execute()
    root, _raw = await catalog.feed("/opds/books")
    entries = {entry.findtext(f"{A}title"): entry for entry in root.findall(f"{A}entry")}
    summary = entries["Dune"].findtext(f"{A}summary")
    assert summary == "Series: Dune #1\n\nA desert planet.\n\nSpice"
    assert entries["Dune"].findtext(f"{A}content").endswith("A desert planet.\n\nSpice")


async def test_every_book_entry_has_text_content_with_its_facts(catalog: Catalog):
    _library(catalog.ctx.paths)
    folder = catalog.ctx.paths.data_dir / "books"
    add_book("Anonymous", [], file=write_book_file(folder, "anon.pdf", b"x" * 1_234_567))
    root, raw = await catalog.feed("/opds/books")
    contents = {
        entry.findtext(f"{A}title"): entry.find(f"{A}content")
        for entry in root.findall(f"{A}entry")
    }
    assert {element.get("type") for element in contents.values()} == {"text"}
    assert contents["Dune"].text == (
        "By Frank Herbert\nPublished 1965-08 by Chilton\nEPUB (9 bytes)\n\n"
        "Series: Dune #1\n\nA desert planet.\n\nSpice & worms."
    )
    # Without a description, the facts alone (KOReader's "Book information" then has them).
    assert contents["Good Omens"].text == "By Terry Pratchett, Neil Gaiman\nEPUB (5 bytes)"
    assert contents["Anonymous"].text == "PDF (1.2 MB)"
    assert contents["Dune Messiah"].text == "By Frank Herbert\nAZW3 (7 bytes)\n\nSeries: Dune #2"
    assert b"<content/>" not in raw and b'<content type="text"/>' not in raw
    nav, nav_raw = await catalog.feed("/opds/authors")
    assert [e.findtext(f"{A}content") for e in nav.findall(f"{A}entry")][:1] == ["1 book"]
    assert b"<content/>" not in nav_raw


async def test_hostile_metadata_is_escaped_and_cleaned(catalog: Catalog):
    _library(catalog.ctx.paths)
    root, raw = await catalog.feed("/opds/recent")
    titles = entry_titles(root)
    assert "Tom & Jerry <The Movie>" in titles
    assert "He said \"no\" & 'yes'" in titles
    assert "Bell and null escapes" in titles  # control characters XML cannot carry are dropped
    assert "Война и мир" in titles and "東京物語" in titles and "عربي كتاب" in titles
    assert "Line break and tab" in titles  # titles are single lines
    assert "&amp; literally &lt;b&gt;" in titles
    assert "]]> CDATA end" in titles
    assert b"Tom &amp; Jerry &lt;The Movie&gt;" in raw
    assert "東京物語".encode() in raw  # UTF-8, not character references


async def test_recently_added_is_strictly_newest_first_with_ties_broken_by_id(catalog: Catalog):
    folder = catalog.ctx.paths.data_dir / "books"
    first = add_book("Same time A", file=write_book_file(folder, "a.epub", b"a"), added_at=50)
    second = add_book("Same time B", file=write_book_file(folder, "b.epub", b"b"), added_at=50)
    newest = add_book("Newest", file=write_book_file(folder, "c.epub", b"c"), added_at=90)
    oldest = add_book("Oldest", file=write_book_file(folder, "d.epub", b"d"), added_at=10)
    root, _raw = await catalog.feed("/opds/recent")
    ids = [entry.findtext(f"{A}id").rsplit(":", 1)[1] for entry in root.findall(f"{A}entry")]
    assert ids == [str(b.id) for b in (newest, second, first, oldest)]


async def test_shelves_follow_reading_status(catalog: Catalog):
    books = _library(catalog.ctx.paths)
    ReadingState.update(status="rereading").where(ReadingState.book == books["comic"].id).execute()
    reading, _ = await catalog.feed("/opds/reading")
    want, _ = await catalog.feed("/opds/want")
    read, _ = await catalog.feed("/opds/read")
    assert sorted(entry_titles(reading)) == ["Comic", "Dune"]
    assert entry_titles(want) == ["Dune Messiah"]
    assert entry_titles(read) == ["Good Omens"]


async def test_authors_and_series_lead_to_their_books(catalog: Catalog):
    _library(catalog.ctx.paths)
    authors, _ = await catalog.feed("/opds/authors")
    by_name = {e.findtext(f"{A}title"): e for e in authors.findall(f"{A}entry")}
    assert "Nobody" not in by_name  # only authors of listed books
    herbert = by_name["Frank Herbert"]
    assert herbert.findtext(f"{A}content") == "2 books"
    books, _ = await catalog.feed(links(herbert)[0].get("href"))
    assert entry_titles(books) == ["Dune", "Dune Messiah"]
    assert link_href(books, "up") == "/opds/authors"
    series, _ = await catalog.feed("/opds/series")
    assert entry_titles(series) == ["Dune"]
    in_series, _ = await catalog.feed(links(series.find(f"{A}entry"))[0].get("href"))
    assert entry_titles(in_series) == ["Dune", "Dune Messiah"]


async def test_series_books_are_in_series_order(catalog: Catalog):
    folder = catalog.ctx.paths.data_dir / "books"
    for index, title in [(3, "Alpha"), (1, "Zulu"), (None, "Aardvark"), (2.5, "Middle")]:
        add_book(
            title,
            file=write_book_file(folder, f"{title}.epub", title.encode()),
            series="Saga & Co",
            series_index=index,
        )
    root, _ = await catalog.feed("/opds/series/books?name=Saga%20%26%20Co")
    assert entry_titles(root) == ["Zulu", "Middle", "Alpha", "Aardvark"]
    assert root.findtext(f"{A}title") == "Saga & Co"


async def test_opensearch_description_has_an_absolute_atom_template(catalog: Catalog):
    response = await catalog.get("/opds/opensearch.xml")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/opensearchdescription+xml")
    root = etree.fromstring(await response.read())
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    url = root.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert "application/atom+xml" in url.get("type")
    assert url.get("template") == f"{catalog.base}/opds/search?q={{searchTerms}}"


async def test_page_size_comes_from_the_setting(catalog: Catalog):
    folder = catalog.ctx.paths.data_dir / "books"
    for number in range(5):
        add_book(f"Book {number}", file=write_book_file(folder, f"{number}.epub", bytes([number])))
    set_setting("opds.page_size", 2)
    root, _ = await catalog.feed("/opds/books")
    assert len(root.findall(f"{A}entry")) == 2
    second, _ = await catalog.feed(link_href(root, "next"))
    assert entry_titles(second) == ["Book 2", "Book 3"]
    last, _ = await catalog.feed(link_href(root, "last"))
    assert entry_titles(last) == ["Book 3", "Book 4"]  # the last page: the last two books
    set_setting("opds.page_size", "nonsense")  # an unusable value falls back to the default
    root, _ = await catalog.feed("/opds/books")
    assert len(root.findall(f"{A}entry")) == 5


async def test_bad_requests_get_clear_answers(catalog: Catalog):
    for href, status, phrase in [
        ("/opds/books?page=0", 400, "page number"),
        ("/opds/books?page=x", 400, "page number"),
        ("/opds/books?page=%C2%B2", 400, "page number"),  # "²" is a digit to str.isdigit()
        ("/opds/books?page=99999999999999999999999", 400, "page number"),
        ("/opds/series/books", 400, "series name"),
        ("/opds/books?cursor=%25%25", 400, "first page"),
        ("/opds/authors?cursor=WyJhIixbImEiXV0", 400, "first page"),  # a key of another list
        ("/opds/authors/999", 404, "no such author"),
        ("/opds/authors/" + "9" * 25, 404, "Not Found"),  # beyond SQLite's integers
        ("/opds/nothing-here", 404, "Not Found"),
    ]:
        response = await catalog.get(href)
        assert response.status == status, href
        assert phrase in await response.text(), href
    # A page past the end is an empty page, not an error.
    root, _ = await catalog.feed("/opds/books?page=40")
    assert root.findall(f"{A}entry") == []


async def test_feeds_answer_head_requests(catalog: Catalog):
    response = await catalog.session.head(catalog.url("/opds/recent"))
    assert response.status == 200
    assert "Last-Modified" not in response.headers  # KOReader would cache a stale feed


async def test_catalog_can_be_turned_off(library, tmp_path: Path):
    server, base = await start_catalog(library, opds_enabled=False)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/opds") as response:
                assert response.status == 404
            async with session.get(base + "/healthcheck") as response:
                assert response.status == 200  # kosync keeps working
    finally:
        await server.stop()


async def _serve_and_get_opds(data_dir: Path, *flags: str) -> int:
    """Run `bookorbit-desktop serve` as a user would; the status /opds answers with."""
    import asyncio
    import os
    import re
    import sys

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bookorbit_desktop", "serve", "--host", "127.0.0.1",
        "--port", "0", *flags,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "BOOKORBIT_DATA_DIR": str(data_dir)},
    )  # fmt: skip
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        port = re.search(rb"port (\d+)", line)
        assert port, line
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{int(port.group(1))}/opds") as response,
        ):
            return response.status
    finally:
        process.terminate()
        await process.wait()


async def test_serve_command_turns_the_catalog_off(library):
    from bookorbit_desktop.library.store.db import close_database, open_database

    assert await _serve_and_get_opds(library.data_dir) == 401  # on by default
    assert await _serve_and_get_opds(library.data_dir, "--no-opds") == 404
    set_setting("server.opds_enabled", False)
    close_database()  # let the other process see the committed setting
    try:
        assert await _serve_and_get_opds(library.data_dir) == 404
    finally:
        open_database(library.db_file)


async def test_a_book_of_several_languages_names_each_in_order(catalog: Catalog):
    from bookorbit_desktop.library.store.languages import set_languages_of
    from bookorbit_desktop.library.store.models import database

    dune = _library(catalog.ctx.paths)["dune"]
    with database.atomic():
        set_languages_of({dune.id: ["fr", "en"]})
    root, _raw = await catalog.feed("/opds/books")
    entries = {entry.findtext(f"{A}title"): entry for entry in root.findall(f"{A}entry")}
    assert [e.text for e in entries["Dune"].findall(f"{DC}language")] == ["fr", "en"]
