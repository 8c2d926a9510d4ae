"""What the metadata sources last answered for each book: one fetch state per (book, source)
(`status` is the source's outcome, or `pending` while queued) and the candidates it found as
JSON, so the window and the command line show them without asking again, and `metadata
retry` finds the fetches that failed. A book's rows go with the book. The tables' SQL is the
migration `metadata_schema`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from peewee import CompositeKey, FloatField, ForeignKeyField, IntegerField, TextField

from bookorbit_desktop.library.store.models import BaseModel, Book, JSONText, database

PENDING = "pending"
# Outcomes that are answers, not failures (the others, but for NOT_CONNECTED, are retried).
ANSWERED = ("ok", "no result")
# A source the user has not set up (`records.NOT_CONNECTED`): no answer, nothing to retry; the
# candidates it gave before are kept.
NOT_CONNECTED = "not connected"


class MetadataFetch(BaseModel):
    book = ForeignKeyField(Book, on_delete="CASCADE")
    book_id: int
    source = TextField()
    status = TextField()
    message = TextField(default="")
    fetched_at = FloatField()

    class Meta:
        table_name = "metadata_fetch"
        primary_key = CompositeKey("book", "source")


class MetadataCandidate(BaseModel):
    book = ForeignKeyField(Book, on_delete="CASCADE")
    book_id: int
    source = TextField()
    position = IntegerField()
    data = JSONText()

    class Meta:
        table_name = "metadata_candidate"


@dataclass(frozen=True)
class FetchState:
    book_id: int
    source: str
    status: str
    message: str
    fetched_at: float


# Queued again, a (book, source) keeps its time and candidates until its answer replaces them.
_PENDING_UPSERT = (
    "INSERT INTO metadata_fetch (book_id, source, status, message, fetched_at)"
    " SELECT b.id, ?, ?, '', ? FROM book b WHERE b.id = ?"
    " ON CONFLICT (book_id, source) DO UPDATE SET status = excluded.status, message = ''"
)


def mark_pending(plan: Mapping[str, Iterable[int]], now: float) -> None:
    """Queue each source's books (source name -> book ids; books no longer in the library
    left out) in one transaction. One statement run by SQLite's own loop: a query built in
    Python per (book, source) held the interpreter lock in the worker thread for tens of
    milliseconds with a few hundred books, and the window's thread waits for that lock."""
    rows = [
        (source, PENDING, now, book_id)
        for source, book_ids in plan.items()
        for book_id in dict.fromkeys(book_ids)
    ]
    with database.atomic():
        database.cursor().executemany(_PENDING_UPSERT, rows)


def save_answer(
    book_id: int,
    source: str,
    status: str,
    message: str,
    candidates: list[dict[str, Any]],
    now: float,
) -> bool:
    """Store one source's answer for a book in one transaction: its state and, when it
    answered, its candidates (a failure keeps the candidates found before). False when the
    book is gone meanwhile."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        if Book.get_or_none(Book.id == book_id) is None:
            return False
        MetadataFetch.replace(
            book=book_id, source=source, status=status, message=message, fetched_at=now
        ).execute()
        if status in ANSWERED:
            MetadataCandidate.delete().where(
                (MetadataCandidate.book == book_id) & (MetadataCandidate.source == source)
            ).execute()
            for position, data in enumerate(candidates):
                MetadataCandidate.create(book=book_id, source=source, position=position, data=data)
    return True


def states(book_ids: Iterable[int] | None = None) -> list[FetchState]:
    query = MetadataFetch.select().order_by(MetadataFetch.book, MetadataFetch.source)
    if book_ids is not None:
        query = query.where(MetadataFetch.book.in_(list(book_ids)))
    return [FetchState(r.book_id, r.source, r.status, r.message, r.fetched_at) for r in query]


def failed_books() -> dict[int, list[str]]:
    """Book id -> the sources whose last fetch failed or never finished (a source not
    connected did neither)."""
    query = MetadataFetch.select(MetadataFetch.book, MetadataFetch.source).where(
        MetadataFetch.status.not_in((*ANSWERED, NOT_CONNECTED))
    )
    failed: dict[int, list[str]] = {}
    for row in query.order_by(MetadataFetch.book, MetadataFetch.source):
        failed.setdefault(row.book_id, []).append(row.source)
    return failed


def candidates_of(book_id: int) -> list[tuple[str, dict[str, Any]]]:
    """(source, candidate JSON) of a book, by source and position."""
    query = (
        MetadataCandidate.select()
        .where(MetadataCandidate.book == book_id)
        .order_by(MetadataCandidate.source, MetadataCandidate.position)
    )
    return [(row.source, row.data) for row in query]
