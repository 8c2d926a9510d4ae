"""Pushes stored a batch at a time: what the server's group commit runs.

Under load the server's writer thread takes every push that arrived during the previous commit
at once. `record_pushes` gives each the outcome `pushes.record_push` would give it in turn,
but reads the settings, the documents' aliases, their previous events and their books' reading
rows once for the whole batch and inserts its events in one statement. A push that may link its
document (its metadata may match a book, or its book arrived since earlier pushes) goes through
`record_push` itself, and so does every later push of that document in the batch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.event_run import EventRun, run_events
from bookorbit_desktop.library.reading.finish_evidence import settle_sync_finishes
from bookorbit_desktop.library.reading.jump_back import may_jump
from bookorbit_desktop.library.reading.jump_marks import insert_jumped, jump_of
from bookorbit_desktop.library.reading.pushes import (
    Push,
    PushResult,
    adopts_earlier,
    event_values,
    finish_threshold,
    record_push,
)
from bookorbit_desktop.library.reading.resolution import resolution_of
from bookorbit_desktop.library.reading.rules import Change
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list


def record_pushes(batch: Sequence[tuple[Push, int]]) -> list[PushResult]:
    """Store pushes (each with its server timestamp) in order, with the outcome of calling
    `record_push` for each in turn, but with one read of the settings, the aliases and the
    previous events for the whole batch and one insert of its events. Run inside the caller's
    transaction (the server's group commit); a failure leaves the batch half stored, so the
    caller wraps it in a savepoint."""
    documents = sorted({push.document for push, _ in batch})
    threshold = finish_threshold()
    known = _aliases_of(documents)
    previous = _newest_event_books(documents)
    linked = {resolution_of(known.get(document, [])).book_id for document in documents}
    reading_rows = rows.reading_rows([book_id for book_id in linked if book_id is not None])
    slow: set[str] = set()  # documents a push may have linked meanwhile: no shortcut for them
    waiting: list[tuple[Push, int | None, int]] = []  # events not inserted yet, in order
    writes = _Writes()
    results: list[PushResult] = []
    for push, timestamp in batch:
        document = push.document
        resolution = resolution_of(known.get(document, []))
        book_id = resolution.book_id
        earlier = (previous[document],) if document in previous else None
        if document in slow or adopts_earlier(book_id, earlier):
            _insert_events(waiting)
            writes.flush()
            result = record_push(push, timestamp=timestamp)
            if result.book_id is not None:
                reading_rows.pop(result.book_id, None)  # written behind the batch's back
            results.append(result)
            slow.add(document)
            continue
        previous[document] = book_id
        if book_id is None:
            waiting.append((push, book_id, timestamp))
            results.append(PushResult(book_id=None))
            continue
        stored = reading_rows[book_id] if book_id in reading_rows else rows.reading_row(book_id)
        if stored is not None and may_jump(push.percentage, stored.status, stored.progress):
            _insert_events(waiting)  # the guard reads the events pushed before it
            jump = jump_of(document, push.percentage, stored, timestamp)
            if jump is not None:
                insert_jumped(event_values(push, book_id, timestamp), jump)
                results.append(PushResult(book_id, (Change.JUMPED_BACK,)))
                continue
        waiting.append((push, book_id, timestamp))
        run = run_events(stored, [(push.percentage, push.progress, timestamp)], threshold)
        if run.row is not None:
            writes.add(book_id, run, exists=stored is not None)
            reading_rows[book_id] = run.row
        results.append(PushResult(book_id, run.changes, reading_changed=run.changed))
    _insert_events(waiting)
    writes.flush()
    finished = [
        r.book_id for r in results if r.book_id is not None and Change.FINISHED in r.changes
    ]
    if finished:  # a finish is dated by the statistics when they know
        settle_sync_finishes(finished)
    return results


class _Writes:
    """The reading rows and outbox entries of a batch, written together (a book pushed twice
    is written once, with its last row and the first time of each kind of change)."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[rows.ReadingRow, float | None, bool]] = {}
        self.queue: dict[int, dict[str, float]] = {}

    def add(self, book_id: int, run: EventRun, *, exists: bool) -> None:
        assert run.row is not None
        earlier = self.rows.get(book_id)
        updated_at = run.updated_at
        if earlier is not None:
            exists = earlier[2]  # what the library holds until the flush
            updated_at = updated_at if updated_at is not None else earlier[1]
        self.rows[book_id] = (run.row, updated_at, exists)
        queued = self.queue.setdefault(book_id, {})
        when = run.queued_at if run.queued_at is not None else time.time()
        for kind in run.kinds:
            queued.setdefault(kind, when)

    def flush(self) -> None:
        rows.write_reading_rows(self.rows)
        outbox.note_changes_at(self.queue)
        self.rows, self.queue = {}, {}


def _aliases_of(documents: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for document, book_id, kind in database.execute_sql(
        "SELECT document, book_id, kind FROM document_alias"
        f" WHERE {in_list('document', documents)}",
        tuple(documents),
    ):
        found.setdefault(document, []).append((book_id, kind))
    return found


# The newest event of each document of a JSON list: one seek into the (document, id) index per
# document. (`MAX(id) ... GROUP BY document` reads every event of each document instead: a push
# then cost more the longer its book had been read, and a server kept running slowed down.)
_NEWEST_EVENT_BOOKS = (
    "SELECT document, book_id FROM progress_event WHERE id IN (SELECT (SELECT MAX(id)"
    " FROM progress_event WHERE document = pushed.value) FROM json_each(?) AS pushed)"
)


def _newest_event_books(documents: Sequence[str]) -> dict[str, int | None]:
    """document -> book of its newest event, for the documents pushed before."""
    return dict(
        database.execute_sql(_NEWEST_EVENT_BOOKS, (json.dumps(list(documents)),)).fetchall()
    )


def _insert_events(waiting: list[tuple[Push, int | None, int]]) -> None:
    if not waiting:
        return
    rows.insert_events([event_values(*entry) for entry in waiting])
    waiting.clear()
