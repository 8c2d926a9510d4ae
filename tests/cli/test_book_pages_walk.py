"""The first page of a search walked in title order, each book checked by its own rows
(`Condition.each`): whether it is walked, walked and left short, or not walked at all, the pages
hold exactly the books the search's condition keeps, in the library table's title order, each
once."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bookorbit_desktop.cli.book_pages import book_pages
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.services.library.table_window import ordered_ids
from tests.factories import add_book

WORDS = ("garden", "river", "café", "lord", "ring", "quiet", "élan", "kai", "paper", "stone")
AUTHORS = ("Anna Müller", "Kai Chen", "Grace Adams", "José García")
CHECKED_EACH = (
    # dense and sparse, looked up in the index or checked in every text (two letters)
    *("e", "ar", "garden", "kai", "garden river", "lord ring quiet", "zq", '"lord ring"'),
    *("not garden", "not ka", "garden not river", "not e", "garden or ka", "not (ri or ll)"),
    # the book's own fields, with and without the index's candidates
    *("title:garden", "title:=garden", "title:ka", "title:~^r", "series:cycle", "pages:>100"),
    *("not title:garden", "series:false", "garden pages:<200"),
)
# Parts that have no check on one book's rows: never walked.
NOT_EACH = ("author:müller", "status:reading", "not status:unread", "garden status:read")
SEARCHES = (*CHECKED_EACH, *NOT_EACH)


@pytest.fixture
def shelf(library) -> None:
    """600 books of two to four words, a series for every third, some read or reading."""
    rng = random.Random(7)
    with database.atomic():
        for number in range(600):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).capitalize()
            series = f"The {rng.choice(WORDS)} cycle" if number % 3 == 0 else None
            status = rng.choice(("unread", "unread", "reading", "read"))
            book = add_book(title, [rng.choice(AUTHORS)], series=series, status=status)
            Book.update(pages=rng.randrange(50, 400)).where(Book.id == book.id).execute()


def _temporary_tables() -> int:
    return int(database.execute_sql("SELECT count(*) FROM sqlite_temp_master").fetchone()[0])


def _kept(condition: str, params: tuple[object, ...]) -> set[int]:
    return {
        row[0] for row in database.execute_sql(f"SELECT b.id FROM book b WHERE {condition}", params)
    }


def test_each_book_checked_by_its_own_rows_is_kept_as_the_condition_keeps_it(shelf):
    for search in SEARCHES:
        found = search_condition(search, date.today())
        assert found is not None
        if search in NOT_EACH:
            assert found.each is None, search
        else:
            assert found.each is not None, search
            assert _kept(found.each, found.each_params) == _kept(found.sql, found.params), search


def test_a_first_page_walked_or_not_pages_what_the_condition_keeps(shelf):
    for search in SEARCHES:
        found = search_condition(search, date.today())
        assert found is not None
        kept = _kept(found.sql, found.params)
        expected = [book_id for book_id in ordered_ids("title", False) if book_id in kept]
        # never walked, walked within a tenth of the library (the default), or within 150
        # books, or over the whole library
        for walk in (0, None, 150, 10**6):
            pages = list(book_pages(size=10, found=found, walk=walk))
            assert [book["id"] for page in pages for book in page] == expected, (search, walk)
            assert all(len(page) == 10 for page in pages[:-1]), (search, walk)
            assert _temporary_tables() == 0


WALKED = {  # with walks of at most 100 books, 20 for a negation of a search the index looks up
    "not garden": True,  # most books: a page is about 13 books away
    "e": True,
    "ar": True,  # two letters, about 24 books away: every text would be read to keep them
    "garden": False,  # the index finds them: kept whole at once
    "not (garden river)": True,  # the index finds those left out, most books are kept
    "lord ring quiet": False,  # few books: kept whole
    "author:müller": False,  # no check on one book's rows
}


def test_only_a_search_found_near_the_start_is_walked(shelf):
    """A walked first page comes before the search is kept whole (in a temporary table); the
    pages after it come from the kept books, from the walked page's last book on."""
    for search, walked in WALKED.items():
        found = search_condition(search, date.today())
        pages = book_pages(size=10, found=found, walk=100)
        first = next(pages)
        assert (_temporary_tables() == 0) == walked, search
        rest = [book["id"] for page in pages for book in page]
        kept = [book["id"] for page in book_pages(size=10, found=found, walk=0) for book in page]
        assert [book["id"] for book in first] + rest == kept, search
