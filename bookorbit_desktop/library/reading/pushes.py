"""Reading positions pushed by KOReader: storage, document -> book links and reading state.

A push is one short transaction: append a ProgressEvent (every push is kept, linked or not)
and, when the document belongs to a book, update that book's ReadingState with the pure rules
of `reading.py`, unless the jump-back guard (`jump_back`) keeps it out of the state. A pull is
the newest event of the document, whichever device wrote it.

Which book a document is, is `resolution`'s rule; `resolve_document` asks it with the document's
stored aliases.

The metadata KOReader may send beside a push (file name, title, authors) never links a
document by itself: it names no size and no content, so it only proposes a book for the
user's Link dialog (`link_proposal`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from peewee import SQL, fn

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.reading import rows as rows
from bookorbit_desktop.library.reading import rules as reading
from bookorbit_desktop.library.reading.device_positions import NOT_RESET_SQL
from bookorbit_desktop.library.reading.event_run import run_events
from bookorbit_desktop.library.reading.finish_evidence import settle_sync_finishes
from bookorbit_desktop.library.reading.jump_marks import insert_jumped, jump_of
from bookorbit_desktop.library.reading.resolution import Resolution, resolution_of
from bookorbit_desktop.library.reading.rows import Position
from bookorbit_desktop.library.reading.waiting import WAITING_DOCUMENTS_SQL
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    ALIAS_MANUAL,
    Book,
    DocumentAlias,
    ProgressEvent,
    database,
)
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.library.store.typed import tuples

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentMetadata:
    """What KOReader 2026.07+ may send beside a push when "Send document metadata" is on."""

    title: str | None = None
    authors: str | None = None
    filename: str | None = None


@dataclass(frozen=True)
class Push:
    document: str
    progress: str
    percentage: float
    device: str
    device_id: str | None = None
    metadata: DocumentMetadata | None = None


@dataclass(frozen=True)
class PushResult:
    book_id: int | None
    changes: tuple[reading.Change, ...] = ()
    reading_changed: bool = False  # status, progress or dates of `book_id` moved


@dataclass(frozen=True)
class UnlinkedDocument:
    document: str
    device: str
    device_id: str | None
    percentage: float
    progress: str
    timestamp: int
    pushes: int
    title: str | None
    authors: str | None
    filename: str | None
    candidates: tuple[int, ...]


@dataclass(frozen=True)
class SyncSummary:
    documents: int
    pushes: int
    unlinked: int
    last_push: Position | None


@dataclass(frozen=True)
class LinkResult:
    book_id: int
    events_moved: int
    changes: tuple[reading.Change, ...]
    reading_changed: bool


def finish_threshold() -> float:
    """The configured finish threshold, falling back to the default when it is unusable."""
    return reading.usable_threshold(get_setting("reading.finish_threshold"))


def resolve_document(document: str) -> Resolution:
    return resolution_of(rows.aliases(document))


def adopts_earlier(book_id: int | None, previous: tuple[int | None] | None) -> bool:
    """Whether a push of a document linked to `book_id` brings that book the document's
    earlier, unlinked pushes (`previous`: the book of the newest one, None if never pushed).
    The batched recording (`batched_pushes`) sends such pushes through `record_push`."""
    return book_id is not None and previous is not None and previous[0] is None


def record_push(push: Push, *, timestamp: int) -> PushResult:
    """Store one push (timestamp: server clock, Unix seconds) and apply it to its book."""
    with database.atomic("IMMEDIATE"):
        threshold = finish_threshold()
        resolution = resolve_document(push.document)
        book_id = resolution.book_id
        previous = rows.newest_event_book(push.document)
        if book_id is None:
            _insert_event(push, None, timestamp)
            return PushResult(book_id=None)
        if adopts_earlier(book_id, previous):
            # Pushed before the book was in the library (or linked): adopt that history.
            _insert_event(push, None, timestamp)
            _, changes, changed = _attach_history(push.document, book_id, threshold)
        else:
            jump = jump_of(push.document, push.percentage, rows.reading_row(book_id), timestamp)
            if jump is not None:
                insert_jumped(event_values(push, book_id, timestamp), jump)
                return PushResult(book_id, (reading.Change.JUMPED_BACK,))
            _insert_event(push, book_id, timestamp)
            changes, changed = apply_events(
                book_id, [(push.percentage, push.progress, timestamp)], threshold
            )
    return PushResult(book_id, changes, reading_changed=changed)


def latest_position(document: str) -> Position | None:
    """The newest push of `document` from any device (last write wins)."""
    return rows.newest_event(document)


def newest_positions(limit: int) -> list[Position]:
    """The newest position of each document, the most recently pushed first, at most `limit`."""
    found = database.execute_sql(
        """SELECT e.document, e.percentage, e.progress, e.device, e.device_id, e.timestamp
           FROM progress_event AS e
           JOIN (SELECT MAX(id) AS id FROM progress_event GROUP BY document) AS last
             ON last.id = e.id
           ORDER BY e.id DESC LIMIT ?""",
        (limit,),
    ).fetchall()
    return [Position(d, pct, text, dev, dev_id, int(ts)) for d, pct, text, dev, dev_id, ts in found]


def sync_summary() -> SyncSummary:
    documents, pushes = database.execute_sql(
        "SELECT COUNT(DISTINCT document), COUNT(*) FROM progress_event"
    ).fetchone()
    last = ProgressEvent.select(ProgressEvent.document).order_by(ProgressEvent.id.desc()).first()
    return SyncSummary(
        documents=documents,
        pushes=pushes,
        unlinked=len(unlinked_documents()),
        last_push=latest_position(last.document) if last is not None else None,
    )


def unlinked_documents() -> list[UnlinkedDocument]:
    """Documents whose newest push belongs to no book, newest first."""
    newest = database.execute_sql(
        """SELECT e.document, e.device, e.device_id, e.percentage, e.progress, e.timestamp,
                  last.pushes
           FROM progress_event AS e
           JOIN (SELECT document, MAX(id) AS id, COUNT(*) AS pushes
                 FROM progress_event GROUP BY document) AS last ON last.id = e.id
           WHERE e.book_id IS NULL
           ORDER BY e.id DESC"""
    ).fetchall()
    result = []
    for document, device, device_id, percentage, progress, timestamp, pushes in newest:
        resolution = resolve_document(document)
        if resolution.book_id is not None:
            continue  # its book arrived since the last push; `adopt_documents` links it
        title, authors, filename = rows.latest_metadata(document)
        result.append(
            UnlinkedDocument(
                document=document,
                device=device,
                device_id=device_id,
                percentage=percentage,
                progress=progress,
                timestamp=int(timestamp),
                pushes=pushes,
                title=title,
                authors=authors,
                filename=filename,
                candidates=resolution.candidates,
            )
        )
    return result


def link_document(document: str, book_id: int, *, now: float) -> LinkResult:
    """Link `document` to a book by hand and give the book that document's reading history."""
    if not document:
        raise NotFoundError("Give the document id to link (as listed by `kosync unlinked`).")
    if Book.get_or_none(Book.id == book_id) is None:
        raise NotFoundError(
            f"There is no book with id {book_id}. List the library's books with "
            "`bookorbit-desktop books` and use the id shown there."
        )
    threshold = finish_threshold()
    with database.atomic("IMMEDIATE"):
        DocumentAlias.delete().where(
            (DocumentAlias.document == document)
            & (DocumentAlias.kind == ALIAS_MANUAL)
            & (DocumentAlias.book != book_id)
        ).execute()
        _add_alias(document, book_id, ALIAS_MANUAL, now)
        moved, changes, changed = _attach_history(document, book_id, threshold, every_event=True)
    log.info("Linked KOReader document %s to book %d by hand (%d pushes)", document, book_id, moved)
    return LinkResult(book_id, moved, changes, changed)


