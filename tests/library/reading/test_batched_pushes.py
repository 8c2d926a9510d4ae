"""A batch of pushes stored at once ends exactly as the same pushes stored one by one."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import DocumentMetadata, Push, event_values
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book

T0 = int(datetime(2026, 5, 1, 12).timestamp())
DAY = 86_400


def p(document: str, percentage: float, when: int, **kwargs) -> tuple[Push, int]:
    fields = {"progress": f"/body/p[{int(percentage * 1000)}]", "device": "Kobo"} | kwargs
    return Push(document, percentage=percentage, **fields), when


def alias(document: str, book_id: int) -> None:
    DocumentAlias.create(document=document, kind=ALIAS_CONTENT, book=book_id, created_at=1.0)


def dump() -> dict[str, list[tuple]]:
    tables = {
        "progress_event": "SELECT id, document, book_id, device, device_id, percentage, progress,"
        " timestamp, meta_title, meta_authors, meta_filename FROM progress_event ORDER BY id",
        "reading_state": "SELECT book_id, status, progress, koreader_progress, started, finished,"
        " updated_at FROM reading_state ORDER BY book_id",
        "sync_outbox": "SELECT book_id, kinds, queued_at FROM sync_outbox ORDER BY book_id",
        "document_alias": "SELECT document, kind, book_id FROM document_alias"
        " ORDER BY document, kind, book_id",
    }
    dumped = {name: database.execute_sql(sql).fetchall() for name, sql in tables.items()}
    # The kinds are a JSON object: compared as one, whatever the order of its keys.
    dumped["sync_outbox"] = [(b, json.loads(kinds), at) for b, kinds, at in dumped["sync_outbox"]]
    return dumped


def both_ways(batch: list[tuple[Push, int]]) -> tuple[list, dict, list, dict]:
    """(results, tables) of storing `batch` one push at a time, then all at once."""
    with database.atomic() as transaction:
        one_by_one = [progress.record_push(push, timestamp=when) for push, when in batch]
        tables_one_by_one = dump()
        transaction.rollback()
    with database.atomic() as transaction:
        together = record_pushes(batch)
        tables_together = dump()
        transaction.rollback()
    return one_by_one, tables_one_by_one, together, tables_together


def _scenario(name: str) -> list[tuple[Push, int]]:
    """Books and history for one case (in the open library); returns its batch."""
    linked, other, by_metadata = (add_book(t, ("Ann Author",)) for t in ("One", "Two", "Three"))
    alias("linked", linked.id)
    alias("other", other.id)
    if name == "two pushes of one book, then another book":
        return [p("linked", 0.2, T0), p("linked", 0.5, T0 + 60), p("other", 0.3, T0 + 61)]
    if name == "a finish and a push back":
        set_setting("reading.finish_threshold", 0.9)
        return [p("linked", 0.95, T0), p("linked", 0.4, T0 + DAY), p("other", 1.0, T0 + DAY)]
    if name == "documents not in the library":
        return [p("nobody", 0.1, T0), p("linked", 0.1, T0), p("nobody", 0.2, T0 + 5)]
    if name == "a document linked by its metadata, pushed twice":
        meta = DocumentMetadata(title="Three", authors="Ann Author")
        return [
            p("linked", 0.2, T0),
            p("new", 0.3, T0 + 1, metadata=meta),
            p("new", 0.4, T0 + 2),
            p("other", 0.5, T0 + 3),
        ]
    if name == "a book imported after its document was pushed":
        progress.record_push(p("late", 0.3, T0 - DAY)[0], timestamp=T0 - DAY)
        alias("late", by_metadata.id)
        return [p("linked", 0.2, T0), p("late", 0.6, T0 + 1), p("late", 0.7, T0 + 2)]
    if name == "colliding aliases":
        alias("twice", linked.id)
        alias("twice", other.id)
        return [p("twice", 0.5, T0), p("linked", 0.5, T0 + 1)]
    if name == "a reread after a finish":
        progress.record_push(p("linked", 1.0, T0 - 30 * DAY)[0], timestamp=T0 - 30 * DAY)
        return [p("linked", 0.05, T0), p("linked", 0.1, T0 + 60)]
    if name == "books without a reading row, one pushed twice":
        database.execute_sql("DELETE FROM reading_state")
        return [p("linked", 0.2, T0), p("other", 0.3, T0 + 1), p("linked", 0.25, T0 + 2)]
    if name == "a position that moves nothing, between two that do":
        return [p("linked", 0.3, T0), p("linked", 0.3, T0), p("linked", 0.4, T0 + 9)]
    raise AssertionError(name)


SCENARIOS = [
    "two pushes of one book, then another book",
    "a finish and a push back",
    "documents not in the library",
    "a document linked by its metadata, pushed twice",
    "a book imported after its document was pushed",
    "colliding aliases",
    "a reread after a finish",
    "books without a reading row, one pushed twice",
    "a position that moves nothing, between two that do",
]


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_batch_ends_as_the_same_pushes_one_by_one(library, name):
    batch = _scenario(name)
    one_by_one, tables_one_by_one, together, tables_together = both_ways(batch)
    assert together == one_by_one
    assert tables_together == tables_one_by_one
    assert len(tables_together["progress_event"]) >= len(batch)


@pytest.mark.parametrize("name", SCENARIOS)
def test_batches_of_one_push_end_as_the_same_pushes_one_by_one(library, name):
    """A lone push (the usual batch when few devices push) takes the batched route too."""
    batch = _scenario(name)
    with database.atomic() as transaction:
        one_by_one = [progress.record_push(push, timestamp=when) for push, when in batch]
        tables_one_by_one = dump()
        transaction.rollback()
    with database.atomic() as transaction:
        alone = [record_pushes([item])[0] for item in batch]
        tables_alone = dump()
        transaction.rollback()
    assert alone == one_by_one
    assert tables_alone == tables_one_by_one


def test_a_lone_push_opens_no_savepoint_of_its_own(library):
    """The server's writer already holds one around the batch; another (with a fresh name
    SQLite compiles each time) would be work for nothing."""
    book = add_book("Alone")
    alias("alone", book.id)
    statements: list[str] = []
    database.connection().set_trace_callback(statements.append)
    try:
        with database.atomic():
            [result] = record_pushes([p("alone", 0.5, T0)])
    finally:
        database.connection().set_trace_callback(None)
    assert result.book_id == book.id
    assert not any(s.startswith(("SAVEPOINT", "RELEASE")) for s in statements)


def test_a_batch_reads_the_library_once_not_once_per_push(library):
    books = [add_book(f"Book {n}") for n in range(20)]
    for book in books:
        alias(f"doc-{book.id}", book.id)
    batch = [p(f"doc-{book.id}", 0.5, T0) for book in books]
    statements: list[str] = []
    database.connection().set_trace_callback(statements.append)
    try:
        with database.atomic():
            record_pushes(batch)
    finally:
        database.connection().set_trace_callback(None)
    # The trace repeats a statement for each trigger it fires (the change log's): once here.
    statements = [s for n, s in enumerate(statements) if n == 0 or statements[n - 1] != s]
    # Per push: its reading state written and its outbox row queued, one statement each; per
    # batch: the setting, the aliases, the previous events, the reading states, one insert.
    assert sum(s.startswith("UPDATE reading_state") for s in statements) == len(batch)
    assert sum(s.startswith("INSERT INTO sync_outbox") for s in statements) == len(batch)
    assert sum(s.startswith("SELECT") and "FROM reading_state" in s for s in statements) == 1
    assert sum("FROM document_alias" in s for s in statements) == 1
    assert sum("MAX(id)" in s for s in statements) == 1
    # The events go in with one executemany, which the trace shows once per row.
    assert sum(s.startswith("INSERT INTO progress_event") for s in statements) == len(batch)
    assert not any(s.startswith("SAVEPOINT") for s in statements)
    assert len(statements) == 3 * len(batch) + 6  # and BEGIN, COMMIT and the four reads


def _steps_of_a_push(document: str, when: int) -> int:
    """SQLite's steps (virtual machine instructions) for storing one push of `document`."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    connection = database.connection()
    with database.atomic() as transaction:
        connection.set_progress_handler(count, 1)
        try:
            record_pushes([p(document, 0.5, when)])
        finally:
            connection.set_progress_handler(None, 1)
        transaction.rollback()
    return steps


def test_a_push_costs_no_more_the_longer_its_book_was_read(library):
    """A push reads its document's newest event, not every event before it: a book read for
    months (thousands of pushes) and a server kept running under pushes stay as quick."""
    fresh, long_read = add_book("Fresh"), add_book("Long read")
    alias("fresh", fresh.id)
    alias("long", long_read.id)
    progress.record_push(p("fresh", 0.1, T0)[0], timestamp=T0)
    progress.record_push(p("long", 0.1, T0)[0], timestamp=T0)  # both queued for Hardcover
    history = [(p("long", n / 1000, T0 + n)[0], long_read.id, T0 + n) for n in range(1, 500)]
    rows.insert_events([event_values(*entry) for entry in history])
    short, long = _steps_of_a_push("fresh", T0 + DAY), _steps_of_a_push("long", T0 + DAY)
    assert long < short * 1.2, (short, long)
