"""The count of what the next Sync Now would do, read from SQLite, says what the rule for one
book (`waiting.work`) says of each book, for every mix of facts: unread books, whatever else
they hold, add nothing."""

from __future__ import annotations

import itertools
import time

from bookorbit_desktop.hardcover.sync.waiting import BookFacts
from bookorbit_desktop.library.store.models import (
    HardcoverMatch,
    HardcoverSync,
    SyncOutbox,
)
from tests.factories import add_book
from tests.hardcover.sync.work_counts import MATCH, PUSH, waiting_work, work
from tests.hardcover.sync.work_counts import Work as Waiting

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
    assert waiting_work() == Waiting(to_match=expected[MATCH], to_push=expected[PUSH])
