"""Which books a sync pass works on, read from the library before anything is sent.

`plan_pass` runs in a worker thread (`library.store.off_loop`): for a big library it reads
thousands of rows, which must not freeze the window's event loop.

What goes out by itself (the background worker) is narrower than what Sync Now sends: only
queued changes whose wait is over, of books the one table of sync states (`waiting`) lets go by
themselves: never a book the user held back (a Cancel), and none of the new ones while more than
`waiting.MAX_NEW_BY_ITSELF` wait: they wait for the user's review, so a big first publication is
always the user's decision. The same count (`awaiting_review`) is what the window says waits for
review and what makes Sync Now's dry run show the review before anything goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.hardcover.pull import store as pull_store
from bookorbit_desktop.hardcover.sync import approvals, counts, store
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.settings import DELAYS, SyncSettings
from bookorbit_desktop.library.store import outbox


def due_books(settings: SyncSettings, now: float) -> list[int]:
    """Queued changes of linked books whose wait is over, for a kind of change that pushes by
    itself (a change of a book that is not linked waits without waking anything)."""
    triggers = settings.triggers()
    syncable = store.syncable_book_ids()
    due = []
    for queued in outbox.queued():
        if queued.book_id not in syncable or queued.blocked or queued.held:
            continue
        if queued.retry_at is not None and queued.retry_at > now:
            continue
        if any(k in triggers and t + DELAYS.get(k, 30.0) <= now for k, t in queued.kinds.items()):
            due.append(queued.book_id)
    return due


@dataclass(frozen=True)
class PassPlan:
    work: list[Candidate]  # the Hardcover entries to push
    queued: dict[int, outbox.QueuedBook]  # the copies' outbox rows, by book id
    settled: list[tuple[int, str, str | None]]  # (book id, title, permanent error) left as is
    # New entries beyond what goes by itself: the worker leaves them, a dry run reviews them.
    awaiting_review: int = 0
    conflicted: frozenset[int] = frozenset()  # books with a field in conflict with hardcover.app


def awaiting_review() -> int:
    """New books the worker leaves for the user's review (0 when it may send them)."""
    return counts.current().to_review


def plan_pass(
    settings: SyncSettings,
    now: float,
    wanted_ids: list[int] | None,
    options: Any,
    due_only: bool,
    dry_run: bool,
    accept_history_dates: bool = False,
) -> PassPlan:
    """The entries to push, their copies' outbox rows, and the entries settled without a push.

    Asked-for books (`wanted_ids`) are all worked on, even a blocked one; otherwise an entry is
    worked on when a copy is queued or its state differs from what Hardcover last confirmed.
    With `accept_history_dates`, the history's proposed dates are approved first
    (`approvals.accept`). With `due_only` (the worker), only entries with a copy that is due
    and may go out by itself (`counts.by_itself`), and nothing is reported for the others.
    """
    explicit = wanted_ids is not None
    if due_only:
        wanted_ids = counts.by_itself(due_books(settings, now))
        if not wanted_ids:
            return PassPlan([], {}, [])
    if accept_history_dates and not dry_run and not due_only:
        approvals.accept(None, wanted_ids)  # the user said yes to every one (the CLI's flag)
    # A pass the user started also lists the reading history's dates that wait for a yes.
    candidates = store.candidates(wanted_ids, proposals=not due_only)
    ids = [b for c in candidates for b in c.book_ids]
    queued = {q.book_id: q for q in outbox.queued(ids)}
    work: list[Candidate] = []
    settled: list[tuple[int, str, str | None]] = []
    for candidate in candidates:
        entries = [queued[b] for b in candidate.book_ids if b in queued]
        blocked = next((e.blocked for e in entries if e.blocked), None) if not explicit else None
        blocked = candidate.held_back or blocked
        shown = candidate.proposals  # dates waiting for a yes are shown beside Hardcover's
        if blocked is None and (
            explicit or entries or shown or store.is_pending(candidate, options)
        ):
            work.append(candidate)
        elif not due_only:
            settled.append((candidate.local.book_id, candidate.title, blocked))
    awaiting = awaiting_review() if due_only or dry_run else 0
    if not dry_run and not due_only:
        store.forget_unsyncable()
    conflicted = frozenset(c.book_id for c in pull_store.conflicts())
    return PassPlan(work, queued, settled, awaiting, conflicted)
