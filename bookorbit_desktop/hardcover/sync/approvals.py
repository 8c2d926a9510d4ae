"""The user's yes to dates from the reading history: the one approval rule of every front door.

A proposal (`desired.Proposal`) is a date the history found and nothing else vouches for. The
window's review and `hardcover sync --accept-history-dates` both approve through `accept`:
only proposals that are still current are taken (the history may have changed since the user
looked), and each becomes the library book's own date with the user as its source, so every
trigger (the worker too) sends it from then on and never clears it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.desired import Proposal
from bookorbit_desktop.library.reading.edits import UNSET, update_reading_state
from bookorbit_desktop.library.reading.sources import USER
from bookorbit_desktop.library.store.models import ReadingState, database


def current(book_ids: Iterable[int] | None = None) -> list[Proposal]:
    """The history's dates waiting for the user's yes (of the entries of `book_ids`)."""
    ids = None if book_ids is None else list(book_ids)
    return [p for c in store.candidates(ids, proposals=True) for p in c.proposals]


def accept(
    chosen: Collection[Proposal] | None, book_ids: Iterable[int] | None = None
) -> list[Proposal]:
    """Approve the `chosen` proposals (None: every current one) that are still current; the
    approved ones are returned."""
    taken = [p for p in current(book_ids) if chosen is None or p in chosen]
    by_book: dict[int, dict[str, str]] = {}
    for proposal in taken:
        by_book.setdefault(proposal.book_id, {})[proposal.name] = proposal.value
    for book_id, dates in by_book.items():
        with database.atomic("IMMEDIATE"):  # it reads, then writes
            update_reading_state(
                book_id,
                started=dates.get("started", UNSET),
                finished=dates.get("finished", UNSET),
            )
            # The user's word now, not the history's: sent by every trigger from here on.
            words = {getattr(ReadingState, f"{name}_source"): USER for name in dates}
            ReadingState.update(words).where(ReadingState.book == book_id).execute()
    return taken
