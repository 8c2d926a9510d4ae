"""What waits for the sync, and why: the one table of a book's sync states. Pure.

Every door that says what waits (the Hardcover page, the tray, Sync Now's review, its
notifications, `hardcover status`) and the background worker, which decides from it whether a
pass is worth a request, read a book's state from `state_of` and the counts from `waits`.

| state        | the book                                             | moved out by              |
|--------------|------------------------------------------------------|---------------------------|
| excluded     | excluded or its entry removed by the user            | Include, Add Again        |
| to_look_up   | never looked up, or worth matching again (an edit)   | a pass that matches       |
| to_pick      | several candidates: the user picks                   | Pick, Re-match, Exclude   |
| in_conflict  | a field changed here and on hardcover.app            | the user's pick           |
| failed       | Hardcover refused its change for good                | a change of the book      |
| held         | the user cancelled a review or a pass that showed it | Send, Discard             |
| to_review    | new to Hardcover while more than `MAX_NEW_BY_ITSELF` | the user's Send in review |
|              | new books wait (a big first publication)             |                           |
| to_send      | a change Hardcover has not confirmed                 | a pass (the worker's too) |
| up_to_date   | none of the above (unread books with nothing: none)  | a change of the book      |

The rows are in order (the Hardcover page's, `dashboard_rows.STATE`): a book is in the first
state whose condition holds. Only `to_send` and `in_conflict` (its other fields) go out by
themselves, and never a held book, whichever state it is counted in: a Cancel is a
state, and only the user's Send or Discard ends it, whatever changes the book meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.hardcover.matching.revisit import (
    EXCLUDED,
    LINKED,
    NEEDS_REVIEW,
    REMOVED,
    worth_matching,
)

EXCLUDED_STATE, TO_LOOK_UP, TO_PICK, HELD = "excluded", "to_look_up", "to_pick", "held"
IN_CONFLICT, FAILED, TO_REVIEW, TO_SEND, UP_TO_DATE = (
    "in_conflict",
    "failed",
    "to_review",
    "to_send",
    "up_to_date",
)
STATES = (EXCLUDED_STATE, TO_LOOK_UP, TO_PICK, IN_CONFLICT, FAILED, HELD, TO_REVIEW, TO_SEND)
# A pass by itself (the background worker) publishes at most this many new Hardcover books;
# beyond it every new one waits for the user's review.
MAX_NEW_BY_ITSELF = 5
# The states whose books the background worker may send (a conflicted book's other fields go
# out; the field in conflict is held at Hardcover's value until the user picks).
BY_ITSELF = frozenset({TO_SEND, IN_CONFLICT})


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
    held: bool = False  # the user cancelled a review or pass that showed it
    conflict: bool = False  # a field was changed here and on hardcover.app

    @property
    def new(self) -> bool:
        """Nothing of the book is on the user's profile yet: a push would publish it."""
        return not self.confirmed and not self.on_profile


def state_of(book: BookFacts, review_new: bool) -> str | None:
    """The book's state in the table above (None: in no count, an unread book never looked
    up); `review_new`: more new books wait than a pass publishes by itself (`review_needed`)."""
    if book.match_state in (EXCLUDED, REMOVED):
        return EXCLUDED_STATE
    if book.unread:
        return None if book.match_state is None else UP_TO_DATE
    if worth_matching(
        book.match_state, pinned=book.pinned, changed=book.edited, on_profile=book.on_profile
    ):
        return TO_LOOK_UP  # an automatic link edited before anything was sent is checked first
    if book.match_state == NEEDS_REVIEW:
        return TO_PICK
    if book.match_state != LINKED or not book.linked:
        return UP_TO_DATE  # no Hardcover book: nothing to send, nothing to look up
    if book.conflict:
        return IN_CONFLICT
    if book.blocked:
        return FAILED
    if book.held:
        return HELD
    if book.queued or not book.confirmed:
        return TO_REVIEW if review_new and book.new else TO_SEND
    return UP_TO_DATE


def goes_by_itself(book: BookFacts, review_new: bool) -> bool:
    """Whether a pass may send the book without the user (`BY_ITSELF`): never a held one, in
    whichever state it is counted."""
    return not book.held and state_of(book, review_new) in BY_ITSELF


def review_needed(groups: Iterable[tuple[BookFacts, int]]) -> bool:
    """More new books would go out than a pass publishes by itself."""
    new = sum(
        books
        for facts, books in groups
        if state_of(facts, review_new=False) == TO_SEND and facts.new
    )
    return new > MAX_NEW_BY_ITSELF


@dataclass(frozen=True)
class Waits:
    """How many books are in each state that waits (`STATES`)."""

    to_send: int = 0
    to_review: int = 0
    held: int = 0
    to_look_up: int = 0
    to_pick: int = 0
    in_conflict: int = 0
    failed: int = 0
    excluded: int = 0

    @property
    def to_push(self) -> int:
        """What Sync Now would send once the user said yes: the books to send, to review and
        held."""
        return self.to_send + self.to_review + self.held

    @property
    def anything(self) -> bool:
        """Sync Now would do something: look a book up, or send one."""
        return bool(self.to_push or self.to_look_up)

    def to_json(self) -> dict[str, int]:
        return {state: getattr(self, state) for state in STATES}


def waits(groups: Iterable[tuple[BookFacts, int]]) -> Waits:
    """The counts of `state_of`, from (facts, how many books share them)."""
    kept = list(groups)
    review_new = review_needed(kept)
    counts = dict.fromkeys(STATES, 0)
    for facts, books in kept:
        state = state_of(facts, review_new)
        if state in counts:
            counts[state] += books
    return Waits(**counts)


# How each waiting state is said after its count, one book and more ("3 books to send").
_WORDS = (
    (TO_SEND, "book to send", "books to send"),
    (TO_REVIEW, "new book waits for your review", "new books wait for your review"),
    (HELD, "book held after Cancel", "books held after Cancel"),
    (TO_LOOK_UP, "book to look up", "books to look up"),
    (TO_PICK, "book to pick on Hardcover", "books to pick on Hardcover"),
    (IN_CONFLICT, "book in conflict", "books in conflict"),
    (FAILED, "book failed", "books failed"),
)


def waits_parts(counted: Waits) -> list[str]:
    """ "3 books to send", "17 new books wait for your review", …: every door says it so."""
    parts = []
    for state, one, many in _WORDS:
        number = getattr(counted, state)
        if number:
            parts.append(f"{number:,} {one if number == 1 else many}")
    return parts
