"""Where each book's Hardcover link lives: the `hardcover_match` rows and their rules.

States: unmatched -> linked (automatically, with the reason) | needs_review (candidates kept)
| no_match | excluded | error | removed. A user's Pick pins book and edition (`pinned`);
re-matching and metadata edits never overwrite it. Re-match clears the link so the next pass
matches again; Exclude keeps the book out of every sync (the link is kept, so Include restores
it). Removed: the user removed the entry from Hardcover; every copy linked to that Hardcover
book keeps its link but no sync adds the entry back, until the user picks, re-matches or adds
it again (`add_again`).
A change to the book's metadata (title, authors, ISBNs, a Hardcover id saved in the file)
makes a book that had no link, or an automatic link nothing was sent for yet, match again.
Every write is one transaction per book.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from peewee import fn

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.fields import from_attributes
from bookorbit_desktop.hardcover.matching.editions import describe_edition
from bookorbit_desktop.hardcover.matching.local import eligible_books, fingerprint, local_book
from bookorbit_desktop.hardcover.matching.revisit import (  # the states: imported from here too
    ERROR,
    EXCLUDED,
    LINKED,
    REMOVED,
    STATES,
    UNMATCHED,
    worth_matching,
)
from bookorbit_desktop.hardcover.matching.revisit import NEEDS_REVIEW as NEEDS_REVIEW
from bookorbit_desktop.hardcover.matching.revisit import NO_MATCH as NO_MATCH
from bookorbit_desktop.hardcover.matching.scoring import Decision, LocalBook, Scored
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    Book,
    HardcoverMatch,
    HardcoverSync,
    database,
)
from bookorbit_desktop.library.store.typed import tuples

METHOD_PICK = "pick"
METHOD_SEARCH = "search"


@dataclass(frozen=True)
class MatchRecord:
    """A book's Hardcover link as plain values."""

    book_id: int
    state: str
    reason: str | None
    hc_book_id: int | None
    hc_edition_id: int | None
    edition_pages: int | None
    pinned: bool
    user_book_id: int | None
    created_by_us: bool
    candidates: list[dict[str, Any]]
    method: str | None
    fingerprint: str | None
    updated_at: float
    hc_rating: float | None = None  # the linked book's readers' average rating, when known

    @property
    def syncable(self) -> bool:
        """Only linked books are ever sent to Hardcover."""
        return self.state == LINKED and self.hc_book_id is not None


def _record(row: HardcoverMatch) -> MatchRecord:
    return from_attributes(
        MatchRecord,
        row,
        pinned=bool(row.pinned),
        created_by_us=bool(row.created_by_us),
        candidates=list(row.candidates or []),
    )


def get_match(book_id: int) -> MatchRecord | None:
    row = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
    return None if row is None else _record(row)


class _Row:
    """The book's row inside a transaction, created on first save."""

    def __init__(self, book_id: int, now: float) -> None:
        row = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
        self.new = row is None
        if row is None:
            if Book.get_or_none(Book.id == book_id) is None:
                raise NotFoundError(f"There is no book {book_id} in the library.")
            row = HardcoverMatch(book=book_id, state=UNMATCHED, candidates=[], updated_at=now)
        self.row = row

    def save(self) -> MatchRecord:
        self.row.save(force_insert=self.new)
        self.new = False
        return _record(self.row)


@contextmanager
def _editing(book_id: int, now: float | None) -> Iterator[tuple[_Row, float]]:
    """The book's row inside one transaction, and the time of the edit (now, unless given)."""
    when = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        yield _Row(book_id, when), when


def needs_matching(record: MatchRecord | None, current_fingerprint: str) -> bool:
    """Whether a matching pass should (re)consider this book."""
    if record is None:
        return True
    return worth_matching(
        record.state,
        pinned=record.pinned,
        changed=record.fingerprint != current_fingerprint,
        on_profile=record.user_book_id is not None,
    )


def survey(
    book_ids: Iterable[int] | None = None, *, include_unread: bool = False
) -> list[tuple[Book, LocalBook, str, MatchRecord | None]]:
    """Each eligible book with what matching sees of it, its fingerprint and its current match
    record: everything a matching run reads before it asks Hardcover anything."""
    found = []
    for book in eligible_books(book_ids, include_unread=include_unread):
        local = local_book(book)
        found.append((book, local, fingerprint(local), get_match(book.id)))
    return found


# ------------------------------------------------------------------------- results


def candidate_json(scored: Scored) -> dict[str, Any]:
    """What a candidate list stores for review and Pick (author, year, format, pages, ...)."""
    book = scored.book
    text = book.text_editions
    pages = book.pages or next((e.pages for e in text if e.pages), None)
    edition = scored.evidence.edition
    return {
        "book_id": book.id,
        "slug": book.slug,
        "image_url": book.image_url,
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": list(book.authors),
        "year": book.release_year,
        "readers": book.users_count,
        "rating": book.rating,
        "pages": pages,
        "format": "audiobook" if book.audio_only else "text",
        "languages": sorted(book.languages),
        "series": [{"name": s.name, "position": s.position} for s in book.series if s.name],
        "score": round(scored.score, 3),
        "grade": scored.grade.name.lower(),
        "differences": [p.label for p in scored.penalties],
        "found_by": scored.evidence.identifier or METHOD_SEARCH,
        "edition": None if edition is None else describe_edition(edition),
    }


