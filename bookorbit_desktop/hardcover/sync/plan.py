"""Which books a sync pass works on, read from the library before anything is sent.

`plan_pass` runs in a worker thread (`library.store.off_loop`): for a big library it reads
thousands of rows, which must not freeze the window's event loop.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.settings import DELAYS, SyncSettings
from bookorbit_desktop.library.store import outbox


def due_books(settings: SyncSettings, now: float) -> list[int]:
    """Queued books whose wait is over for a kind of change that pushes by itself."""
    triggers = settings.triggers()
    due = []
    for queued in outbox.queued():
        if queued.blocked or (queued.retry_at is not None and queued.retry_at > now):
            continue
        if any(k in triggers and t + DELAYS.get(k, 30.0) <= now for k, t in queued.kinds.items()):
            due.append(queued.book_id)
    return due


def plan_pass(
    settings: SyncSettings,
    now: float,
    wanted_ids: list[int] | None,
    options: Any,
    due_only: bool,
    dry_run: bool,
) -> tuple[list[store.Candidate], dict[int, outbox.QueuedBook], list[tuple[int, str, str | None]]]:
    """(the books to push, their outbox entries, the books settled without a push: book id,
    title and, for a book blocked by an earlier permanent error, that error).

    Asked-for books (`wanted_ids`) are all worked on, even a blocked one; otherwise a book is
    worked on when it is queued or its state differs from what Hardcover last confirmed. With
    `due_only`, only the queued books that are due, and nothing is reported for the others.
    """
    explicit = wanted_ids is not None
    if due_only:
        wanted_ids = due_books(settings, now)
    candidates = store.candidates(wanted_ids)
    queued = {q.book_id: q for q in outbox.queued(c.local.book_id for c in candidates)}
    work: list[store.Candidate] = []
    settled: list[tuple[int, str, str | None]] = []
    for candidate in candidates:
        entry = queued.get(candidate.local.book_id)
        blocked = entry is not None and bool(entry.blocked) and not explicit
        if not blocked and (explicit or entry is not None or store.is_pending(candidate, options)):
            work.append(candidate)
        elif not due_only:
            error = entry.blocked if blocked and entry is not None else None
            settled.append((candidate.local.book_id, candidate.title, error))
    if not dry_run and not due_only:
        store.forget_unsyncable()
    return work, queued, settled
