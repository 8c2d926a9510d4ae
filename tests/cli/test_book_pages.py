"""The `books` listing, read by sort key a page at a time: every book once, in title order or
by author (surname first), and the same JSON as one array."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.cli import main
from bookorbit_desktop.cli.book_pages import book_pages, write_json_array
from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.store.models import Author, database
from bookorbit_desktop.library.store.queries import list_books
from tests.factories import add_book


def test_pages_hold_every_book_once_in_title_order(library):
    for number in range(7):
        add_book(f"Book {number % 3}")  # titles collide: the id breaks the ties
    pages = list(book_pages(size=3))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [book["id"] for page in pages for book in page] == [b["id"] for b in list_books()]


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


# (few, window, most): the found books kept and the order walked, or sorted for each page;
# each book checked on a walk, until a page would need more than `most` books read (and then
# kept: walked or sorted), or to the end.
WAYS = [(0, 0, 0), (10**6, 0, 0), (0, 1, 2), (10**6, 1, 5), (0, 2, 8), (0, 1, 10**6)]


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
    for few, window, most in WAYS:
        pages = list(book_pages(size=3, sort=sort, found=found, few=few, window=window, most=most))
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
    for few, window, most in WAYS:
        pages = list(book_pages(size=3, sort=sort, found=found, few=few, window=window, most=most))
        assert [book["id"] for page in pages for book in page] == expected
        assert database.execute_sql(temporary).fetchone()[0] == 0
        left = book_pages(size=3, sort=sort, found=found, few=few, window=window, most=most)
        assert next(left)
        left.close()
        assert database.execute_sql(temporary).fetchone()[0] == 0


_TERMS = st.sampled_from(
    [
        *("ri", "é", "ka", "zq", "river", "élan", "müller", "garden", '"lord ring"'),
        *("author:kai", "title:ri", "series:harbour", "status:reading", "author:=kai müller"),
    ]
)
_PAGED = st.recursive(
    _TERMS,
    lambda inner: st.one_of(
        inner.map(lambda text: f"not ({text})"),
        st.lists(inner, min_size=2, max_size=3).map(lambda p: " ".join(f"({t})" for t in p)),
        st.lists(inner, min_size=2, max_size=3).map(lambda p: " or ".join(f"({t})" for t in p)),
    ),
    max_leaves=4,
)


@pytest.fixture
def shelved(library) -> None:
    """Books whose titles, authors and series the searches above find some of."""
    words = ("river", "élan", "garden", "lord", "ring", "harbour", "quiet")
    names = ("Kai Müller", "Rita Chen", "Ana Brontë")
    for number in range(24):
        title = f"{words[number % 7].title()} {words[number * 3 % 7]}"
        series = f"The {words[number % 5]} Cycle" if number % 3 == 0 else None
        add_book(title, [names[number % 3]] if number % 4 else [], series=series)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(
    search=_PAGED,
    size=st.integers(1, 5),
    window=st.integers(0, 6),
    most=st.integers(0, 40),
    few=st.sampled_from([0, 8, 10**6]),
    sort=st.sampled_from(["title", "author"]),
)
def test_every_way_of_paging_a_search_lists_what_its_condition_keeps(
    shelved, search: str, size: int, window: int, most: int, few: int, sort: str
):
    """However the pages are found (each book of the order checked on a walk, a walk left
    short and the search then kept whole, walked or sorted), they list the books the search's
    condition keeps, in the order, `size` at a time."""
    found = search_condition(search, date.today())
    assert found is not None
    keeps = {
        row[0]
        for row in database.execute_sql(f"SELECT b.id FROM book b WHERE {found.sql}", found.params)
    }
    in_order = [book["id"] for page in book_pages(sort=sort) for book in page]
    pages = list(book_pages(size, sort, found, few=few, window=window, most=most))
    assert [book["id"] for page in pages for book in page] == [i for i in in_order if i in keeps]
    assert all(len(page) == size for page in pages[:-1])


@pytest.mark.parametrize(
    ("search", "kept"),
    [
        ("r", False),  # in every title: walked
        ("not zola", False),  # every book: walked
        ("garden", False),  # in the first four titles of the order: walked
        ("kai", True),  # one book in four: a page would need more books read, run whole
        ("lord", True),  # none among the first books: run whole after the first window
    ],
)
def test_a_search_most_books_match_is_walked_and_a_rare_one_run_whole(shelved, search, kept):
    """The first page of a search is found by walking the title order while the matches seen
    say the rest of the page needs at most `most` books read; a rarer search is run once and
    kept (its temporary table is there while its pages are read)."""
    found = search_condition(search, date.today())
    assert found is not None
    pages = book_pages(size=3, found=found, window=3, most=5)
    assert len(next(pages)) == 3
    assert database.execute_sql("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == kept
    pages.close()
