"""What waits for the sync, read from the counts the library keeps (`hardcover_tally`): the
one rule of `waiting` applied to each combination of facts the books have (a few dozen rows
whatever the size of the library), or to the kept facts of a few books.
"""

from __future__ import annotations

from collections.abc import Iterable

from bookorbit_desktop.hardcover.sync.waiting import (
    BookFacts,
    Waits,
    goes_by_itself,
    review_needed,
    waits,
)
from bookorbit_desktop.library.store import hardcover_tally
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list


def _facts(facts: hardcover_tally.Facts) -> BookFacts:
    return BookFacts(
        unread=facts.has("unread"),
        match_state=facts.match_state,
        pinned=facts.has("pinned"),
        edited=facts.has("edited"),
        on_profile=facts.has("on_profile"),
        linked=facts.has("linked"),
        confirmed=facts.has("confirmed"),
        queued=facts.has("queued"),
        blocked=facts.has("blocked"),
        held=facts.has("held"),
        conflict=facts.has("conflict"),
    )


def _groups() -> list[tuple[BookFacts, int]]:
    return [(_facts(facts), books) for facts, books in hardcover_tally.tally()]


def current() -> Waits:
    """How many books wait, in each state, over the whole library."""
    return waits(_groups())


def _kept(book_ids: list[int]) -> dict[int, BookFacts]:
    rows = database.execute_sql(
        "SELECT book_id, match_state, sync_state, flags FROM hardcover_facts"
        f" WHERE {in_list('book_id', book_ids)}",
        tuple(book_ids),
    )
    return {
        int(book_id): _facts(hardcover_tally.kept_facts(match, synced, flags))
        for book_id, match, synced, flags in rows
    }


def by_itself(book_ids: Iterable[int]) -> list[int]:
    """Those of `book_ids` (in their order) a pass may send without the user
    (`waiting.goes_by_itself`); a book held, waiting for review, excluded or in no count is
    left for the user."""
    ids = list(book_ids)
    if not ids:
        return []
    review_new = review_needed(_groups())
    kept = _kept(ids)
    return [b for b in ids if b in kept and goes_by_itself(kept[b], review_new)]
