"""What a Sync Now pass would do for each book: look it up, send it, or leave it. Pure.

"Sync Now" is offered only when a pass would do something, so the rule follows the pass: it
matches what matching would (re)consider (`matching.revisit`), then sends each linked book that
is not unread and has a queued change (a retry after a passing failure included) or no state
Hardcover confirmed for its current link. A book waiting for the user (several candidates, no
match found, excluded) or blocked by a permanent error waits for the user or for a change: by
itself it keeps nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.hardcover.matching.revisit import LINKED, worth_matching

MATCH, PUSH = "match", "push"


@dataclass(frozen=True)
class BookFacts:
    unread: bool
    match_state: str | None  # None: never looked up
    pinned: bool = False
    edited: bool = False  # the metadata changed after the match was stored or last checked
    on_profile: bool = False  # an entry for the link is known on the profile
    linked: bool = False  # the match names a Hardcover book
    confirmed: bool = False  # Hardcover confirmed a push for that very book
    queued: bool = False  # a change waits in the outbox
    blocked: bool = False  # that change failed for good: it waits for the book to change


def work(book: BookFacts) -> str | None:
    """MATCH, PUSH, or None when a pass would leave the book as it is."""
    if book.unread:
        return None
    if worth_matching(
        book.match_state, pinned=book.pinned, changed=book.edited, on_profile=book.on_profile
    ):
        return MATCH
    if book.match_state != LINKED or not book.linked or book.blocked:
        return None
    if book.queued or not book.confirmed:
        return PUSH
    return None


@dataclass(frozen=True)
class Waiting:
    to_match: int = 0
    to_push: int = 0


def waiting(groups: Iterable[tuple[BookFacts, int]]) -> Waiting:
    """How many books a pass would look up and send, from (facts, how many books share them)."""
    counts = {MATCH: 0, PUSH: 0}
    for facts, books in groups:
        done = work(facts)
        if done is not None:
            counts[done] += books
    return Waiting(to_match=counts[MATCH], to_push=counts[PUSH])