def adopt_documents() -> list[LinkResult]:
    """Link the history of documents pushed before their book was added to the library.

    A push does this by itself for its own document; this catches up on documents whose
    books were imported while no device pushed them (run at server start and after imports).
    """
    orphans = database.execute_sql(WAITING_DOCUMENTS_SQL).fetchall()
    results = []
    threshold = finish_threshold()
    for (document,) in orphans:
        with database.atomic("IMMEDIATE"):
            book_id = resolve_document(document).book_id
            if book_id is None:
                continue
            moved, changes, changed = _attach_history(document, book_id, threshold)
        log.info("Gave book %d the %d earlier pushes of document %s", book_id, moved, document)
        results.append(LinkResult(book_id, moved, changes, changed))
    return results


def _add_alias(document: str, book_id: int, kind: str, now: float) -> None:
    DocumentAlias.insert(
        document=document, kind=kind, book=book_id, book_file=None, created_at=now
    ).on_conflict_ignore().execute()


def event_values(push: Push, book_id: int | None, timestamp: int) -> rows.EventValues:
    """The stored event of `push` (linked to `book_id`, if any)."""
    meta = push.metadata or DocumentMetadata()
    return (
        push.document,
        book_id,
        push.device,
        push.device_id,
        push.percentage,
        push.progress,
        timestamp,
        meta.title,
        meta.authors,
        meta.filename,
    )


