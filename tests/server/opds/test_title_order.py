"""The catalog's lists by title, Atom and JSON, are in the library table's title order (its
stored, folded keys): "Éclair" and "Émile" among the other E's, not after "Z"; a book without a
title last. They page through it exactly, either way, each page read along an index; a page
address of the order before is answered as any damaged one is."""

from __future__ import annotations

import base64
import json

import pytest

from bookorbit_desktop.library.store.keyset import FIRST, Cursor
from bookorbit_desktop.library.store.models import Author, database
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.server.opds import queries, tags
from bookorbit_desktop.server.opds.model import CatalogUrls
from bookorbit_desktop.server.opds.page_request import BAD_CURSOR
from bookorbit_desktop.server.opds.paging import Page
from bookorbit_desktop.server.opds.queries import BookEntry
from bookorbit_desktop.server.opds.routes import JSON_FEEDS
from bookorbit_desktop.server.opds.search import search_books
from bookorbit_desktop.server.opds.text import UNTITLED
from bookorbit_desktop.services.library.table_window import ordered_ids
from tests.factories import add_book
from tests.server.opds.json_support import json_feed, link_href
from tests.server.opds.support import (
    Catalog,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_titles,
    write_book_file,
)
from tests.server.opds.support import link_href as atom_link_href

TITLES = ["Zola", "L'Étranger", "Émile", "Emma", "Éclair", "le Temps", ""]
IN_ORDER = ["Éclair", "Émile", "Emma", "L'Étranger", "le Temps", "Zola", UNTITLED]
ATOM, JSON = CatalogUrls(), CatalogUrls(feeds=JSON_FEEDS, search_param="query")


def _shelve(catalog: Catalog) -> dict[str, str]:
    """The books, all by one author, with one tag, in one series at the same place; the
    addresses of the lists that hold them all, by name."""
    folder = catalog.ctx.paths.data_dir / "books"
    ids = []
    for number, title in enumerate(TITLES):
        file = write_book_file(folder, f"{number}.epub", f"book {number}".encode())
        ids.append(add_book(title, ["Ann Author"], file=file, series="Saga", series_index=1).id)
    change_tags(ids, catalog.ctx.paths, add=["poetry"])
    author = Author.get(Author.name == "Ann Author").id
    tag = database.execute_sql("SELECT id FROM tag WHERE name = 'poetry'").fetchone()[0]
    set_setting("opds.page_size", 2)
    return {
        "books": "books",
        "author": f"authors/{author}",
        "tag": f"tags/{tag}",
        "series": "series/books",
    }


def _window_order() -> list[str]:
    """The titles as the library window lists them, sorted by title."""
    titles = dict(database.execute_sql("SELECT id, title FROM book").fetchall())
    return [titles[book_id] or UNTITLED for book_id in ordered_ids("title", False)]


def _address(urls: CatalogUrls, path: str) -> str:
    return urls.feed(path, name="Saga") if path == "series/books" else urls.feed(path)


async def _atom_titles(catalog: Catalog, href: str, rel: str) -> list[list[str]]:
    """The titles of every page from `href` on, following the `rel` links."""
    pages: list[list[str]] = []
    next_href: str | None = href
    while next_href is not None:
        root, _body = await catalog.feed(next_href)
        pages.append(entry_titles(root))
        next_href = atom_link_href(root, rel)
    return pages


async def _json_titles(catalog: Catalog, href: str, rel: str) -> list[list[str]]:
    pages: list[list[str]] = []
    next_href: str | None = href
    while next_href is not None:
        document = await json_feed(catalog, next_href)
        pages.append([item["metadata"]["title"] for item in document.get("publications", [])])
        next_href = link_href(document, rel)
    return pages


@pytest.mark.parametrize("rendering", ["atom", "json"])
async def test_every_list_by_title_is_in_the_windows_order_page_by_page(
    catalog: Catalog, rendering: str
):
    lists = _shelve(catalog)
    assert _window_order() == IN_ORDER
    urls, titles_of = (ATOM, _atom_titles) if rendering == "atom" else (JSON, _json_titles)
    addresses = [_address(urls, path) for path in lists.values()]
    addresses.append(urls.search(FIRST, "saga"))
    for address in addresses:
        pages = await titles_of(catalog, address, "next")
        assert [len(page) for page in pages] == [2, 2, 2, 1], address
        assert [title for page in pages for title in page] == IN_ORDER, address
    # Back by the `previous` links from the last page, whose key is the untitled book's (empty).
    for address in addresses:
        forward = await _last_href(catalog, address, rendering)
        backward = await titles_of(catalog, forward, "previous")
        assert [title for page in reversed(backward) for title in page] == IN_ORDER, address