def save_decision(
    book_id: int,
    decision: Decision,
    *,
    fingerprint: str,
    edition_id: int | None = None,
    edition_pages: int | None = None,
    now: float | None = None,
) -> MatchRecord | None:
    """Store a matching pass's outcome, unless the user pinned, excluded or removed the book
    meanwhile."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        if row.pinned or row.state in (EXCLUDED, REMOVED):
            return None
        if row.hc_book_id is not None and row.user_book_id is not None:
            return None  # something was sent for this link: only Re-match may change it
        row.state = decision.outcome
        row.reason = decision.reason
        row.candidates = [candidate_json(s) for s in decision.ranked]
        row.fingerprint = fingerprint
        row.updated_at = now
        best = decision.best
        if decision.outcome == LINKED and best is not None:
            row.hc_book_id = best.book.id
            row.hc_edition_id = edition_id
            row.edition_pages = edition_pages
            row.method = best.evidence.identifier or METHOD_SEARCH
            row.hc_rating = best.book.rating
            outbox.note_change(book_id, [outbox.LINK], now=now)
        else:
            row.hc_book_id = row.hc_edition_id = row.edition_pages = row.method = None
            row.hc_rating = None
        return handle.save()


# A match older than the book's last edit takes the edit's time: checked against that edit.
_EDITED_AT = "(SELECT updated_at FROM book WHERE book.id = hardcover_match.book_id)"
_CHECKED = (
    f"UPDATE hardcover_match SET updated_at = {_EDITED_AT}"
    f" WHERE book_id = ? AND updated_at < {_EDITED_AT}"
)


def mark_checked(book_ids: Iterable[int]) -> None:
    """A matching pass found these books' matches still good (the metadata it matches on is
    unchanged): an edit elsewhere in the book no longer counts as one to look up again
    (`hardcover.sync.waiting`)."""
    rows = [(book_id,) for book_id in book_ids]
    if rows:
        with database.atomic():
            database.connection().executemany(_CHECKED, rows)


def save_error(book_id: int, reason: str, *, now: float | None = None) -> MatchRecord | None:
    """A matching pass failed for this book; the next pass tries again."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        if row.pinned or row.state in (EXCLUDED, LINKED, REMOVED):
            return None
        row.state, row.reason, row.updated_at = ERROR, reason, now
        return handle.save()


# ------------------------------------------------------------------------- user actions


