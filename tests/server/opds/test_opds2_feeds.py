"""The OPDS 2.0 (JSON) catalog over loopback: every feed valid against the OPDS 2.0 schemas,
the same lists as the Atom catalog, discovery both ways, and KOReader's way of reading it."""

from __future__ import annotations

from typing import Any

import pytest

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.settings import set_setting
from tests.server.opds.json_support import (
    OPDS2,
    PUBLICATION_SCHEMA,
    expand_search,
    json_feed,
    link,
    link_href,
    navigation_titles,
    publication_ids,
    schema_errors,
    walk_json_pages,
)
from tests.server.opds.support import (
    ATOM,
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_ids,
    entry_titles,
    links,
    walk_pages,
)
from tests.server.opds.test_feeds import HOSTILE, STORED_RAW, _library

ROOT = "/opds/v2"
LISTS = ["recent", "books", "reading", "want", "read"]


async def _every_feed(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Every JSON feed reachable from the root through navigation links, by address."""
    found: dict[str, dict[str, Any]] = {}
    queue = [ROOT]
    while queue:
        href = queue.pop(0)
        if href in found:
            continue
        document = await json_feed(catalog, href)
        found[href] = document
        queue += [item["href"] for item in document.get("navigation", [])]
    return found


async def test_every_feed_reachable_from_the_root_is_valid_opds2(catalog: Catalog):
    _library(catalog.ctx.paths)
    feeds = await _every_feed(catalog)
    expected = {f"{ROOT}/{name}" for name in [*LISTS, "authors", "series"]}
    assert expected <= set(feeds)
    assert any(href.startswith(f"{ROOT}/authors/") for href in feeds)
    assert any(href.startswith(f"{ROOT}/series/books?name=") for href in feeds)
    for href, document in feeds.items():
        # Every address is one of the JSON catalog's (files excepted) and typed as JSON.
        for item in document["links"] + document.get("navigation", []):
            if item["rel"] != "alternate":
                assert item["href"].startswith(ROOT) and item["type"] == OPDS2, (href, item)
        for publication in document.get("publications", []):
            assert not schema_errors(publication, PUBLICATION_SCHEMA), href


async def test_an_empty_library_and_a_search_without_hits_are_still_valid(catalog: Catalog):
    for href in [ROOT, *(f"{ROOT}/{name}" for name in [*LISTS, "authors", "series"])]:
        await json_feed(catalog, href)  # validated there
    missing = await json_feed(catalog, f"{ROOT}/search?query=nothing")
    assert "publications" not in missing
    (back,) = missing["navigation"]
    assert back["href"] == ROOT and back["title"]
    assert missing["metadata"]["numberOfItems"] == 0


async def test_root_lists_the_sections_of_the_atom_root_and_each_root_finds_the_other(
    catalog: Catalog,
):
    document = await json_feed(catalog, ROOT + "/")
    atom, _raw = await catalog.feed("/opds")
    assert navigation_titles(document) == entry_titles(atom)
    sections = {item["title"]: item for item in document["navigation"]}
    assert sections["Recently added"]["rel"] == "http://opds-spec.org/sort/new"
    assert sections["All books"]["href"] == f"{ROOT}/books"
    assert sections["Authors"]["href"] == f"{ROOT}/authors"
    assert link(document, "alternate") == {
        "rel": "alternate",
        "href": "/opds",
        "type": "application/atom+xml;profile=opds-catalog;kind=navigation",
    }
    (alternate,) = links(atom, "alternate")
    assert alternate.get("href") == ROOT and alternate.get("type") == OPDS2
    assert link_href(document, "self") == ROOT and link_href(document, "start") == ROOT


async def test_a_publication_carries_metadata_acquisitions_and_images(catalog: Catalog):
    books = _library(catalog.ctx.paths)
    dune = books["dune"]
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
    Book.update(published="1965-08-01").where(Book.id == dune.id).execute()
    document = await json_feed(catalog, f"{ROOT}/books")
    by_title = {item["metadata"]["title"]: item for item in document["publications"]}
    item = by_title["Dune"]
    metadata = item["metadata"]
    assert metadata["identifier"] == f"urn:bookorbit:book:{dune.id}"
    assert metadata["author"] == [{"name": "Frank Herbert"}]
    assert metadata["language"] == "en"
    assert metadata["altIdentifier"] == ["urn:isbn:9780441013593"]
    assert metadata["publisher"] == [{"name": "Chilton"}]
    assert metadata["published"] == "1965-08-01"
    assert metadata["belongsTo"] == {"series": [{"name": "Dune", "position": 1}]}
    assert metadata["description"] == "A desert planet.\n\nSpice & worms."
    # EPUB first, then PDF, each with its exact type; the downloads are the Atom ones.
    kinds = [(entry["type"], entry["title"]) for entry in item["links"]]
    assert kinds == [("application/epub+zip", "EPUB"), ("application/pdf", "PDF")]
    epub = await catalog.get(item["links"][0]["href"])
    assert epub.status == 200 and await epub.read() == b"dune epub"
    assert item["links"][0]["size"] == len(b"dune epub")
    cover, thumbnail = item["images"]
    assert cover["type"] == "image/jpeg" and thumbnail["type"] == "image/jpeg"
    assert thumbnail["rel"] == "http://opds-spec.org/image/thumbnail"
    for image in (cover, thumbnail):
        response = await catalog.get(image["href"])
        assert response.status == 200 and (await response.read()).startswith(b"\xff\xd8")
    # A book without a cover of its own has its generated one, a real JPEG as the schema wants.
    generated, _thumbnail = by_title["Comic"]["images"]
    response = await catalog.get(generated["href"])
    assert response.status == 200 and (await response.read()).startswith(b"\xff\xd8")
    # Names the Atom feed cleans are cleaned the same way here.
    assert "Bell and null escapes" in by_title
    assert len([title for title in by_title if title in HOSTILE or "\x00" in title]) >= 1


@pytest.mark.parametrize("name", [*LISTS, "authors", "series"])
async def test_every_list_shows_what_its_atom_twin_shows_in_the_same_order(catalog, name):
    _library(catalog.ctx.paths)
    set_setting("opds.page_size", 2)
    json_pages = await walk_json_pages(catalog, f"{ROOT}/{name}")
    atom_pages = await walk_pages(catalog, f"/opds/{name}")
    assert len(json_pages) == len(atom_pages)
    if name in ("authors", "series"):
        shown = [navigation_titles(page) for page in json_pages]
        assert shown == [entry_titles(page) for page in atom_pages]
    else:
        shown = [publication_ids(page) for page in json_pages]
        assert shown == [entry_ids(page) for page in atom_pages]
    for page in json_pages:
        assert page["metadata"]["itemsPerPage"] == 2
        assert "numberOfItems" not in page["metadata"]  # only a search knows its total


async def test_paging_links_carry_the_key_and_lead_back_and_forth(catalog: Catalog):
    _library(catalog.ctx.paths)
    set_setting("opds.page_size", 3)
    first = await json_feed(catalog, f"{ROOT}/books")
    assert link_href(first, "first") == f"{ROOT}/books" and link(first, "previous") is None
    following = await json_feed(catalog, link_href(first, "next"))
    assert "cursor=" in link_href(first, "next")
    back = await json_feed(catalog, link_href(following, "previous"))
    assert publication_ids(back) == publication_ids(first)
    last = await json_feed(catalog, link_href(first, "last"))
    assert link(last, "next") is None and publication_ids(last)
    # The Atom feed's cursor reaches the same page here: one paging rule.
    atom, _raw = await catalog.feed("/opds/books")
    cursor = links(atom, "next")[0].get("href").split("?", 1)[1]
    same = await json_feed(catalog, f"{ROOT}/books?{cursor}")
    assert publication_ids(same) == publication_ids(following)


async def test_search_through_the_templated_link_as_koreader_fills_it(catalog: Catalog):
    _library(catalog.ctx.paths)
    root = await json_feed(catalog, ROOT)
    search = link(root, "search")
    assert search is not None
    assert search["templated"] is True and search["type"] == OPDS2
    assert search["href"] == f"{ROOT}/search{{?query}}"
    found = await json_feed(catalog, expand_search(search["href"], "herbert DUNE"))
    titles = [item["metadata"]["title"] for item in found["publications"]]
    assert titles == ["Dune", "Dune Messiah"]
    assert found["metadata"]["numberOfItems"] == 2
    assert found["metadata"]["title"] == "Search: herbert DUNE"
    assert link_href(found, "self") == f"{ROOT}/search?query=herbert%20DUNE"
    # Every feed offers the same search.
    for href in (f"{ROOT}/books", f"{ROOT}/authors"):
        assert link(await json_feed(catalog, href), "search") == search


async def test_search_results_page_with_the_query_kept(catalog: Catalog):
    _library(catalog.ctx.paths)
    set_setting("opds.page_size", 1)
    pages = await walk_json_pages(catalog, f"{ROOT}/search?query=dune")
    assert [publication_ids(page) for page in pages] == [
        publication_ids(page) for page in pages if len(publication_ids(page)) == 1
    ]
    assert len(pages) == 2
    assert all(page["metadata"]["numberOfItems"] == 2 for page in pages)
    assert "query=dune" in link_href(pages[0], "next")


@pytest.mark.parametrize(
    ("href", "status", "message"),
    [
        (f"{ROOT}/books?cursor=not-a-token", 400, b"out of date or damaged"),
        (f"{ROOT}/books?page=0", 400, b"whole number from 1 up"),
        (f"{ROOT}/series/books", 400, b"Which series?"),
        (f"{ROOT}/authors/999999", 404, b"no such author"),
        (f"{ROOT}/authors/1234567890123456789", 404, b""),
        (f"{ROOT}/opensearch.xml", 404, b""),
    ],
)
async def test_bad_requests_get_the_atom_catalogs_answers(catalog, href, status, message):
    response = await catalog.get(href)
    body = await response.read()
    assert response.status == status, body
    assert message in body and b"Traceback" not in body


async def test_books_waiting_in_the_inbox_appear_in_no_json_feed(catalog: Catalog):
    from bookorbit_desktop.library.store import inbox

    books = _library(catalog.ctx.paths)
    held = books["good omens"]  # its authors have no other book
    inbox.hold([held.id])
    feeds = await _every_feed(catalog)
    feeds["search"] = await json_feed(catalog, f"{ROOT}/search?query=omens")
    shown = [pid for document in feeds.values() for pid in publication_ids(document)]
    assert f"urn:bookorbit:book:{held.id}" not in shown
    assert f"urn:bookorbit:book:{books['dune'].id}" in shown
    titles = [title for document in feeds.values() for title in navigation_titles(document)]
    assert "Terry Pratchett" not in titles and "Frank Herbert" in titles
    assert "publications" not in feeds["search"]
    inbox.approve([held.id])
    found = await json_feed(catalog, f"{ROOT}/search?query=omens")
    assert publication_ids(found) == [f"urn:bookorbit:book:{held.id}"]


async def test_v2_addresses_are_json_whatever_the_client_accepts(catalog: Catalog):
    """/opds/v2 is JSON for clients that send no Accept header, and even to one asking Atom."""
    for headers in ({}, {"Accept": "application/atom+xml"}):
        plain = await catalog.get(ROOT, headers=headers)
        assert plain.headers["Content-Type"].startswith(OPDS2)
        assert (await plain.read()).startswith(b"{")
        assert "Vary" not in plain.headers  # one rendering only: nothing to negotiate


async def test_a_section_added_to_the_table_is_served_and_listed_in_both_renderings(
    library, monkeypatch
):
    """How a navigation feed joins the catalog: one `Section` in `SECTIONS` (here one that
    reuses the Authors method) is mounted at /opds/<name> and /opds/v2/<name> and listed on
    both roots."""
    import aiohttp

    from bookorbit_desktop.server.accounts import key_for_password, set_account
    from bookorbit_desktop.server.opds import catalog as catalog_module
    from bookorbit_desktop.server.opds import routes
    from bookorbit_desktop.server.opds.catalog import SECTIONS, Section
    from tests.server.opds.support import AUTH_HEADERS, PASSWORD, USER, start_catalog

    extra = Section("writers", "Writers", "The same people, under another name", "authors")
    monkeypatch.setattr(catalog_module, "SECTIONS", (*SECTIONS, extra))
    monkeypatch.setattr(routes, "SECTIONS", (*SECTIONS, extra))
    set_account(USER, key_for_password(PASSWORD))
    server, base = await start_catalog(library)
    try:
        async with aiohttp.ClientSession(headers=AUTH_HEADERS) as session:
            catalog = Catalog(base, session, server.ctx, server)
            document = await json_feed(catalog, ROOT)
            assert navigation_titles(document)[-1] == "Writers"
            assert document["navigation"][-1]["href"] == f"{ROOT}/writers"
            atom, _raw = await catalog.feed("/opds")
            assert entry_titles(atom)[-1] == "Writers"
            assert (await json_feed(catalog, f"{ROOT}/writers"))["metadata"]["title"] == "Authors"
            feed, _raw = await catalog.feed("/opds/writers")
            assert feed.findtext(f"{{{ATOM}}}title") == "Authors"
    finally:
        await server.stop()


async def test_a_publication_describes_itself_with_the_words_of_its_description_only(
    catalog: Catalog,
):
    dune = _library(catalog.ctx.paths)["dune"]
    Book.update(description=STORED_RAW).where(Book.id == dune.id).execute()
    document = await json_feed(catalog, f"{ROOT}/books")
    by_title = {item["metadata"]["title"]: item for item in document["publications"]}
    assert by_title["Dune"]["metadata"]["description"] == "A desert planet.\n\nSpice"


async def test_a_book_of_several_languages_lists_them_in_order(catalog: Catalog):
    from bookorbit_desktop.library.store.languages import set_languages_of
    from bookorbit_desktop.library.store.models import database

    dune = _library(catalog.ctx.paths)["dune"]
    with database.atomic():
        set_languages_of({dune.id: ["fr", "en"]})
    document = await json_feed(catalog, f"{ROOT}/books")
    by_title = {item["metadata"]["title"]: item for item in document["publications"]}
    assert by_title["Dune"]["metadata"]["language"] == ["fr", "en"]
    assert not schema_errors(by_title["Dune"], PUBLICATION_SCHEMA)
