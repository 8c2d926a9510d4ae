"""The count of what the next Sync Now would do, read from SQLite, says what the rule for one
book (`waiting.work`) says of each book, for every mix of facts: unread books, whatever else
they hold, add nothing. The counts over every reading state read them in the order of their
ids (the other tables' rows of consecutive books on the same pages), not by the status index."""

from __future__ import annotations

import itertools
import time

import pytest

from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.waiting import MATCH, PUSH, BookFacts, Waiting, work
from bookorbit_desktop.library.store import dashboard_rows
from bookorbit_desktop.library.store.models import (
    HardcoverMatch,
    HardcoverSync,
    SyncOutbox,
    database,
)
from tests.factories import add_book

MATCHES = (None, "linked", "needs_review", "no_match", "unmatched", "error", "excluded", "removed")
SYNCED = (None, "same book", "another book")  # what Hardcover last confirmed, if anything
QUEUED = (None, "queued", "blocked")


def test_the_count_is_the_rule_for_each_book_added_up(library):
    later = time.time() + 3600  # a match stored after the book's last edit: not edited
    expected = {MATCH: 0, PUSH: 0}
    combos = itertools.product(MATCHES, SYNCED, QUEUED, ("unread", "reading"), (False, True))
    for number, (match, synced, queued, status, edited) in enumerate(combos):
        book = add_book(f"Book {number:03}", status=status)
        hc_book = 1000 + number
        if match is not None:
            HardcoverMatch.create(
                book=book.id,
                state=match,
                hc_book_id=hc_book,
                candidates=[],
                updated_at=0.0 if edited else later,
            )
        if synced is not None:
            confirmed = hc_book if synced == "same book" else hc_book + 1
            HardcoverSync.create(
                book=book.id, state="synced", snapshot={"hc_book_id": confirmed}, updated_at=1.0
            )
        if queued is not None:
            SyncOutbox.create(
                book=book.id,
                kinds={"status": 1.0},
                queued_at=1.0,
                blocked="refused" if queued == "blocked" else None,
            )
        facts = BookFacts(
            unread=status == "unread",
            match_state=match,
            edited=match is not None and edited,
            linked=match is not None,
            confirmed=match is not None and synced == "same book",
            queued=queued is not None,
            blocked=queued == "blocked",
        )
        done = work(facts)
        if done is not None:
            expected[done] += 1
    assert expected[MATCH] and expected[PUSH]
    assert store.waiting_work() == Waiting(to_match=expected[MATCH], to_push=expected[PUSH])


def _plan(sql: str) -> str:
    return " | ".join(str(row) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.parametrize(
    "sql",
    [
        store._FACTS,
        "SELECT s.state, count(*) FROM reading_state r"
        f" {dashboard_rows._BY_ID} LEFT JOIN hardcover_sync s ON s.book_id = r.book_id"
        " WHERE r.status != 'unread' GROUP BY 1",
    ],
)
def test_counts_over_every_reading_state_read_them_in_the_order_of_ids(library, sql):
    plan = _plan(sql)
    assert "SCAN r" in plan and "reading_state_status_updated_at" not in plan
