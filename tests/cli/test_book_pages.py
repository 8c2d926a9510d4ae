"""The `books` listing, read by sort key a page at a time: every book once, in title order or
by author (surname first), and the same JSON as one array."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.cli.book_pages import book_pages, write_json_array
from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.store.models import Author, database
from bookorbit_desktop.library.store.queries import list_books
from bookorbit_desktop.services.library.table_window import ordered_ids
from tests.factories import add_book


def test_pages_hold_every_book_once_in_title_order(library):
    for number in range(7):
        add_book(f"Book {number % 3}")  # titles collide: the id breaks the ties
    pages = list(book_pages(size=3))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [book["id"] for page in pages for book in page] == [b["id"] for b in list_books()]


def test_the_listing_is_in_the_library_tables_title_order(library, capsys):
    """Accented titles among the others, as the window sorts them: not after "Z"."""
    for title in ("Zola", "L'Étranger", "Émile", "Emma", "The Hobbit", "Éclair", "le Temps"):
        add_book(title)
    shown = [book["title"] for page in book_pages(size=2) for book in page]
    # (the factory's sort title keeps the article: "the hobbit")
    assert shown == ["Éclair", "Émile", "Emma", "L'Étranger", "le Temps", "The Hobbit", "Zola"]
    assert [book["id"] for page in book_pages(size=2) for book in page] == list(
        ordered_ids("title", False)
    )


BY_AUTHOR = [  # title, author, in the order of the authors' sort texts
    ("The Plague", "Albert Camus"),  # one author: by sort title ("plague, the" first)
    ("The Stranger", "Albert Camus"),
    ("The Little Prince", "Antoine de Saint-Exupéry"),
    ("The Three Musketeers", "Alexandre Dumas"),
    ("The Odyssey", "Homer"),
    ("A Wizard of Earthsea", "Ursula K. Le Guin"),
    ("The Martian", "Andy Weir"),
    ("Anonymous Pamphlet", None),  # no author: last
]


def _shelve_by_author() -> None:
    for title, name in reversed(BY_AUTHOR):  # added last to first: the ids do not help
        add_book(title, [name] if name else [])
    for author in Author.select():
        Author.update(sort_name=author_sort(author.name)).where(Author.id == author.id).execute()


def test_pages_by_author_follow_the_surnames(library):
    _shelve_by_author()
    pages = list(book_pages(size=3, sort="author"))
    assert [len(page) for page in pages] == [3, 3, 2]
    titles = [book["title"] for page in pages for book in page]
    assert titles == [title for title, _author in BY_AUTHOR]


def test_books_sorted_by_author_on_the_command_line(library, capsys):
    _shelve_by_author()
    assert main(["books", "--sort", "author"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:-1]
    assert [line.split("  ")[-1].split(" — ")[0] for line in lines][:3] == [
        "The Plague",
        "The Stranger",
        "The Little Prince",
    ]


def test_an_empty_library_has_no_pages(library):
    assert list(book_pages()) == []


@pytest.mark.parametrize(
    "items",
    [[], [{"id": 1}], [{"id": 1, "title": "Émile", "files": []}, {"id": 2, "files": [{"a": 1}]}]],
)
def test_the_json_array_is_written_as_json_dump_writes_it(items):
    out = io.StringIO()
    write_json_array(iter(items), out)
    assert out.getvalue() == json.dumps(items, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("sort", ["title", "author"])
def test_a_search_pages_its_books_the_same_by_either_way(library, sort):
    """Sorting the found books for each page, or walking the order's index and keeping the
    found ones: every book the search finds once, in the order, and no other."""
    _shelve_by_author()
    for number in range(7):
        add_book(f"Other {number % 3}", ["Homer"])
    found = search_condition("the", date.today())
    assert found is not None
    finds = {row[0] for row in database.execute_sql(found.ids, found.ids_params)}
    in_order = [book["id"] for page in book_pages(sort=sort) for book in page]
    expected = [book_id for book_id in in_order if book_id in finds]
    assert 3 < len(expected) < len(in_order)
    for few in (0, 10**6):  # walked, sorted
        pages = list(book_pages(size=3, sort=sort, found=found, few=few))
        assert [book["id"] for page in pages for book in page] == expected
        assert [len(page) for page in pages[:-1]] == [3] * (len(pages) - 1)


@pytest.mark.parametrize("search", ["the", "not the", "the not homer", "not homer not camus"])
@pytest.mark.parametrize("sort", ["title", "author"])
def test_a_search_kept_once_pages_what_its_condition_keeps(library, sort, search):
    """The found books kept in a temporary table (a negation: the books it leaves out) page
    as each book checked by the search's condition does, walked or sorted, and the table is
    gone once the pages are read or left."""
    _shelve_by_author()
    for number in range(7):
        add_book(f"Other {number % 3}", ["Homer"])
    found = search_condition(search, date.today())
    assert found is not None
    keeps = {
        row[0]
        for row in database.execute_sql(f"SELECT b.id FROM book b WHERE {found.sql}", found.params)
    }
    in_order = [book["id"] for page in book_pages(sort=sort) for book in page]
    expected = [book_id for book_id in in_order if book_id in keeps]
    assert 0 < len(expected) < len(in_order)
    temporary = "SELECT count(*) FROM sqlite_temp_master"
    for few in (0, 10**6):  # walked, sorted
        pages = list(book_pages(size=3, sort=sort, found=found, few=few))
        assert [book["id"] for page in pages for book in page] == expected
        assert database.execute_sql(temporary).fetchone()[0] == 0
        left = book_pages(size=3, sort=sort, found=found, few=few)
        assert next(left)
        left.close()
        assert database.execute_sql(temporary).fetchone()[0] == 0


def test_a_page_of_records_is_built_without_the_cycle_collector_and_it_resumes(
    library, monkeypatch
):
    """A page's records are tens of thousands of objects made at once: the collector's scans
    over them, again and again, would cost more than their reading (`gc_pause`)."""
    import gc

    from bookorbit_desktop.cli import book_pages as pages

    for number in range(3):
        add_book(f"Book {number}")
    seen, plain = [], pages.list_books
    monkeypatch.setattr(
        pages, "list_books", lambda ids: (seen.append(gc.isenabled()), plain(ids))[1]
    )
    assert gc.isenabled()
    assert [len(page) for page in book_pages(size=2)] == [2, 1]
    assert seen == [False, False] and gc.isenabled()
