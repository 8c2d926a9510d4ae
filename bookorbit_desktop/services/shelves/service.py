"""The user's Hardcover shelves for the window and the command line: each shelf's books,
whether each is in the library (linked), likely in it (with why) or missing (a wishlist entry
with its Hardcover page); Link for a likely copy; Want to Read for a library book.

Reads and writes run in a worker thread (`off_loop`) when awaited from the window. Link records
the user's word through matching's own pick (`matching.store.pin`, pinned like a Pick: nothing
automatic overwrites it). Want to Read is a reading-state edit like any other (the sync sends
it as the user's word), but it never turns a status Hardcover has (Read, Currently Reading…)
into Want to Read unasked: `WantQuestion` says what would change until the user confirms.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.errors import BookOrbitError, InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.matching.store import get_match, pin
from bookorbit_desktop.hardcover.pull import store as pulled_store
from bookorbit_desktop.hardcover.pull.apply import apply_rows
from bookorbit_desktop.hardcover.pull.conflicts import LOCAL, resolve
from bookorbit_desktop.hardcover.sync.model import STATUS_NAMES
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import shelves as store
from bookorbit_desktop.library.store.inbox import is_held as is_in_inbox
from bookorbit_desktop.library.store.models import Book, ReadingState
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.shelves import Shelf
from bookorbit_desktop.services.library.service import STATUS_LABELS
from bookorbit_desktop.services.shelves.links import Candidates

log = logging.getLogger(__name__)

LINKED, LIKELY, MISSING = "linked", "likely", "missing"
WANT_TO_READ_STATUS = 1
# The library's statuses that adding the book to Want to Read would change: asked first.
_ASKED = frozenset({"reading", "rereading", "read", "skimmed", "on_hold", "abandoned"})

__all__ = ["LIKELY", "LINKED", "MISSING", "Shelf", "ShelfRow", "WantQuestion"]


class WantQuestion(BookOrbitError):
    """Adding the book to Want to Read would change a status it already has: ask first."""

    title = "Change its status to Want to Read?"


@dataclass(frozen=True)
class ShelfRow:
    """One book on a shelf as the window and `hardcover shelf` show it."""

    hc_book_id: int
    title: str
    authors: tuple[str, ...]
    state: str  # linked | likely | missing
    book_id: int | None  # linked: the library copy; likely: the proposed one
    reason: str  # why likely (or what is linked / missing), in the user's words
    url: str | None  # the book's page on Hardcover
    status: str | None  # the user's status on Hardcover ("Want to Read"), None if no entry

    def to_json(self) -> dict[str, Any]:
        return {
            "hc_book_id": self.hc_book_id,
            "title": self.title,
            "authors": list(self.authors),
            "state": self.state,
            "book_id": self.book_id,
            "reason": self.reason,
            "url": self.url,
            "status": self.status,
        }


def shelves() -> list[Shelf]:
    return store.shelves()


def find_shelf(name: str) -> Shelf:
    return store.find_shelf(name)


def shelf_rows(key: str, candidates: Candidates | None = None) -> list[ShelfRow]:
    """The shelf's books, each linked, likely (with why) or missing."""
    entries = store.shelf_entries(key)
    if any(not e.book_ids for e in entries) and candidates is None:
        candidates = Candidates.read()
    rows = []
    for entry in entries:
        title = entry.title or f"Hardcover book {entry.hc_book_id}"
        status = STATUS_NAMES.get(entry.status_id) if entry.status_id else None
        if entry.book_ids:
            copies = len(entry.book_ids)
            reason = "in the library" if copies == 1 else f"in the library ({copies} copies)"
            rows.append(
                ShelfRow(
                    entry.hc_book_id,
                    title,
                    entry.authors,
                    LINKED,
                    entry.book_ids[0],
                    reason,
                    entry.url,
                    status,
                )
            )
            continue
        assert candidates is not None
        likely = candidates.likely(entry.title, entry.authors, entry.isbns)
        if likely is not None:
            rows.append(
                ShelfRow(
                    entry.hc_book_id,
                    title,
                    entry.authors,
                    LIKELY,
                    likely.book_id,
                    f"likely “{likely.title}” (book {likely.book_id}): {likely.reason}",
                    entry.url,
                    status,
                )
            )
        else:
            reason = "not in the library" if entry.title else "not in the library (title not read)"
            rows.append(
                ShelfRow(
                    entry.hc_book_id, title, entry.authors, MISSING, None, reason, entry.url, status
                )
            )
    return rows


