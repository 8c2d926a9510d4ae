"""Sending highlights to Hardcover's reading journal through the shared client.

`send_highlights` runs one pass: entries whose insert answer was lost are confirmed by reading
the journal back first (adopting the entry Hardcover already has, so nothing is sent twice),
then new entries are inserted and edited ones updated. Nothing is ever deleted. The first pass
that would send anything refuses unless the user reviewed it (`ReviewNeededError` carries what
would be sent). The client's rate budget is the sync's own: pass the same client.

Only the holder of the sync lease sends (the worker of the window or `serve`, or the user's
`journal send`): two senders would both see a quote as new and add it twice. An insert whose
outcome is unknown (a 5xx, a timeout, a dropped connection) is never repeated blind: it is
looked for once its wait is over. An answer that says nothing was stored (a refusal, 400, 403,
401, 429) puts the entry back in the queue with its reason. Every failure, and a read-back that
fails (a token without `read:journal` gets 403), waits longer than the one before
(`plan.retry_delay`); a 429 waits as long as Hardcover asked and stops the pass, a 401 stops it
too (the token is the problem). A pass the user asked for tries at once.
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
    AuthError,
    BadResponseError,
    GraphQLResponseError,
    MutationError,
    NetworkError,
    RateLimitedError,
    RequestRejectedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.journal import store
from bookorbit_desktop.hardcover.journal.backlog import NO_ANSWER, SLOW_DOWN, TOKEN, backlog
from bookorbit_desktop.hardcover.journal.plan import JournalPlan, Sent, Wanted, journal_object, plan
from bookorbit_desktop.hardcover.sync import lease

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


ADD = "add"
UPDATE = "update"


@dataclass(frozen=True)
class Failure:
    """One entry this pass could not add or update, and why."""

    entry: Wanted
    action: str  # ADD or UPDATE
    reason: str  # Hardcover's reason when `refused`, else why there is no answer
    refused: bool  # Hardcover answered and refused it


@dataclass
class JournalReport:
    inserted: int = 0
    updated: int = 0
    adopted: int = 0  # lost answers found in the journal: not sent again
    unchanged: int = 0
    waiting: int = 0  # lost answers that could not be checked (no read:journal, or offline)
    held: int = 0  # failed before and waiting for their next attempt
    failed: list[Failure] = field(default_factory=list)
    read_denied: bool = False  # the token may not read the journal back (read:journal)
    lease_lost: bool = False  # another process took over sending: the rest goes later
    slow_down_until: float | None = None  # Hardcover's 429 stopped the pass until then
    left: int = 0  # entries still not in the journal as they should be, after the pass


def preview(now: float | None = None) -> JournalPlan:
    """What a pass would do at `now` (no request is made); None: ignoring the waits."""
    return plan(store.wanted(), store.sent_map(), now)


class RefusedError(Exception):
    """Hardcover answered and refused the change (it was not applied)."""


# Answers that say Hardcover applied nothing; anything else (a 5xx, no answer, an answer that
# cannot be read) may follow a stored change.
_REFUSALS = (RefusedError, RequestRejectedError, ScopeError, GraphQLResponseError, MutationError)
_NO_ANSWER = (NetworkError, UnavailableError, BadResponseError)


def _reason(error: Exception) -> str:
    """Hardcover's reason for a refusal, in its own words where it gave any."""
    if isinstance(error, ScopeError):
        return f"the token lacks the {error.scope or 'needed'} permission"
    if isinstance(error, GraphQLResponseError):
        return "; ".join(str(e.get("message", e)) for e in error.errors)
    if isinstance(error, RequestRejectedError | MutationError):
        return error.detail or error.message
    return str(error)


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
    for index, (sent, entry) in enumerate(lost):
        try:
            rows = await _existing(client, user_id, entry.hc_book_id, entry.kind)
        except RateLimitedError as error:
            for _, rest in lost[index:]:  # still unknown: looked for once Hardcover allows
                store.mark_failed(rest, now(), until=now() + error.retry_after)
            raise
        except ScopeError:
            # One 403 says it for every entry: no more read-backs this pass.
            log.info("Journal: the token may not read the journal back; %d wait", len(lost))
            report.read_denied = True
            for _, rest in lost[index:]:
                store.mark_failed(rest, now())
            report.waiting += len(lost) - index
            return missing
        except (NetworkError, UnavailableError) as error:
            log.info("Journal entry for highlight %s not confirmed: %s", entry.highlight_id, error)
            store.mark_failed(entry, now())
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
        # An insert is never sent twice (a 503 can follow a stored one): look first, next pass.
        data = await client.execute(
            "InsertReadingJournal", {"object": journal_object(entry, privacy)}
        )
        journal_id = _journal_id(data.get("insert_reading_journal"))
    except RateLimitedError as error:  # nothing stored; the pass stops
        store.mark_waiting(entry, now, SLOW_DOWN, until=now + error.retry_after)
        raise
    except AuthError:  # nothing stored; the pass stops
        store.mark_waiting(entry, now, TOKEN)
        raise
    except _REFUSALS as error:
        store.mark_refused(entry, _reason(error), now)
        report.failed.append(Failure(entry, ADD, _reason(error), refused=True))
        return
    except _NO_ANSWER:
        store.mark_failed(entry, now)  # it may have arrived: read back once the wait is over
        report.waiting += 1
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
    except RateLimitedError as error:
        store.mark_failed(entry, now, refused=SLOW_DOWN, until=now + error.retry_after)
        raise
    except AuthError:
        store.mark_failed(entry, now, refused=TOKEN)
        raise
    except _REFUSALS as error:
        store.mark_failed(entry, now, refused=_reason(error))
        report.failed.append(Failure(entry, UPDATE, _reason(error), refused=True))
        return
    except _NO_ANSWER:
        store.mark_failed(entry, now)  # the same text again is harmless: it goes after a wait
        report.failed.append(Failure(entry, UPDATE, NO_ANSWER, refused=False))
        return
    store.mark_sent(entry, journal_id, now)
    report.updated += 1


