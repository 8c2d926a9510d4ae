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
    linked_to: int | None = None  # the Hardcover book of the link
    confirmed: int | None = None  # the Hardcover book of the last push Hardcover confirmed
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
    if book.match_state != LINKED or book.linked_to is None or book.blocked:
        return None
    if book.queued or book.confirmed != book.linked_to:
        return PUSH
    return None


@dataclass(frozen=True)
class Waiting:
    to_match: int = 0
    to_push: int = 0


def waiting(books: Iterable[BookFacts]) -> Waiting:
    """How many books a pass would look up and send."""
    done = [work(book) for book in books]
    return Waiting(to_match=done.count(MATCH), to_push=done.count(PUSH))