def pin(
    book_id: int,
    hc_book_id: int,
    *,
    edition_id: int | None,
    edition_pages: int | None,
    reason: str,
    candidate: dict[str, Any] | None = None,
    now: float | None = None,
) -> MatchRecord:
    """The user's Pick: link this Hardcover book (and edition) for good; the book's average
    rating is the `candidate`'s (fetched with it), kept only for the same book without one."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        if row.hc_book_id != hc_book_id:
            row.user_book_id, row.created_by_us = None, False  # that entry was another book's
            row.hc_rating = None
            _forget_sync(book_id, unless_about=hc_book_id)
        row.state, row.reason, row.method = LINKED, reason, METHOD_PICK
        row.hc_book_id, row.hc_edition_id, row.edition_pages = hc_book_id, edition_id, edition_pages
        row.pinned = True
        outbox.note_change(book_id, [outbox.LINK], now=now)
        if candidate is not None:
            others = [c for c in row.candidates or [] if c.get("book_id") != hc_book_id]
            row.candidates = [candidate, *others]
            row.hc_rating = candidate.get("rating")
        row.updated_at = now
        return handle.save()


def _forget_sync(book_id: int, *, unless_about: int | None = None) -> None:
    """Forget what Hardcover confirmed for the book (kept when it is about `unless_about`: an
    entry Re-match left in place, linked to the same Hardcover book again)."""
    query = HardcoverSync.delete().where(HardcoverSync.book == book_id)
    if unless_about is not None:
        query = query.where(
            HardcoverSync.hc_book_id.is_null() | (HardcoverSync.hc_book_id != unless_about)
        )
    query.execute()


def clear_link(book_id: int, *, entry_kept: bool, now: float | None = None) -> MatchRecord:
    """Re-match: forget the link (and the pin) so the next pass matches again.

    The caller removes a Hardcover entry BookOrbit created *before* calling this. An entry that
    stays (`entry_kept`) keeps what Hardcover confirmed for it: matched to the same book again,
    the entry is known as it was (BookOrbit's own, its read); matched to another, it is unused.
    """
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        if not entry_kept:
            _forget_sync(book_id)  # what Hardcover confirmed was about an entry now gone
        row.state, row.reason = UNMATCHED, "re-match requested"
        row.hc_book_id = row.hc_edition_id = row.edition_pages = row.method = row.hc_rating = None
        row.user_book_id, row.created_by_us, row.pinned = None, False, False
        row.candidates, row.fingerprint, row.updated_at = [], None, now
        return handle.save()


def exclude(book_id: int, *, now: float | None = None) -> MatchRecord:
    """Never sync this book; the link itself is kept for Include."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        row.state, row.reason, row.updated_at = EXCLUDED, "excluded by you", now
        return handle.save()


def lead(book_id: int, *, now: float | None = None) -> list[int]:
    """The user chose this copy to speak for the Hardcover book its other copies link to too
    (`hardcover.sync.copies`); returns every copy's book id. Each is queued to be sent."""
    now = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        hc_book_id = _hc_book(book_id, LINKED, "is not linked to a Hardcover book.", "Not linked")
        copies = [
            r.book_id
            for r in HardcoverMatch.select(HardcoverMatch.book).where(
                HardcoverMatch.hc_book_id == hc_book_id
            )
        ]
        HardcoverMatch.update(lead=HardcoverMatch.book == book_id).where(
            HardcoverMatch.book.in_(copies)
        ).execute()
        outbox.note_changes(copies, [outbox.LINK], now=now)
    return copies


def include(book_id: int, *, now: float | None = None) -> MatchRecord:
    """Undo Exclude: back to its link if it has one, else matched again on the next pass."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        if row.state != EXCLUDED:
            raise InvalidValueError(f"Book {book_id} is not excluded.", title="Nothing to include")
        if row.hc_book_id is not None:
            row.state = LINKED
            row.reason = "picked by you" if row.pinned else "included again"
            outbox.note_change(book_id, [outbox.LINK], now=now)
        else:
            row.state, row.reason, row.fingerprint = UNMATCHED, "included again", None
        row.updated_at = now
        return handle.save()


def mark_removed(book_id: int, *, now: float | None = None) -> list[int]:
    """The user removed the Hardcover entry of this book: it and every copy linked to the same
    Hardcover book stay off Hardcover (links kept) until `add_again`, Pick or Re-match.
    Returns the copies' book ids."""
    now = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
        if row is None or row.hc_book_id is None:
            raise InvalidValueError(f"Book {book_id} is not linked to a Hardcover book.")
        copies = _copies(row.hc_book_id, (LINKED, REMOVED))
        HardcoverMatch.update(
            state=REMOVED,
            reason="removed from Hardcover by you",
            user_book_id=None,
            created_by_us=False,
            updated_at=now,
        ).where(HardcoverMatch.book.in_(copies)).execute()
        HardcoverSync.delete().where(HardcoverSync.book.in_(copies)).execute()
    return copies


def add_again(book_id: int, *, now: float | None = None) -> list[int]:
    """Undo Remove Entry on purpose: the book (and its copies removed with it) is linked
    again and goes to Hardcover with the next sync. Returns the copies' book ids."""
    now = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        hc_book_id = _hc_book(
            book_id, REMOVED, "was not removed from Hardcover.", "Nothing to add again"
        )
        copies = _copies(hc_book_id, (REMOVED,))
        HardcoverMatch.update(
            state=LINKED, reason="added to Hardcover again by you", updated_at=now
        ).where(HardcoverMatch.book.in_(copies)).execute()
        outbox.note_changes(copies, [outbox.LINK], now=now)
    return copies


def _hc_book(book_id: int, state: str, otherwise: str, title: str) -> int:
    """The Hardcover book of the book's match in `state`; when the match is in another state
    or has none, InvalidValueError saying "Book <id> <otherwise>" under `title`."""
    row = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
    if row is None or row.state != state or row.hc_book_id is None:
        raise InvalidValueError(f"Book {book_id} {otherwise}", title=title)
    return int(row.hc_book_id)


def _copies(hc_book_id: int, states: tuple[str, ...]) -> list[int]:
    query = HardcoverMatch.select(HardcoverMatch.book).where(
        (HardcoverMatch.hc_book_id == hc_book_id) & HardcoverMatch.state.in_(states)
    )
    return [book_id for (book_id,) in tuples(query)]


def record_user_book(
    book_id: int, user_book_id: int | None, *, created_by_us: bool, now: float | None = None
) -> MatchRecord:
    """Remember the Hardcover library entry of a linked book, and whether we created it."""
    with _editing(book_id, now) as (handle, now):
        row = handle.row
        row.user_book_id = user_book_id
        row.created_by_us = bool(created_by_us and user_book_id is not None)
        if user_book_id is None:
            _forget_sync(book_id)  # the entry is gone: a later push starts afresh
        row.updated_at = now
        return handle.save()


def state_counts() -> dict[str, int]:
    """How many books are in each state; every state is listed, with 0 when none is."""
    counts = dict.fromkeys(STATES, 0)
    query = HardcoverMatch.select(HardcoverMatch.state, fn.COUNT(HardcoverMatch.book))
    for state, count in tuples(query.group_by(HardcoverMatch.state)):
        counts[state] = count
    return counts
