"""What a run of KOReader positions does to one book's reading row, without touching the library.

`run_events` puts (percentage, progress, timestamp) events, oldest first, through the reading
rules (each on the local date of its timestamp) and says what to write: the new reading row (or
nothing, when the row exists and neither the state nor the KOReader position moved), its
`updated_at` and the kinds of change that queue the book for Hardcover. `pushes.apply_events`
writes that at once; a batch of pushes (`batched_pushes.py`) gathers the writes of many books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bookorbit_desktop.library.reading import rules as reading
from bookorbit_desktop.library.reading.rows import ReadingRow
from bookorbit_desktop.library.reading.sources import SYNC
from bookorbit_desktop.library.store import outbox


@dataclass(frozen=True)
class EventRun:
    changes: tuple[reading.Change, ...]
    changed: bool  # the reading state (status, progress, dates) moved
    row: ReadingRow | None  # the row to write; None: nothing to write
    updated_at: float | None  # None: keep the stored one
    kinds: tuple[str, ...]  # why the book goes to the Hardcover outbox (may be empty)
    queued_at: float | None  # when (None: now)


def run_events(
    stored: ReadingRow | None,
    events: list[tuple[float, str, int]],
    threshold: float,
    *,
    newest_known: int = 0,
) -> EventRun:
    """The outcome of `events` on a book whose reading row is `stored` (None: it has none).
    Events older than `newest_known` are stale: they may start or finish the book on their own
    dates but do not move its progress back."""
    before = reading.snapshot_of(stored)
    state = before
    changes: list[reading.Change] = []
    last_progress: str | None = None
    last_time = newest_known
    for percentage, progress, timestamp in events:
        stale = timestamp < newest_known
        outcome = reading.apply_push(
            state, percentage, date.fromtimestamp(timestamp), threshold, stale=stale
        )
        state = outcome.state
        changes.extend(outcome.changes)
        if not stale:
            last_progress, last_time = progress, max(last_time, timestamp)
    changed = state != before
    kept_progress = stored.koreader_progress if stored is not None else None
    if stored is not None and not changed and last_progress in (None, kept_progress):
        return EventRun(tuple(changes), False, None, None, (), None)
    row = ReadingRow(
        status=state.status,
        progress=state.progress,
        koreader_progress=last_progress if last_progress is not None else kept_progress,
        started=state.started.isoformat() if state.started else None,
        finished=state.finished.isoformat() if state.finished else None,
        # A date a push set is the day it arrived ("date of sync"), not of the reading.
        started_source=_source(state.started, before.started, stored, "started_source"),
        finished_source=_source(state.finished, before.finished, stored, "finished_source"),
    )
    kinds = [outbox.PROGRESS] if state.progress != before.progress else []
    if (state.status, state.started, state.finished) != (
        before.status,
        before.started,
        before.finished,
    ):
        kinds.append(outbox.STATUS)
    return EventRun(
        tuple(changes),
        changed,
        row,
        float(last_time) if changed or stored is None else None,
        tuple(kinds),
        float(last_time) if last_time else None,
    )


def _source(
    now: date | None, before: date | None, stored: ReadingRow | None, name: str
) -> str | None:
    if now is None:
        return None
    kept: str | None = getattr(stored, name) if stored is not None else None
    return kept if now == before else SYNC
