"""Every read the library knows (`library.reads.gather`), from a real library file: its own
reads kept by the reading state, and the reads pulled from hardcover.app."""

from __future__ import annotations

import datetime as dt
import json
import time

from bookorbit_desktop.library.reads.counting import counted
from bookorbit_desktop.library.reads.gather import reads_between
from bookorbit_desktop.library.store.models import ReadingState, database
from tests.factories import add_book

D = dt.date


def set_state(book_id: int, **values: object) -> None:
    ReadingState.update(updated_at=time.time(), **values).where(
        ReadingState.book == book_id
    ).execute()


def link(book_id: int, hc_book: int, *, user_book: int | None = None, pages: int = 300) -> None:
    database.execute_sql(
        "INSERT INTO hardcover_match (book_id, state, hc_book_id, edition_pages, user_book_id,"
        " candidates, updated_at, pinned, created_by_us, lead) VALUES (?, 'linked', ?, ?, ?,"
        " '[]', 0, 0, 0, 0)",
        (book_id, hc_book, pages, user_book),
    )


def pulled(user_book: int, hc_book: int, status: int, reads: list[dict]) -> None:
    entry = {"status_id": status, "reads": reads}
    database.execute_sql(
        "INSERT INTO hardcover_pulled (user_book_id, hc_book_id, entry) VALUES (?, ?, ?)",
        (user_book, hc_book, json.dumps(entry)),
    )


def every_read() -> list:
    """Every read of each book with a done read (the only books whose reads can count)."""
    return reads_between(D.min, D.max)


def summary() -> list[tuple]:
    return [
        (r.book_id, r.source, r.started, r.finished, r.done, r.hardcover_read_id)
        for r in every_read()
    ]


def test_the_reading_state_is_the_latest_read_and_a_reread_opens_another(library):
    book = add_book("Dune").id
    assert summary() == []
    set_state(book, status="reading", started="2024-01-02", progress=0.4)
    set_state(book, status="read", finished="2024-02-01", progress=1.0)
    assert summary() == [(book, "library", D(2024, 1, 2), D(2024, 2, 1), True, None)]
    set_state(book, status="rereading", started="2026-03-01", finished=None, progress=0.1)
    set_state(book, status="read", finished="2026-04-01", progress=1.0)
    assert summary() == [
        (book, "library", D(2024, 1, 2), D(2024, 2, 1), True, None),
        (book, "library", D(2026, 3, 1), D(2026, 4, 1), True, None),
    ]
    year = counted(reads_between(D(2026, 1, 1), D(2026, 12, 31)), D(2026, 1, 1), D(2026, 12, 31))
    assert [(r.book_id, r.finished) for r in year.finished] == [(book, D(2026, 4, 1))]


def test_an_open_read_set_back_to_unread_is_dropped_a_done_one_stays(library):
    book = add_book("Emma").id
    set_state(book, status="reading", started="2026-01-02", progress=0.2)
    set_state(book, status="unread", started=None, progress=0.0)
    assert summary() == []
    set_state(book, status="read", started="2026-01-02", finished="2026-01-09")
    set_state(book, status="unread", started=None, finished=None, progress=0.0)
    assert summary() == [(book, "library", D(2026, 1, 2), D(2026, 1, 9), True, None)]


def test_hardcover_reads_of_a_linked_book_join_unless_already_the_librarys(library):
    book = add_book("Persuasion").id
    copy = add_book("Persuasion (2nd copy)").id
    unlinked = add_book("Not linked").id
    set_state(book, status="read", started="2024-05-01", finished="2024-05-20")
    link(book, 77, user_book=500)
    link(copy, 77)
    pulled(
        500,
        77,
        3,
        [
            {"id": 1, "started": "2024-05-01", "finished": "2024-05-20"},  # the library's
            {"id": 2, "started": "2025-01-01", "finished": None},  # an open read
            {"id": 3, "started": "2026-02-01", "finished": None},  # latest, entry Read
        ],
    )
    pulled(600, 999, 3, [{"id": 9, "started": None, "finished": "2026-01-01"}])  # no copy
    assert unlinked and summary() == [
        (book, "library", D(2024, 5, 1), D(2024, 5, 20), True, None),
        (book, "hardcover", D(2025, 1, 1), None, False, 2),
        (book, "hardcover", D(2026, 2, 1), None, True, 3),
    ]
    year = counted(reads_between(D(2026, 1, 1), D(2026, 12, 31)), D(2026, 1, 1), D(2026, 12, 31))
    assert year.finished == () and [r.hardcover_read_id for r in year.no_date] == [3]
    assert every_read()[0].pages == 300


def test_an_existing_libraries_reading_states_become_first_reads(library):
    """The migration's own statement, run on states as an older library held them."""
    from bookorbit_desktop.library.store import book_read_schema

    for trigger in ("follows_state_insert", "follows_state_update", "follows_progress", "device"):
        database.execute_sql(f"DROP TRIGGER book_read_{trigger}")
    database.execute_sql("DROP TABLE book_read")
    database.execute_sql("DROP TABLE book_read_gone")
    database.execute_sql("DROP TABLE book_read_synced")
    books = {s: add_book(s).id for s in ("read", "reading", "abandoned", "unread", "skimmed")}
    for status, book in books.items():
        dates = {"started": "2025-01-01"} if status != "unread" else {}
        if status in ("read", "abandoned"):
            dates["finished"] = "2025-02-01"
        set_state(book, status=status, **dates)
    book_read_schema.book_reads(database)
    rows = database.execute_sql(
        "SELECT book_id, started, finished, state FROM book_read ORDER BY book_id"
    ).fetchall()
    assert rows == [
        (books["read"], "2025-01-01", "2025-02-01", "done"),
        (books["reading"], "2025-01-01", None, "open"),
        (books["abandoned"], "2025-01-01", "2025-02-01", "abandoned"),
        (books["skimmed"], "2025-01-01", None, "done"),
    ]
