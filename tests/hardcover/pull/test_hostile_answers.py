"""Hostile answers from Hardcover never reach the library unchecked.

Random `PullUserBooks` pages in the shape of the official schema (`user_books` with its
`user_book_reads`, `book` and `edition`; shared/hardcover/schema.graphql) but with hostile
values in every place (wrong types, huge and negative numbers, NaN and infinity, NaN-ish and
empty strings, control and format characters, lone surrogates, impossible and future dates),
mixed with good ones, go through the pull's own page step (`run._keep`: check, apply, keep)
into a real SQLite library whose linked books were synced once with the loopback fake, so
both the three-way and the two-way rule are reached. After each page: no exception; every
status, rating, date and page count in the reading state, the pulled entries, the values taken
from Hardcover and the open conflicts passes the library's own validators; each value left out
is one log line, escaped, with no traceback.

The number of examples is small so that `make test` stays quick; set
BOOKORBIT_PROPERTY_EXAMPLES (for example 2000) for a longer run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import run, store
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import SyncEngine
from bookorbit_desktop.hardcover.sync.model import PRIVACY_NAMES, STATUS_NAMES
from bookorbit_desktop.library.editing.values import parse_pages
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.reading.values import (
    check_dates,
    parse_date,
    parse_progress,
    parse_rating,
    parse_status,
)
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_fixtures import make_client
from tests.fakes.hardcover_server import FakeHardcover

EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "100"))
TODAY = dt.date.today()
RUN_LOG = "bookorbit_desktop.hardcover.pull.run"

_JUNK = (
    "", " ", "NaN", "nan", "-inf", "Infinity", "1e308", "-1", "0", "3", "4.5", "0x10",
    "garbage!!!", "2026-13-45", "2026-02-30", "0000-00-00", "9999-12-31", "today", "none",
    "-", "2026-08-20T10:00:00Z", "2026-08-20garbage", "\u202e2026-01-01", "\x1b[31mred",
    "line\nbreak", "\ud800", "２０２６-01-01", "null", "[]",
)  # fmt: skip
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(_JUNK),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


# Any code point, lone surrogates too: JSON's escapes can carry them.
ANY_TEXT = st.lists(
    st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=12
).map("".join)


def sometimes(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], every: int) -> Any:
    """`good`, but one time in `every` `bad`."""
    return st.tuples(st.integers(1, every), good, bad).map(lambda t: t[2] if t[0] == 1 else t[1])


def values(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return sometimes(good, HOSTILE, 4)


DATES = values(st.dates(dt.date(2020, 1, 1), TODAY).map(dt.date.isoformat))
READ = st.fixed_dictionaries(
    {
        "id": values(st.integers(1, 40)),
        "edition_id": values(st.integers(1, 500)),
        "edition": st.one_of(
            HOSTILE, st.fixed_dictionaries({"pages": values(st.integers(1, 900))})
        ),
        "started_at": DATES,
        "finished_at": DATES,
        "progress_pages": values(st.integers(0, 900)),
    }
)


def pages_of(entries: list[tuple[int, int]]) -> st.SearchStrategy[list[Any]]:
    """Pages of rows: mostly the linked books' own entries, some strangers, some junk."""
    ids = sometimes(st.sampled_from(entries), st.tuples(values(st.integers(1, 99)), HOSTILE), 8)
    book = st.fixed_dictionaries(
        {
            "id": HOSTILE,
            "title": values(ANY_TEXT),
            "slug": values(ANY_TEXT),
            "cached_contributors": st.one_of(
                HOSTILE,
                st.lists(
                    st.one_of(
                        HOSTILE,
                        st.fixed_dictionaries(
                            {"author": values(st.fixed_dictionaries({"name": HOSTILE}))}
                        ),
                    ),
                    max_size=2,
                ),
            ),
        }
    )
    row = st.tuples(
        ids,
        st.fixed_dictionaries(
            {
                "status_id": values(st.integers(1, 6)),
                "rating": values(st.sampled_from([None, 0.5, 1, 2.5, 4.0, 5])),
                "privacy_setting_id": values(st.integers(1, 3)),
                "edition_id": values(st.integers(1, 500)),
                "date_added": DATES,
                "updated_at": values(st.just("2026-08-21T10:00:00+00:00")),
                "book": values(book),
                "edition": values(st.fixed_dictionaries({"isbn_13": HOSTILE})),
                "user_book_reads": values(st.lists(READ, max_size=3)),
            }
        ),
    ).map(lambda pair: {"id": pair[0][0], "book_id": pair[0][1], **pair[1]})
    return st.lists(sometimes(row, HOSTILE, 10), min_size=1, max_size=4)


