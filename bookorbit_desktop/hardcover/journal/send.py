"""Sending highlights to Hardcover's reading journal through the shared client.

`send_highlights` runs one pass: entries whose insert answer was lost are confirmed by reading
the journal back first (adopting the entry Hardcover already has, so nothing is sent twice),
then new entries are inserted and edited ones updated. Nothing is ever deleted. The first pass
that would send anything refuses unless the user reviewed it (`ReviewNeededError` carries what
would be sent). The client's rate budget is the sync's own: pass the same client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import (
    NetworkError,
    RateLimitedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.journal import store
from bookorbit_desktop.hardcover.journal.plan import JournalPlan, Sent, Wanted, journal_object, plan

log = logging.getLogger(__name__)


class ReviewNeededError(BookOrbitError):
    title = "Review the highlights first"

    def __init__(self, preview: JournalPlan) -> None:
        count = len(preview.inserts) + len(preview.updates)
        super().__init__(
            f"{count} journal entries would go to Hardcover for the first time. Look at what "
            "would be sent, then confirm the send."
        )
        self.preview = preview


@dataclass
class JournalReport:
    inserted: int = 0
    updated: int = 0
    adopted: int = 0  # lost answers found in the journal: not sent again
    unchanged: int = 0
    waiting: int = 0  # lost answers that could not be checked (no read:journal, or offline)
    failed: list[str] = field(default_factory=list)


def preview() -> JournalPlan:
    """What a pass would do now (no request is made)."""
    return plan(store.wanted(), store.sent_map())


class RefusedError(Exception):
    """Hardcover answered and refused the change (it was not applied)."""


def _journal_id(result: Any) -> int:
    if not isinstance(result, dict) or result.get("errors") or not result.get("id"):
        errors = result.get("errors") if isinstance(result, dict) else None
        raise RefusedError("; ".join(map(str, errors or ["no id in the answer"])))
    return int(result["id"])


async def _existing(
    client: HardcoverClient, user_id: int, book_id: int, event: str
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while True:
        variables = {"userId": user_id, "bookId": book_id, "event": event, "offset": len(rows)}
        page = (await client.execute("ReadingJournalsByBook", variables)).get("reading_journals")
        rows += page or []
        if not page or len(page) < 100:
            return rows


async def _confirm(
    client: HardcoverClient,
    user_id: int,
    lost: list[tuple[Sent, Wanted]],
    report: JournalReport,
    now: Callable[[], float],
) -> list[Wanted]:
    """Adopt the entries Hardcover already has; return the ones it never got."""
    missing: list[Wanted] = []
    taken = store.known_journal_ids()
    for sent, entry in lost:
        try:
            rows = await _existing(client, user_id, entry.hc_book_id, entry.kind)
        except (ScopeError, NetworkError, UnavailableError) as error:
            log.info("Journal entry for highlight %s not confirmed: %s", entry.highlight_id, error)
            report.waiting += 1
            continue
        found = next(
            (r for r in rows if r.get("entry") == sent.text and int(r["id"]) not in taken), None
        )
        if found is None:
            store.forget(entry)
            missing.append(entry)
            continue
        store.mark_sent(Wanted(**{**entry.__dict__, "text": sent.text}), int(found["id"]), now())
        taken.add(int(found["id"]))
        report.adopted += 1
    return missing


async def _insert(
    client: HardcoverClient, entry: Wanted, privacy: int, report: JournalReport, now: float
) -> None:
    store.mark_sending(entry, now)  # committed before the request leaves
    try:
        data = await client.execute(
            "InsertReadingJournal", {"object": journal_object(entry, privacy)}
        )
        journal_id = _journal_id(data.get("insert_reading_journal"))
    except RefusedError as error:
        store.forget(entry)
        report.failed.append(f"highlight {entry.highlight_id} ({entry.kind}): {error}")
        return
    except (NetworkError, UnavailableError):
        report.waiting += 1  # it may have arrived: confirmed by reading back next time
        return
    store.mark_sent(entry, journal_id, now)
    report.inserted += 1


async def _update(
    client: HardcoverClient, journal_id: int, entry: Wanted, report: JournalReport, now: float
) -> None:
    try:
        data = await client.execute(
            "UpdateReadingJournal", {"id": journal_id, "object": {"entry": entry.text}}
        )
        _journal_id(data.get("update_reading_journal"))
    except RefusedError as error:
        report.failed.append(f"journal entry {journal_id}: {error}")
        return
    store.mark_sent(entry, journal_id, now)
    report.updated += 1


async def send_highlights(
    client: HardcoverClient,
    *,
    user_id: int,
    reviewed: bool = False,
    clock: Callable[[], float] = time.time,
) -> JournalReport:
    """One pass over the opted-in books' highlights (see the module docstring)."""
    current = preview()
    if not reviewed and not store.anything_sent() and (current.inserts or current.updates):
        raise ReviewNeededError(current)
    report = JournalReport(unchanged=current.unchanged)
    privacy = store.privacy()
    try:
        inserts = current.inserts + await _confirm(
            client, user_id, current.unconfirmed, report, clock
        )
        for entry in inserts:
            await _insert(client, entry, privacy, report, clock())
        for journal_id, entry in current.updates:
            await _update(client, journal_id, entry, report, clock())
    except RateLimitedError:
        log.info("Journal pass stopped by the rate limit; the rest goes next time")
    return report
