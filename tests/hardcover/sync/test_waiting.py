"""What the next Sync Now would do: the pure rule per book, then the count read from a real
library as books are linked, sent, edited, blocked and left waiting for the user."""

from __future__ import annotations

import time

import pytest

from bookorbit_desktop.hardcover.matching.matcher import Matcher
from bookorbit_desktop.hardcover.matching.scoring import Decision
from bookorbit_desktop.hardcover.matching.store import (
    ERROR,
    EXCLUDED,
    LINKED,
    NEEDS_REVIEW,
    NO_MATCH,
    UNMATCHED,
    fingerprint,
    local_book,
    save_decision,
)
from bookorbit_desktop.hardcover.sync.waiting import BookFacts
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book
from tests.factories import add_book
from tests.hardcover.sync.work_counts import MATCH, PUSH, waiting_work, work
from tests.hardcover.sync.work_counts import Work as Waiting

SENT = BookFacts(unread=False, match_state=LINKED, linked=True, confirmed=True, on_profile=True)


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        (BookFacts(unread=True, match_state=None), None),  # unread books never go out
        (BookFacts(unread=True, match_state=LINKED, linked=True, queued=True), None),
        (BookFacts(unread=False, match_state=None), MATCH),  # never looked up
        (BookFacts(unread=False, match_state=UNMATCHED), MATCH),
        (BookFacts(unread=False, match_state=ERROR), MATCH),  # matching failed: tried again
        # Waiting for the user: a pass has nothing to do for them ...
        (BookFacts(unread=False, match_state=NEEDS_REVIEW), None),
        (BookFacts(unread=False, match_state=NO_MATCH), None),
        (BookFacts(unread=False, match_state=EXCLUDED, edited=True), None),
        (BookFacts(unread=False, match_state=NEEDS_REVIEW, queued=True), None),
        # ... until their metadata changed: matching looks again.
        (BookFacts(unread=False, match_state=NEEDS_REVIEW, edited=True), MATCH),
        (BookFacts(unread=False, match_state=NO_MATCH, edited=True), MATCH),
        # Linked: sent when Hardcover never confirmed a push for that book, or a change waits.
        (BookFacts(unread=False, match_state=LINKED, linked=True), PUSH),
        (BookFacts(unread=False, match_state=LINKED, confirmed=True), None),  # no book named
        (SENT, None),
        (BookFacts(**{**SENT.__dict__, "queued": True}), PUSH),  # a retry after a failure too
        (BookFacts(**{**SENT.__dict__, "queued": True, "blocked": True}), None),  # for good
        (BookFacts(unread=False, match_state=LINKED, linked=True, blocked=True), None),
        # An automatic link is looked at again after an edit while nothing was sent for it.
        (BookFacts(unread=False, match_state=LINKED, linked=True, edited=True), MATCH),
        (BookFacts(**{**SENT.__dict__, "edited": True, "queued": True}), PUSH),
        (BookFacts(unread=False, match_state=LINKED, linked=True, pinned=True, edited=True), PUSH),
    ],
)
def test_what_a_pass_would_do_for_a_book(book, expected):
    assert work(book) == expected


def _decide(book_id: int, outcome: str) -> None:
    book = Book.get_by_id(book_id)
    decision = Decision(outcome, "for the test", None, ())
    save_decision(book_id, decision, fingerprint=fingerprint(local_book(book)))


def _edit_metadata(book_id: int, title: str | None = None) -> None:
    """An edit as the importer writes it: new values, the book's edit time moves on."""
    book = Book.get_by_id(book_id)
    Book.update(title=title or book.title, updated_at=time.time()).where(
        Book.id == book_id
    ).execute()


async def test_the_count_follows_the_library_and_the_passes(world):
    assert waiting_work() == Waiting()
    add_book("Never opened")  # unread: nothing to do
    assert waiting_work() == Waiting()

    a = world.add("a", status="reading", started="2026-03-01", progress=0.5)
    assert waiting_work() == Waiting(to_push=1)  # linked, never sent
    await world.sync()
    assert waiting_work() == Waiting()  # everything is up to date

    lost = add_book("Lost in the catalogue", ["Nobody"])
    update_reading_state(lost.id, status="reading")
    doubt = add_book("Two candidates", ["Somebody"])
    update_reading_state(doubt.id, status="read", finished="2026-02-01")
    assert waiting_work() == Waiting(to_match=2)  # read, never looked up
    _decide(lost.id, NO_MATCH)
    _decide(doubt.id, NEEDS_REVIEW)
    assert waiting_work() == Waiting()  # they wait for the user, not for a pass

    world.edit("a", progress=0.7)
    assert waiting_work() == Waiting(to_push=1)
    outbox.block(a, "Hardcover refused it")
    assert waiting_work() == Waiting()  # a permanent error waits for the book to change
    world.edit("a", progress=0.8)  # a change lifts it ...
    outbox.postpone(a, "timed out", retry_at=time.time() + 600)
    assert waiting_work() == Waiting(to_push=1)  # ... and a passing failure is retried
    await world.sync()
    assert waiting_work() == Waiting()

    # An edit matching does not read (the same title) counts until a pass has checked it.
    _edit_metadata(doubt.id)
    assert waiting_work() == Waiting(to_match=1)
    await Matcher(world.client).run()
    assert waiting_work() == Waiting()
    _edit_metadata(doubt.id, "Two candidates, revised")  # what matching reads: looked up
    assert waiting_work() == Waiting(to_match=1)
    report = await Matcher(world.client).run()
    assert [r.cached for r in report.results if r.book_id == doubt.id] == [False]
    assert waiting_work() == Waiting()  # nothing on Hardcover by that name: no match