async def linked_world(folder: Path) -> list[tuple[int, int]]:
    """Books linked to Hardcover and synced once (a Read one, a Reading one, a Want to Read
    one), and one linked but unread; the (entry, Hardcover book) ids of their entries."""
    clock = VirtualClock()
    catalog = Catalog()
    fake = FakeHardcover(catalog, clock=clock)
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    await fake.start()
    client = make_client(fake, clock, token)
    open_database(folder / "library.sqlite3")
    states = {
        "read": {"started": "2026-03-01", "finished": "2026-03-20", "rating": 4.0},
        "reading": {"started": "2026-04-01", "progress": 0.3},
        "want_to_read": {},
        "unread": {},
    }
    hc_books = []
    try:
        for status, reading in states.items():
            hc_book = catalog.add_book(f"Book {status}", authors=["Ann Author"], users_count=3)
            edition = catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
            book = add_book(f"Book {status}", ["Ann Author"]).id
            pin(book, hc_book, edition_id=edition, edition_pages=300, reason="pick")
            if status != "unread":
                update_reading_state(book, status=status, **reading)
            hc_books.append(hc_book)
        catalog.add_user_book(user, hc_books[-1], status_id=3, rating=2.0)
        await SyncEngine(
            client, HardcoverUser(user, "reader", 1), sync_settings.load(), clock=clock
        ).run()
    finally:
        await client.close()
        await fake.close()
    found = [catalog.user_book_for(user, hc_book) for hc_book in hc_books]
    return [(entry["id"], entry["book_id"]) for entry in found if entry is not None]


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _date_ok(value: Any) -> bool:
    return value is None or parse_date(value, field="any", today=TODAY) == value


def _value_ok(field: str, value: Any) -> bool:
    if value is None:
        return True
    if field == "status_id":
        return type(value) is int and value in STATUS_NAMES
    if field == "privacy_id":
        return type(value) is int and value in PRIVACY_NAMES
    if field == "rating":
        return parse_rating(value) == value
    if field == "pages":
        return value == 0 or parse_pages(str(value)) == value
    if field in ("edition_id", "id"):
        return type(value) is int and value > 0
    return _date_ok(value)  # started, finished, date_added


def checked_values(raw: Any) -> int:
    """How many values of a row the pull checks: at most one line each when left out."""
    if not isinstance(raw, dict):
        return 1
    reads = raw.get("user_book_reads")
    return 5 + (3 * len(reads) if isinstance(reads, list) else 1)


def assert_nothing_unchecked() -> None:
    for r in ReadingState.select():
        assert parse_status(r.status) == r.status
        assert r.rating is None or parse_rating(r.rating) == r.rating
        assert _date_ok(r.started) and _date_ok(r.finished)
        assert parse_progress(r.progress or 0.0) == (r.progress or 0.0)
    for entry in store.pulled():
        for name in ("status_id", "rating", "privacy_id", "edition_id", "date_added"):
            assert _value_ok(name, entry[name]), (name, entry)
        for read in entry["reads"]:
            assert all(_value_ok(k, read[k]) for k in ("id", "started", "finished", "pages"))
            check_dates(read["started"], read["finished"])
    for book in {r.book_id for r in ReadingState.select()}:
        for name, (value, _) in store.followed(book).items():
            assert _value_ok(name, value), (name, value)
    for conflict in store.conflicts():
        assert _value_ok(conflict.field, conflict.remote), conflict


def test_hostile_answers_never_store_an_unchecked_value(tmp_path):
    entries = asyncio.run(linked_world(tmp_path))
    lines = Lines()
    logger = logging.getLogger(RUN_LOG)
    logger.addHandler(lines)
    logger.setLevel(logging.DEBUG)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(pages_of(entries))
    def one_page(rows: list[Any]) -> None:
        lines.records.clear()
        _applied, left_out = run._keep(rows, 1, {store.SINCE: "2026-08-21T10:00:00+00:00"})
        assert_nothing_unchecked()
        logged = [r for r in lines.records if r.levelno >= logging.WARNING]
        assert [r.getMessage() for r in logged] == [f"Pull: {line}" for line in left_out]
        for record in logged:
            message = record.getMessage()
            assert record.exc_info is None and "Traceback" not in message
            assert "\n" not in message and "\r" not in message and "\x1b" not in message
        assert len(left_out) <= sum(checked_values(raw) for raw in rows)

    try:
        one_page()
    finally:
        logger.removeHandler(lines)
        close_database()