async def send_highlights(
    client: HardcoverClient,
    *,
    user_id: int,
    reviewed: bool = False,
    clock: Callable[[], float] = time.time,
    user_asked: bool = False,
    lease_holder: str | None = None,
) -> JournalReport:
    """One pass over the opted-in books' highlights (see the module docstring).

    The caller holds the sync lease as `lease_holder`; it is renewed before each write, and
    the pass stops if another process took it over. `user_asked` tries failed entries at once.
    """
    current = preview(None if user_asked else clock())
    if not reviewed and not store.anything_sent() and (current.inserts or current.updates):
        raise ReviewNeededError(current)
    report = JournalReport(unchanged=current.unchanged, held=current.held)
    privacy = store.privacy()

    def still_ours() -> bool:
        if lease_holder is None or lease.acquire(lease_holder, now=clock()):
            return True
        report.lease_lost = True
        return False

    try:
        await _pass(client, user_id, current, privacy, report, clock, still_ours)
    except RateLimitedError as error:
        log.info("Journal pass stopped by the rate limit; the rest goes next time")
        report.slow_down_until = clock() + error.retry_after
    report.left = len(backlog(store.wanted(), store.sent_map()))
    return report


async def _pass(
    client: HardcoverClient,
    user_id: int,
    current: JournalPlan,
    privacy: int,
    report: JournalReport,
    clock: Callable[[], float],
    still_ours: Callable[[], bool],
) -> None:
    inserts = current.inserts + await _confirm(client, user_id, current.unconfirmed, report, clock)
    for entry in inserts:
        if not still_ours():
            return
        await _insert(client, entry, privacy, report, clock())
    for journal_id, entry in current.updates:
        if not still_ours():
            return
        await _update(client, journal_id, entry, report, clock())
