"""The catalog's "By tag": the tags of listed books with their counts, each leading to its
books, in the Atom feeds (checked with jing) and the OPDS 2.0 JSON ones (checked against the
JSON Schemas), paged by key while books come and go, as every other list."""

from __future__ import annotations

import itertools

import pytest

from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.tags.changes import change_tags
from tests.factories import add_book
from tests.server.opds.json_support import json_feed, navigation_titles, publication_ids
from tests.server.opds.json_support import link_href as json_link_href
from tests.server.opds.support import (
    A,
    Catalog,
    assert_feed_structure,
    assert_walked_once,
    catalog_fixture,  # noqa: F401  (the `catalog` fixture)
    entry_ids,
    entry_titles,
    jing_validate,
    link_href,
    links,
    walk_pages,
    write_book_file,
)
from tests.server.opds.test_keyset import INTERLEAVINGS, PAGE_SIZE

_files = itertools.count()


def _book(catalog: Catalog, title: str, *tags: str, file: bool = True) -> Book:
    folder = catalog.ctx.paths.data_dir / "books"
    number = next(_files)
    path = write_book_file(folder, f"{number}.epub", f"book {number}".encode()) if file else None
    book = add_book(title, [f"{title} Writer"], file=path)
    if tags:
        change_tags([book.id], catalog.ctx.paths, add=tags)
    return book


@pytest.fixture
def tagged(catalog: Catalog) -> Catalog:
    """12 books tagged "Fantasy" (titles colliding in pairs), 3 "science fiction", one
    "Classic"; "Unlisted" only on a book without a file and one waiting in the Inbox."""
    for number in range(12):
        _book(catalog, f"Quest {number // 2:02d}", "Fantasy", *(["Classic"] * (number == 0)))
    for title in ("Dune", "Solaris", "Hyperion"):
        _book(catalog, title, "science fiction")
    _book(catalog, "Lost", "Unlisted", file=False)
    held = _book(catalog, "Held", "Unlisted")
    database.execute_sql("INSERT INTO book_inbox (book_id, held_at) VALUES (?, 0)", (held.id,))
    return catalog


async def _tag_href(catalog: Catalog, name: str) -> str:
    root, _raw = await catalog.feed("/opds/tags")
    [entry] = [e for e in root.findall(f"{A}entry") if e.findtext(f"{A}title") == name]
    return links(entry)[0].get("href")


async def test_by_tag_lists_the_tags_with_counts_and_leads_to_their_books(tagged, tmp_path):
    opds_root, _raw = await tagged.feed("/opds")
    assert "By tag" in entry_titles(opds_root)
    root, raw = await tagged.feed("/opds/tags")
    assert_feed_structure(root, acquisition=False)
    assert entry_titles(root) == ["Classic", "Fantasy", "science fiction"]
    counts = [entry.findtext(f"{A}content") for entry in root.findall(f"{A}entry")]
    assert counts == ["1 book", "12 books", "3 books"]
    books, books_raw = await tagged.feed(await _tag_href(tagged, "science fiction"))
    assert_feed_structure(books, acquisition=True)
    assert entry_titles(books) == ["Dune", "Hyperion", "Solaris"]
    assert link_href(books, "up") == "/opds/tags"
    jing_validate([raw, books_raw], tmp_path / "jing")


async def test_a_tag_s_books_are_paged_by_key_like_every_list(tagged):
    set_setting("opds.page_size", PAGE_SIZE)
    href = await _tag_href(tagged, "Fantasy")
    pages = await walk_pages(tagged, href)
    assert len(pages) == 4
    assert [title for page in pages for title in entry_titles(page)] == [
        f"Quest {number // 2:02d}" for number in range(12)
    ]
    assert "cursor=" in link_href(pages[0], "next")


@pytest.mark.parametrize("interleaving", INTERLEAVINGS)
async def test_books_tagged_and_removed_between_pages_never_repeat_or_skip(tagged, interleaving):
    set_setting("opds.page_size", PAGE_SIZE)
    href = await _tag_href(tagged, "Fantasy")
    before = [entry for page in await walk_pages(tagged, href) for entry in entry_ids(page)]
    changes = itertools.cycle(INTERLEAVINGS[interleaving])
    seen: list[str] = []
    next_href: str | None = href
    while next_href is not None:
        if seen:
            name, _change = next(changes)
            if name.startswith("add"):
                _book(
                    tagged, {"add first": "Aa", "add last": "Zz"}.get(name, "Quest 03"), "Fantasy"
                )
            else:
                books = list(Book.select().where(Book.title.startswith("Quest")))
                books[
                    {"remove first": 0, "remove last": -1}.get(name, len(books) // 2)
                ].delete_instance()
        root, _raw = await tagged.feed(next_href)
        seen += entry_ids(root)
        next_href = link_href(root, "next")
    after = [entry for page in await walk_pages(tagged, href) for entry in entry_ids(page)]
    assert_walked_once(before, seen, after)


async def test_the_json_catalog_lists_the_same_tags_and_books(tagged):
    set_setting("opds.page_size", 2)
    tags = await json_feed(tagged, "/opds/v2/tags")  # validated against the schema there
    assert navigation_titles(tags)[:2] == ["Classic", "Fantasy"]
    following = await json_feed(tagged, json_link_href(tags, "next"))
    assert navigation_titles(following) == ["science fiction"]
    [fantasy] = [item for item in tags["navigation"] if item["title"] == "Fantasy"]
    assert fantasy["properties"]["numberOfItems"] == 12
    shown, href = [], fantasy["href"]
    while href is not None:
        page = await json_feed(tagged, href)
        shown += publication_ids(page)
        href = json_link_href(page, "next")
    atom = [entry for page in await walk_pages(tagged, await _tag_href(tagged, "Fantasy"))
            for entry in entry_ids(page)]  # fmt: skip
    assert shown == atom


@pytest.mark.parametrize(
    ("href", "status"),
    [("/opds/tags/999", 404), ("/opds/v2/tags/999", 404), ("/opds/tags/1?page=0", 400)],
)
async def test_an_unknown_tag_is_not_found_and_a_bad_page_is_refused(tagged, href, status):
    response = await tagged.get(href)
    assert response.status == status


async def test_a_tag_only_unlisted_books_carry_is_not_found(tagged):
    from bookorbit_desktop.library.store.models import database
    from bookorbit_desktop.library.tags.store import find_tag

    assert find_tag("unlisted") == "Unlisted"
    [(tag_id,)] = database.execute_sql("SELECT id FROM tag WHERE name = 'Unlisted'").fetchall()
    response = await tagged.get(f"/opds/tags/{tag_id}")
    assert response.status == 404


async def test_an_empty_library_serves_valid_tag_feeds(catalog: Catalog, tmp_path):
    root, raw = await catalog.feed("/opds/tags")
    assert root.findall(f"{A}entry") == []
    await json_feed(catalog, "/opds/v2/tags")
    jing_validate([raw], tmp_path / "jing")
