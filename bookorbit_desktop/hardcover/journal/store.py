"""The local side of the reading journal: which books opted in, which highlights they have,
and the highlight -> journal id map.

An insert is first recorded as "sending" and committed before the request leaves, so a crash
or a lost answer can never lead to a silent second insert: `plan` sends such an entry to be
confirmed by reading the journal back first. A row that failed keeps its failures in a row,
when it may go again and the reason (`mark_refused`, `mark_waiting`, `mark_failed`); they are
kept until the entry is in the journal or its text changes, so the waits keep growing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.journal.plan import (
    PRIVACY,
    REFUSED,
    SENDING,
    SENT,
    WAITING,
    Sent,
    Wanted,
    retry_delay,
    wanted_entries,
)
from bookorbit_desktop.hardcover.matching.store import LINKED
from bookorbit_desktop.library.store.channel_tables import Highlight, JournalEntry
from bookorbit_desktop.library.store.models import Book, HardcoverMatch, database
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.library.store.typed import tuples


def chosen_books() -> tuple[bool, list[int]]:
    """(every linked book, else only these library ids)."""
    return bool(get_setting("hardcover.journal_all")), list(get_setting("hardcover.journal_books"))


def choose(book_ids: Iterable[int], *, on: bool) -> list[int]:
    """Opt books in (or out) of sending their highlights; returns the opted-in ids."""
    ids = list(book_ids)
    for book_id in ids:
        if not Book.select().where(Book.id == book_id).exists():
            raise NotFoundError(f"There is no book with id {book_id}.")
    current = set(chosen_books()[1])
    current = current | set(ids) if on else current - set(ids)
    set_setting("hardcover.journal_books", sorted(current))
    return sorted(current)


def choose_all(on: bool) -> None:
    set_setting("hardcover.journal_all", on)


def privacy() -> int:
    value = get_setting("hardcover.journal_privacy")
    return value if value in PRIVACY.values() else PRIVACY["private"]


def set_privacy(word: str) -> int:
    if word not in PRIVACY:
        raise InvalidValueError(f"Privacy must be one of {', '.join(PRIVACY)}, not {word!r}.")
    set_setting("hardcover.journal_privacy", PRIVACY[word])
    return PRIVACY[word]


def wanted() -> list[Wanted]:
    """The journal entries the opted-in, linked books' highlights should have."""
    every, ids = chosen_books()
    if not every and not ids:
        return []
    query = (
        Highlight.select(
            Highlight.id,
            Highlight.text,
            Highlight.note,
            Highlight.page,
            Highlight.created,
            HardcoverMatch.hc_book_id,
            HardcoverMatch.hc_edition_id,
            HardcoverMatch.edition_pages,
        )
        .join(HardcoverMatch, on=HardcoverMatch.book == Highlight.book)
        .where(
            Highlight.deleted_at.is_null()
            & (HardcoverMatch.state == LINKED)
            & HardcoverMatch.hc_book_id.is_null(False)
        )
        .order_by(Highlight.book, Highlight.created, Highlight.id)
    )
    if not every:
        query = query.where(Highlight.book.in_(ids))
    entries: list[Wanted] = []
    for highlight_id, text, note, page, created, hc_book_id, edition_id, pages in tuples(query):
        entries += wanted_entries(
            highlight_id,
            text,
            note,
            page,
            created,
            hc_book_id=hc_book_id,
            edition_id=edition_id,
            edition_pages=pages,
        )
    return entries


def sent_map() -> dict[tuple[int, str], Sent]:
    return {
        (row.highlight_id, row.kind): Sent(
            row.highlight_id,
            row.kind,
            row.journal_id,
            row.text,
            row.state,
            row.attempts,
            row.next_attempt_at,
            row.refused,
        )
        for row in JournalEntry.select()
    }


def anything_sent() -> bool:
    """True once a batch has reached Hardcover (the first one waits for a review)."""
    return JournalEntry.select().where(JournalEntry.state == SENT).exists()


def _row(entry: Wanted, journal_id: int | None, state: str, now: float) -> dict[str, Any]:
    """The columns of the journal row that records `entry` in `state`."""
    return {
        "highlight": entry.highlight_id,
        "kind": entry.kind,
        "journal_id": journal_id,
        "text": entry.text,
        "state": state,
        "changed_at": now,
    }


def _this(entry: Wanted) -> Any:
    return (JournalEntry.highlight == entry.highlight_id) & (JournalEntry.kind == entry.kind)


def _attempts(entry: Wanted) -> int:
    """The failures in a row of `entry`'s row, unless its text changed since (a new try)."""
    before = JournalEntry.get_or_none(_this(entry))
    return before.attempts if before is not None and before.text == entry.text else 0


def mark_sending(entry: Wanted, now: float) -> None:
    """Recorded before the insert leaves; the failures in a row so far are kept."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        attempts = _attempts(entry)
        JournalEntry.insert(
            **_row(entry, None, SENDING, now), attempts=attempts
        ).on_conflict_replace().execute()


def mark_refused(entry: Wanted, reason: str, now: float) -> None:
    """Hardcover refused the insert: nothing is in the journal; try again after a wait."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        attempts = _attempts(entry) + 1
        JournalEntry.insert(
            **_row(entry, None, REFUSED, now),
            attempts=attempts,
            next_attempt_at=now + retry_delay(attempts),
            refused=reason,
        ).on_conflict_replace().execute()


def mark_waiting(entry: Wanted, now: float, reason: str, *, until: float | None = None) -> None:
    """Hardcover certainly stored nothing (a 429 or a 401 on the insert): the entry waits to
    be inserted again, `until` Hardcover's own wait (not a failure of the entry), else after
    one more failure in a row."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        attempts = _attempts(entry)
        if until is None:
            attempts += 1
            until = now + retry_delay(attempts)
        JournalEntry.insert(
            **_row(entry, None, WAITING, now),
            attempts=attempts,
            next_attempt_at=until,
            refused=reason,
        ).on_conflict_replace().execute()


def mark_failed(
    entry: Wanted, now: float, *, refused: str | None = None, until: float | None = None
) -> None:
    """An update that failed (its entry keeps the text it had), an insert without an answer,
    or a lost answer that could not be checked: the row keeps its state and waits longer
    before the next attempt; `until`: Hardcover's own wait (a 429), not counted as a failure."""
    with database.atomic("IMMEDIATE"):  # it reads the attempts, then writes them
        row = JournalEntry.get_or_none(_this(entry))
        if row is None:
            return
        attempts = row.attempts if until is not None else row.attempts + 1
        JournalEntry.update(
            attempts=attempts,
            next_attempt_at=until if until is not None else now + retry_delay(attempts),
            refused=refused,
        ).where(_this(entry)).execute()


def mark_sent(entry: Wanted, journal_id: int, now: float) -> None:
    with database.atomic():
        JournalEntry.delete().where(_this(entry)).execute()
        JournalEntry.create(**_row(entry, journal_id, SENT, now))


def forget(entry: Wanted) -> None:
    """Reading back showed Hardcover never got the insert: nothing is in the journal for it.
    The row stays (waiting) with its failures in a row, so the waits keep growing."""
    JournalEntry.update(state=WAITING, journal_id=None).where(
        _this(entry) & (JournalEntry.state == SENDING)
    ).execute()


def known_journal_ids() -> set[int]:
    rows = JournalEntry.select(JournalEntry.journal_id).where(
        JournalEntry.journal_id.is_null(False)
    )
    return {int(journal_id) for (journal_id,) in tuples(rows)}
