"""Status and rating changes a KOReader export suggests, kept until the user decides.

`propose` stores one (unless the same suggestion is already waiting or was decided: a re-sent
export never asks twice); `apply` changes the book's reading state through the library's own
edit rules (`edits.save_edit`, which also queues the change for Hardcover);
`dismiss` forgets it. Nothing here changes a book by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.highlights.rules import Proposal, proposal
from bookorbit_desktop.library.reading.edits import UNSET, save_edit
from bookorbit_desktop.library.store.channel_tables import ReadingProposal
from bookorbit_desktop.library.store.models import Book, ReadingState, database

APPLIED = "applied"
DISMISSED = "dismissed"


@dataclass(frozen=True)
class ProposalRow:
    id: int
    book_id: int
    book_title: str
    source: str
    status: str | None
    rating: int | None
    note: str | None
    proposed_at: float


def propose(
    book_id: int,
    source: str,
    *,
    status: str | None,
    rating: int | None,
    note: str | None,
    now: float,
) -> Proposal | None:
    """Store what a device's summary proposes for the book, if it changes anything."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        state = ReadingState.get_or_none(ReadingState.book == book_id)
        wanted = proposal(
            status,
            rating,
            note,
            current_status=state.status if state is not None else "unread",
            current_rating=state.rating if state is not None else None,
        )
        if wanted is None:
            return None
        seen = ReadingProposal.select().where(
            (ReadingProposal.book == book_id)
            & (
                ReadingProposal.status.is_null()
                if wanted.status is None
                else ReadingProposal.status == wanted.status
            )
            & (
                ReadingProposal.rating.is_null()
                if wanted.rating is None
                else ReadingProposal.rating == wanted.rating
            )
        )
        if seen.exists():
            return None
        ReadingProposal.create(
            book=book_id,
            source=source,
            status=wanted.status,
            rating=wanted.rating,
            note=wanted.note,
            proposed_at=now,
        )
    return wanted


def waiting() -> list[ProposalRow]:
    query = (
        ReadingProposal.select(ReadingProposal, Book)
        .join(Book)
        .where(ReadingProposal.decision.is_null())
        .order_by(ReadingProposal.proposed_at, ReadingProposal.id)
    )
    return [
        ProposalRow(
            row.id,
            row.book_id,
            row.book.title,
            row.source,
            row.status,
            row.rating,
            row.note,
            row.proposed_at,
        )
        for row in query
    ]


def _open(proposal_id: int) -> ReadingProposal:
    row = ReadingProposal.get_or_none(ReadingProposal.id == proposal_id)
    if row is None:
        raise NotFoundError(f"There is no proposal {proposal_id}.")
    if row.decision is not None:
        raise InvalidValueError(f"Proposal {proposal_id} was already {row.decision}.")
    return row


def apply(proposal_id: int, *, finished: object = UNSET) -> dict[str, object]:
    """Apply a waiting proposal to its book as the user's edit (`save_edit`: a finished status
    takes its date from the history, or `finished`, else `DateNeededError` and nothing
    changes); returns the book's new reading state."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = _open(proposal_id)
        reading = save_edit(
            row.book_id,
            status=UNSET if row.status is None else row.status,
            rating=UNSET if row.rating is None else float(row.rating),
            finished=finished,
        )
        row.decision = APPLIED
        row.save()
    return reading


def dismiss(proposal_id: int) -> None:
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = _open(proposal_id)
        row.decision = DISMISSED
        row.save()