async def _last_href(catalog: Catalog, href: str, rendering: str) -> str:
    """The address of the page the `next` links from `href` end at."""
    while True:
        if rendering == "atom":
            root, _body = await catalog.feed(href)
            following = atom_link_href(root, "next")
        else:
            following = link_href(await json_feed(catalog, href), "next")
        if following is None:
            return href
        href = following


def _token(direction: str, key: list[object]) -> str:
    raw = json.dumps([direction, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


@pytest.mark.parametrize("urls", [ATOM, JSON], ids=["atom", "json"])
async def test_a_page_address_of_the_old_title_order_gets_a_400(catalog: Catalog, urls):
    lists = _shelve(catalog)
    old_keys = {
        "books": ["emma", 4],  # (sort title, id)
        "author": ["emma", 4],
        "tag": ["emma", 4],
        "series": [0, 1, "emma", 4],  # (no number, number, sort title, id)
    }
    for name, path in lists.items():
        address = _address(urls, path)
        separator = "&" if "?" in address else "?"
        for direction in ("a", "b"):
            response = await catalog.get(
                f"{address}{separator}cursor={_token(direction, old_keys[name])}"
            )
            assert response.status == 400, (address, response.status)
            assert await response.text() == BAD_CURSOR + "\n"


def _plans(read, source: str = "FROM book_sort_key k") -> list[str]:
    """The query plans of the queries of `source` that `read()` makes, one text each."""
    connection = database.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        read()
    finally:
        connection.set_trace_callback(None)
    made = [sql for sql in seen if source in sql and "ORDER BY" in sql]
    assert made
    return [
        " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in made
    ]


def _every_page(query) -> None:
    """Every page of a list, forward then back, 2 at a time."""
    cursor: Cursor | None = FIRST
    page = None
    while cursor is not None:
        page = query(cursor, 2)
        cursor = page.next
    while page is not None and page.previous is not None:
        page = query(page.previous, 2)


async def test_the_pages_are_read_along_the_title_index_or_by_id(catalog: Catalog):
    lists = _shelve(catalog)
    author, tag = (int(lists[name].rsplit("/", 1)[1]) for name in ("author", "tag"))
    # All books, and a search: the stored keys walked from their index, never sorted.
    for read in (queries.all_books, lambda cursor, size: search_books(["e"], cursor, size)):
        for plan in _plans(lambda read=read: _every_page(read)):
            assert "book_sort_key_title" in plan and "TEMP B-TREE" not in plan, plan
    # A group's books: each one's keys read by its id, and only those sorted.
    for read in (
        lambda cursor, size: queries.books_by_author(author, cursor, size),
        lambda cursor, size: tags.books_with_tag(tag, cursor, size),
    ):
        for plan in _plans(lambda read=read: _every_page(read)):
            assert "SEARCH k USING INTEGER PRIMARY KEY" in plan and "SCAN" not in plan, plan

    # A series' books: from the series' index, sorting only the books at one place.
    def saga(cursor: Cursor, size: int) -> Page[BookEntry]:
        return queries.books_in_series("Saga", cursor, size)

    for plan in _plans(lambda: _every_page(saga), "FROM book b CROSS JOIN book_sort_key k"):
        assert "book_series_order" in plan and "SCAN" not in plan, plan
        assert "TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plan, plan


async def test_an_empty_key_in_any_place_of_a_token_is_read_as_a_key(catalog: Catalog):
    """null stands for an empty key, after every text: before a key of them all comes the end
    of a list; a token of the wrong length is answered as damaged, never with an error."""
    lists = _shelve(catalog)
    orders = {
        lists["books"]: queries.BY_TITLE,
        lists["author"]: queries.BY_TITLE,
        lists["tag"]: queries.BY_TITLE,
        "series/books": queries.IN_SERIES,
        "recent": queries.NEWEST,
        "authors": queries.AUTHORS,
        "tags": tags.TAGS,
    }
    for path, order in orders.items():
        address = _address(ATOM, path)
        separator = "&" if "?" in address else "?"
        for parts in range(2, 6):
            token = _token("b", [None] * parts)
            response = await catalog.get(f"{address}{separator}cursor={token}")
            text = await response.text()
            fits = parts == len(order.columns)
            assert response.status == (200 if fits else 400), (address, parts, text[:300])
            if not fits:
                assert text == BAD_CURSOR + "\n"
    root, _body = await catalog.feed(f"/opds/books?cursor={_token('b', [None] * 3)}")
    assert entry_titles(root) == ["Zola", UNTITLED]
