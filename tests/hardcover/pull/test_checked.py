"""Hardcover's values pass the library's own checks before the pull keeps or applies them.

A value that fails is left out: the library's own value stays, the pull's result and the log
say so in one line, and the rest of the entry still applies.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.checked import LEFT_OUT, checked_row
from bookorbit_desktop.hardcover.pull.rule import LIBRARY_STATUS
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.reading.values import READING_STATUSES
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_shelves import edit_entry, edit_read

TODAY = dt.date(2026, 9, 1)
RUN_LOG = "bookorbit_desktop.hardcover.pull.run"


def _row(**changes) -> dict:
    row = {
        "id": 7,
        "book_id": 70,
        "status_id": 3,
        "rating": 4.0,
        "privacy_setting_id": 1,
        "edition_id": 700,
        "date_added": "2026-08-01",
        "updated_at": "2026-08-21T10:00:00+00:00",
        "book": {"title": "Dune", "slug": "dune", "cached_contributors": []},
        "user_book_reads": [
            {"id": 9, "started_at": "2026-08-01", "finished_at": "2026-08-20", "progress_pages": 0}
        ],
    }
    row.update(changes)
    return row


def _read(**changes) -> dict:
    return {"id": 9, "started_at": "2026-08-01", "finished_at": "2026-08-20", **changes}


# (what Hardcover sent, the pull's name of the field left out, where it is kept)
REFUSED = [
    ({"status_id": 0}, "status_id", None),
    ({"status_id": 99}, "status_id", None),
    ({"status_id": None}, "status_id", None),
    ({"status_id": "3"}, "status_id", None),
    ({"status_id": True}, "status_id", None),
    ({"rating": 1000}, "rating", None),
    ({"rating": -3}, "rating", None),
    ({"rating": 0.1}, "rating", None),
    ({"rating": 0}, "rating", None),
    ({"rating": 4.25}, "rating", None),
    ({"rating": "NaN"}, "rating", None),
    ({"rating": float("inf")}, "rating", None),
    ({"rating": 10**40}, "rating", None),
    ({"privacy_setting_id": 0}, "privacy_id", None),
    ({"privacy_setting_id": None}, "privacy_id", None),
    ({"edition_id": -1}, "edition_id", None),
    ({"edition_id": 2**40}, "edition_id", None),
    ({"date_added": "yesterday"}, "date_added", None),
    ({"date_added": "2026-08-20 garbage"}, "date_added", None),
    ({"user_book_reads": [_read(finished_at="garbage!!!")]}, "finished", 9),
    ({"user_book_reads": [_read(finished_at="2026-13-45")]}, "finished", 9),
    ({"user_book_reads": [_read(finished_at="2026-02-30")]}, "finished", 9),
    ({"user_book_reads": [_read(finished_at="2027-01-01")]}, "finished", 9),  # after today
    ({"user_book_reads": [_read(finished_at="")]}, "finished", 9),
    ({"user_book_reads": [_read(finished_at="none")]}, "finished", 9),
    ({"user_book_reads": [_read(finished_at="2026-07-01")]}, "finished", 9),  # before start
    ({"user_book_reads": [_read(started_at="\u202e2026-08-01")]}, "started", 9),
    ({"user_book_reads": [_read(started_at=20260801)]}, "started", 9),
    ({"user_book_reads": [_read(progress_pages=-5)]}, "pages", 9),
    ({"user_book_reads": [_read(progress_pages=False)]}, "pages", 9),
    ({"user_book_reads": [_read(progress_pages=10**9)]}, "pages", 9),
]


@pytest.mark.parametrize(("changes", "name", "read_id"), REFUSED)
def test_a_value_the_library_would_refuse_is_left_out_and_named(changes, name, read_id):
    row, left = checked_row(_row(**changes), TODAY)
    assert row is not None and len(left) == 1
    kept = row.entry if read_id is None else next(r for r in row.entry["reads"] if r["id"] == 9)
    assert kept[name] is None and kept[LEFT_OUT] == [name]
    line = left[0].line()
    assert line.startswith("Hardcover entry '7' ('Dune'): ") and "left out" in line
    assert "\n" not in line and "\u202e" not in line
    # The rest of the entry is taken as sent.
    others = {k: v for k, v in row.entry.items() if k not in (name, LEFT_OUT, "reads")}
    assert others == {
        k: v
        for k, v in checked_row(_row(), TODAY)[0].entry.items()
        if k not in (name, LEFT_OUT, "reads")
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status_id": 6}, {"status_id": 6}),  # Ignored: Hardcover's own, left to the rule
        ({"rating": None}, {"rating": None}),  # cleared on Hardcover
        ({"rating": 5}, {"rating": 5.0}),
        ({"rating": "3.5"}, {"rating": 3.5}),  # `numeric` sent as text
        ({"privacy_setting_id": 3}, {"privacy_id": 3}),
        ({"date_added": "2026-08-01T09:30:00+00:00"}, {"date_added": "2026-08-01"}),
    ],
)
def test_a_good_value_is_taken_as_the_library_stores_it(changes, expected):
    row, left = checked_row(_row(**changes), TODAY)
    assert left == [] and row is not None
    assert {k: row.entry[k] for k in expected} == expected and LEFT_OUT not in row.entry


@pytest.mark.parametrize(
    "raw",
    [None, [], "entry", {"id": "7", "book_id": 70}, {"id": 7, "book_id": None}, {"id": 0}],
)
def test_an_entry_without_its_own_ids_is_left_out_whole(raw):
    row, left = checked_row(raw, TODAY)
    assert row is None and len(left) == 1 and "the entry is left out" in left[0].line()


def test_a_read_without_an_id_of_its_own_is_left_out_and_the_others_kept():
    reads = [_read(), _read(), {"id": "x"}, "junk", _read(id=10, finished_at=None)]
    row, left = checked_row(_row(user_book_reads=reads), TODAY)
    assert row is not None and [r["id"] for r in row.entry["reads"]] == [9, 10]
    assert len(left) == 3 and all("the read is left out" in x.line() for x in left)


def test_every_status_hardcover_maps_is_one_the_library_accepts():
    assert set(LIBRARY_STATUS.values()) <= set(READING_STATUSES)


# ---------------------------------------------------------------- through the loopback fake
# (Hardcover's entry column or read column, the value sent, what the library keeps of it)
SEEN = [
    ("entry", "status_id", 0, "status"),
    ("entry", "status_id", 99, "status"),
    ("entry", "status_id", -1, "status"),
    ("entry", "rating", 1000, "rating"),
    ("entry", "rating", -3, "rating"),
    ("entry", "rating", 0.1, "rating"),
    ("read", "finished_at", "garbage!!!", "finished"),
    ("read", "finished_at", "2026-13-45", "finished"),
    ("read", "finished_at", "2026-02-30", "finished"),
    ("read", "started_at", "garbage!!!", "started"),
    ("entry", "privacy_setting_id", 42, None),
]


def _state(book_id: int) -> tuple:
    r = ReadingState.get_by_id(book_id)
    return (r.status, r.rating, r.started, r.finished)


@pytest.mark.parametrize(("where", "column", "value", "field"), SEEN)
async def test_a_refused_value_from_hardcover_leaves_the_library_as_it_was(
    world, caplog, where, column, value, field
):
    book = world.add("a", status="read", started="2026-08-01", finished="2026-08-20", rating=4.0)
    await world.sync()  # the base: both sides agree
    before = _state(book)
    entry, read = world.entry("a"), world.reads("a")[-1]
    if where == "entry":
        edit_entry(world.catalog, entry["id"], **{column: value})
    else:
        edit_read(world.catalog, read["id"], **{column: value})
    with caplog.at_level(logging.WARNING, logger=RUN_LOG):
        result = await pull(world.client, world.hardcover.user_id, full=True)
    assert result.error is None
    assert _state(book) == before
    assert store.conflicts() == []  # nothing to pick between: Hardcover said nothing usable
    (line,) = result.left_out
    assert column in line and repr(str(value)) in line and "Book a" in line
    logged = [r.getMessage() for r in caplog.records if r.name == RUN_LOG]
    assert logged == [f"Pull: {line}"]
    if field is not None:
        assert field not in store.followed(book)


async def test_the_rest_of_an_entry_with_a_refused_value_still_applies(world):
    book = world.add("a", status="read", started="2026-08-01", finished="2026-08-20", rating=4.0)
    await world.sync()
    entry, read = world.entry("a"), world.reads("a")[-1]
    edit_entry(world.catalog, entry["id"], status_id=0, rating=2.5)
    edit_read(world.catalog, read["id"], started_at="2026-13-45", finished_at="2026-08-25")
    result = await pull(world.client, world.hardcover.user_id, full=True)
    assert _state(book) == ("read", 2.5, "2026-08-01", "2026-08-25")
    assert len(result.left_out) == 2
    kept = next(k for k in store.pulled() if k["user_book_id"] == entry["id"])
    assert kept["status_id"] is None and kept[LEFT_OUT] == ["status_id"]