def _insert_event(push: Push, book_id: int | None, timestamp: int) -> None:
    rows.insert_events([event_values(push, book_id, timestamp)])


def _attach_history(
    document: str, book_id: int, threshold: float, *, every_event: bool = False
) -> tuple[int, tuple[reading.Change, ...], bool]:
    """Give `book_id` the document's events that belong to no book (or, by hand, to another);
    return how many moved and what that did to the book.

    Events older than what the book already has are replayed as stale: they may start or
    finish it on their own dates but do not move its progress back.
    """
    pushed = SQL(NOT_RESET_SQL)  # a reset's start position is not a read: never replayed
    newest_known = (
        ProgressEvent.select(fn.MAX(ProgressEvent.timestamp))
        .where((ProgressEvent.book == book_id) & pushed)
        .scalar()
    )
    orphan = ProgressEvent.book.is_null()
    if every_event:
        orphan = orphan | (ProgressEvent.book != book_id)
    selected = (ProgressEvent.document == document) & orphan
    events = [
        (percentage, progress, int(timestamp))
        for percentage, progress, timestamp in tuples(
            ProgressEvent.select(
                ProgressEvent.percentage, ProgressEvent.progress, ProgressEvent.timestamp
            )
            .where(selected & pushed)
            .order_by(ProgressEvent.timestamp, ProgressEvent.id)
        )
    ]
    if not events:
        return 0, (), False
    ProgressEvent.update(book=book_id).where(selected).execute()
    changes, changed = apply_events(book_id, events, threshold, newest_known=newest_known or 0)
    return len(events), changes, changed


def apply_events(
    book_id: int,
    events: list[tuple[float, str, int]],
    threshold: float,
    *,
    newest_known: int = 0,
) -> tuple[tuple[reading.Change, ...], bool]:
    """Run (percentage, progress, timestamp) events, oldest first, through the reading rules
    and store the outcome (`event_run.run_events`): the reading row and the outbox entry."""
    run = run_events(rows.reading_row(book_id), events, threshold, newest_known=newest_known)
    if run.row is not None:
        rows.write_reading_row(book_id, run.row, updated_at=run.updated_at)
        outbox.note_change(book_id, run.kinds, now=run.queued_at)
        if reading.Change.FINISHED in run.changes:  # dated by the statistics when they know
            settle_sync_finishes([book_id])
    return run.changes, run.changed