def link(book_id: int, hc_book_id: int, reason: str = "") -> str:
    """Link a library book to a shelf's Hardcover book on the user's word (a Pick, pinned);
    the entry's own edition is kept. Returns what was done, in the user's words."""
    book = _out_of_inbox(book_id, "approve it first, then link it.")
    current = get_match(book_id)
    linked_elsewhere = current is not None and current.hc_book_id not in (None, hc_book_id)
    if linked_elsewhere and current is not None and current.state in store.LINKED_STATES:
        raise InvalidValueError(
            f"“{book.title}” is linked to another Hardcover book. To change that, use Pick "
            "on the Hardcover page.",
            title="Linked to another book",
        )
    entries = pulled_store.pulled([hc_book_id])
    edition = next((e.get("edition_id") for e in entries if e.get("edition_id")), None)
    evidence = f": {reason}" if reason else ""
    pin(
        book_id,
        hc_book_id,
        edition_id=edition,
        edition_pages=None,
        reason=f"linked by you from your Hardcover shelf{evidence}",
    )
    # The entry's status, dates and rating reach the book now, by the pull's own rule.
    apply_rows(pulled_store.stored_rows([hc_book_id]))
    log.info("Book %s linked to Hardcover book %s from a shelf", book_id, hc_book_id)
    return f"Linked “{book.title}” to its Hardcover book; the next sync keeps them in step."


def _out_of_inbox(book_id: int, then: str) -> Book:
    """The library book a shelf action is for; NotFoundError when there is none, and
    InvalidValueError while it waits in the Inbox ("This book waits in the Inbox; <then>")."""
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(f"There is no book {book_id} in the library. List books with: books")
    if is_in_inbox(book_id):
        raise InvalidValueError(f"This book waits in the Inbox; {then}", title="In the Inbox")
    return book


def want_question(book_id: int) -> str | None:
    """What adding the book to Want to Read would change that the user should confirm
    (a status on Hardcover or in the library other than Want to Read), or None."""
    on_hardcover = store.hardcover_status(book_id)
    if on_hardcover is not None and on_hardcover != WANT_TO_READ_STATUS:
        name = STATUS_NAMES.get(on_hardcover, str(on_hardcover))
        return (
            f"On Hardcover this book is “{name}”. Adding it to Want to Read changes that status "
            "on Hardcover at the next sync (its finished reads stay)."
        )
    state = ReadingState.get_or_none(ReadingState.book == book_id)
    if state is not None and state.status in _ASKED:
        return (
            f"In your library this book is “{STATUS_LABELS[state.status]}”. Adding it to Want "
            "to Read changes that status here and on Hardcover at the next sync."
        )
    return None


def want(book_id: int, *, confirmed: bool = False) -> str:
    """Put a library book on Want to Read (here, and on Hardcover with the next sync).
    WantQuestion when it would change a status it has, unless `confirmed`; the confirmed
    status also settles a status conflict with hardcover.app as the library's."""
    book = _out_of_inbox(book_id, "approve it first.")
    state = ReadingState.get_or_none(ReadingState.book == book_id)
    hardcover = store.hardcover_status(book_id)
    if (state is not None and state.status == "want_to_read") and hardcover in (
        None,
        WANT_TO_READ_STATUS,
    ):
        return f"“{book.title}” is already on Want to Read."
    question = want_question(book_id)
    if question is not None and not confirmed:
        raise WantQuestion(question)
    update_reading_state(book_id, status="want_to_read")
    if any(c.field == "status_id" for c in pulled_store.conflicts([book_id])):
        resolve(book_id, "status", LOCAL)  # the user's word settles a status held in conflict
    match = get_match(book_id)
    if match is not None and match.syncable:
        then = "It goes to Hardcover with the next sync."
    else:
        then = "It goes to Hardcover once the book is linked (the next sync looks it up)."
    return f"“{book.title}” is on Want to Read. {then}"


def overview(key: str | None) -> tuple[list[Shelf], str | None, list[ShelfRow]]:
    """The shelves, and the books of the shelf `key` (the first shelf when it is gone)."""
    found = store.shelves()
    keys = [s.key for s in found]
    chosen = key if key in keys else (keys[0] if keys else None)
    return found, chosen, shelf_rows(chosen) if chosen is not None else []


async def overview_async(key: str | None) -> tuple[list[Shelf], str | None, list[ShelfRow]]:
    return await off_loop(overview, key)


async def shelf_rows_async(key: str) -> list[ShelfRow]:
    return await off_loop(shelf_rows, key)


async def link_async(book_id: int, hc_book_id: int, reason: str = "") -> str:
    return await off_loop(link, book_id, hc_book_id, reason)


async def want_async(book_id: int, *, confirmed: bool = False) -> str:
    return await off_loop(want, book_id, confirmed=confirmed)


async def want_question_async(book_id: int) -> str | None:
    return await off_loop(want_question, book_id)
