"""`gather.reads_between` reads only the books with a read that can count in the dates, yet a
goal or a year counts from it exactly what it counts from every read: random libraries of
copies (two of one Hardcover book, unlinked ones), the library's reads (done, open, abandoned,
with and without dates, named by a Hardcover read id) and reads pulled from hardcover.app (the
same ids, a Read entry's undated latest read, a Hardcover book no copy is linked to).

`BOOKORBIT_PROPERTY_EXAMPLES=500 pytest tests/library/reads/test_gather_window.py` searches
longer than `make test`.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.reads.counting import counted
from bookorbit_desktop.library.reads.gather import reads_between
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.year.figures import year_bounds, year_reads
from tests.factories import add_book
from tests.library.reads.test_gather import link, pulled

D = dt.date
EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "60"))
BOOKS = 4
DAYS = st.one_of(
    st.none(),
    st.sampled_from([D(2024, 12, 31), D(2025, 1, 1), D(2025, 6, 30), D(2025, 12, 31)]),
    st.sampled_from([D(2026, 1, 1), D(2026, 3, 15), D(2026, 12, 31), D(2027, 1, 1)]),
)
LIBRARY_READS = st.lists(
    st.tuples(
        st.integers(0, BOOKS - 1),
        st.sampled_from(["done", "done", "open", "abandoned"]),
        DAYS,  # started
        DAYS,  # finished
        st.one_of(st.none(), st.integers(1, 8)),  # the Hardcover read it is
    ),
    max_size=8,
)
HARDCOVER_READS = st.lists(st.tuples(st.integers(1, 3), DAYS, DAYS), max_size=8)
LINKS = st.lists(st.sampled_from([None, 1, 2]), min_size=BOOKS, max_size=BOOKS)
STATUSES = st.lists(st.sampled_from([2, 3]), min_size=3, max_size=3)


def _books() -> list[int]:
    ids = [book.id for book in Book.select().order_by(Book.id)]
    return ids or [add_book(f"Book {n}").id for n in range(BOOKS)]


def _fill(links, library_reads, hardcover_reads, statuses) -> None:
    for table in ("book_read", "hardcover_match", "hardcover_pulled"):
        database.execute_sql(f"DELETE FROM {table}")
    books = _books()
    for n, hc_book in enumerate(links):
        if hc_book is not None:
            link(books[n], hc_book, user_book=100 * hc_book + n)
    taken: set[int] = set()
    for n, state, started, finished, read_id in library_reads:
        read_id = None if read_id in taken else read_id  # a Hardcover read is one library read
        taken.add(read_id or 0)
        database.execute_sql(
            "INSERT INTO book_read (book_id, started, finished, state, source,"
            " hardcover_read_id, created_at) VALUES (?, ?, ?, ?, 'library', ?, ?)",
            (books[n], _text(started), _text(finished), state, read_id, time.time()),
        )
    for hc_book in (1, 2, 3):  # 3: no copy is linked to it
        reads = [
            {"id": read_id, "started": _text(started), "finished": _text(finished)}
            for read_id, (book, started, finished) in enumerate(hardcover_reads, 1)
            if book == hc_book
        ]
        holder = next((n for n, linked in enumerate(links) if linked == hc_book), 0)
        pulled(100 * hc_book + holder, hc_book, statuses[hc_book - 1], reads)


def _text(day: D | None) -> str | None:
    return None if day is None else day.isoformat()


def _spans(extra: tuple[D, D]) -> list[tuple[D, D]]:
    return [year_bounds(2025), year_bounds(2026), (D(2025, 6, 30), D(2026, 3, 15)), extra]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    links=LINKS,
    library_reads=LIBRARY_READS,
    hardcover_reads=HARDCOVER_READS,
    statuses=STATUSES,
    extra=st.tuples(DAYS.filter(bool), DAYS.filter(bool)).map(sorted).map(tuple),
)
def test_the_dates_books_reads_count_as_every_read_does(
    library, links, library_reads, hardcover_reads, statuses, extra
):
    _fill(links, library_reads, hardcover_reads, statuses)
    every = reads_between(D.min, D.max)  # every read of each book with a done read
    for start, end in _spans(extra):
        some = reads_between(start, end)
        assert len(some) <= len(every)
        assert counted(some, start, end) == counted(every, start, end)
    for year in (2025, 2026):
        assert year_reads(reads_between(*year_bounds(year)), year) == year_reads(every, year)


def test_a_year_reads_only_its_books(library):
    """A book read in 2024 alone is not read for 2026; a book re-read in 2026 brings its 2024
    read too (it makes the 2026 read a re-read)."""
    old, again = add_book("Read in 2024").id, add_book("Re-read in 2026").id
    for book, finished in ((old, "2024-03-01"), (again, "2024-05-01"), (again, "2026-02-01")):
        database.execute_sql(
            "INSERT INTO book_read (book_id, finished, state, source, created_at)"
            " VALUES (?, ?, 'done', 'library', 0)",
            (book, finished),
        )
    reads = reads_between(*year_bounds(2026))
    assert sorted((r.book_id, r.finished) for r in reads) == [
        (again, D(2024, 5, 1)),
        (again, D(2026, 2, 1)),
    ]
    year = year_reads(reads, 2026)
    assert [r.finished for r in year.counted.finished] == [D(2026, 2, 1)]
