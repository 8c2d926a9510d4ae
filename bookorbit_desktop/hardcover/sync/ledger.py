"""The sync's record as the user reads it: the log of what was sent, each book's last state,
and what an entry holds on Hardcover before the user removes it."""

from __future__ import annotations

import time
from typing import Any

from bookorbit_desktop.hardcover.sync.model import STATUS_NAMES
from bookorbit_desktop.library.store.models import HardcoverSync, SyncLog


def entry_contents(book_id: int) -> str | None:
    """What removing the book's Hardcover entry would take with it, as Hardcover last
    confirmed it: "status Read, rating 4.5★, the read 2025-01-02 – 2025-02-03"."""
    row = HardcoverSync.get_or_none(HardcoverSync.book == book_id)
    confirmed = dict((row.snapshot or {}).get("confirmed") or {}) if row is not None else {}
    if not confirmed:
        return None
    parts = [f"status {STATUS_NAMES.get(confirmed.get('status_id') or 0, 'unknown')}"]
    if confirmed.get("rating") is not None:
        parts.append(f"rating {confirmed['rating']:g}★")
    started, finished = confirmed.get("started"), confirmed.get("finished")
    if started or finished:
        parts.append(f"the read {started or 'start unknown'} – {finished or 'not finished'}")
    elif confirmed.get("pages"):
        parts.append(f"progress p. {confirmed['pages']}")
    return ", ".join(parts)


def add_log(
    book_id: int | None,
    title: str | None,
    outcome: str,
    actions: list[dict[str, Any]],
    error: str | None,
    *,
    now: float | None = None,
) -> None:
    SyncLog.insert(
        at=time.time() if now is None else now,
        book=book_id,
        title=title,
        outcome=outcome,
        actions=actions,
        error=error,
    ).execute()


def log_entries(*, limit: int = 50, book_id: int | None = None) -> list[dict[str, Any]]:
    """The newest log lines first."""
    query = SyncLog.select().order_by(SyncLog.id.desc()).limit(max(1, limit))
    if book_id is not None:
        query = query.where(SyncLog.book == book_id)
    return [
        {
            "at": row.at,
            "book_id": row.book_id,
            "title": row.title,
            "outcome": row.outcome,
            "actions": row.actions or [],
            "error": row.error,
        }
        for row in query
    ]


def book_states() -> dict[int, tuple[str, str | None]]:
    """Each synced book's state and reason."""
    return {row.book_id: (row.state, row.reason) for row in HardcoverSync.select()}
