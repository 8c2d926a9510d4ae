"""Syncing reading state to Hardcover as the window, the tray and the command line see it.

`sync` is the full pass ("Sync Now", `hardcover sync`): match what is not matched yet, then
push every book whose state differs from what Hardcover last confirmed. `push_due` is what the
background worker runs: match books that became active, then push queued changes whose wait is
over. Both go through one coordinator: in this process one pass runs at a time and the user's
pass takes over from the worker's between two books; between processes the library's sync
lease decides, and a user's pass waits for another process's pass to end instead of failing.
An idle worker sends nothing: it looks at the library, and opens Hardcover only when a linked
book has a change that is due or an active book was never looked up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    NetworkError,
    RateLimitedError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.journal import send as journal_send
from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.matching.matcher import Matcher, MatchProgress
from bookorbit_desktop.hardcover.matching.store import LINKED, NEEDS_REVIEW, NO_MATCH
from bookorbit_desktop.hardcover.sync import (
    approvals,
    counts,
    declined,
    lease,
    ledger,
    results,
    store,
)
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import DAILY_RESERVE, SyncEngine
from bookorbit_desktop.hardcover.sync.plan import due_books
from bookorbit_desktop.hardcover.sync.preview import MAX_STEPS
from bookorbit_desktop.hardcover.sync.results import (
    CANCELLED,
    BookResult,
    PassResult,
    ProposedDate,
    SyncProgress,
    cancelled_line,
    counted_outcomes,
    outcome_counts,
    outcome_label,
)
from bookorbit_desktop.hardcover.sync.waiting import Waits, waits_parts
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, HardcoverMatch, ReadingState
from bookorbit_desktop.library.store.settings import get_private, set_setting
from bookorbit_desktop.library.store.typed import tuples
from bookorbit_desktop.services.hardcover.account import LAST_SYNC_KEY, PAUSED_KEY, HardcoverAccount
from bookorbit_desktop.services.hardcover.reports import SyncReport, SyncStatus
from bookorbit_desktop.services.hardcover.sync_gate import GATE, HOLDER, PassGate

_PASS_STOPPERS = (AuthError, RateLimitedError, NetworkError, UnavailableError)
# What the window takes from the sync's core through this module (it imports no `hardcover`).
__all__ = [
    "CANCELLED",
    "BookResult",
    "MatchProgress",
    "ProposedDate",
    "SyncProgress",
    "Waits",
    "cancelled_line",
    "counted_outcomes",
    "outcome_counts",
    "outcome_label",
    "waits_parts",
]
FIRST_SYNC_KEY = "hardcover.first_sync"  # when the user first synced by hand
LEASE_WAIT_SECONDS = 600.0  # a user's pass waits this long for another process's pass
LEASE_POLL_SECONDS = 1.0


def _unlinked_results(book_ids: Iterable[int] | None) -> list[BookResult]:
    """Books worth syncing that have no link: waiting for the user's decision or no match."""
    query = (
        Book.select(Book.id, Book.title, HardcoverMatch.state)
        .join(ReadingState, on=(ReadingState.book == Book.id))
        .switch(Book)
        .join(HardcoverMatch, on=(HardcoverMatch.book == Book.id))
        .where(
            (ReadingState.status != "unread") & (HardcoverMatch.state.in_([NEEDS_REVIEW, NO_MATCH]))
        )
        .order_by(Book.id)
    )
    if book_ids is not None:
        query = query.where(Book.id.in_(list(book_ids)))
    return [
        BookResult(
            book_id, title, results.NEEDS_REVIEW if state == NEEDS_REVIEW else results.NOT_MATCHED
        )
        for book_id, title, state in tuples(query)
    ]


def _counting(
    progress: Callable[[SyncProgress], None] | None, unlinked: list[BookResult]
) -> Callable[[SyncProgress], None] | None:
    """`progress` with the books matching left waiting in its counts, so the counts the
    dialog shows as the pass goes are the ones its report ends with."""
    if progress is None or not unlinked:
        return progress
    waiting = outcome_counts(unlinked)

    def counted(item: SyncProgress) -> None:
        counts = {k: item.counts.get(k, 0) + waiting.get(k, 0) for k in {*item.counts, *waiting}}
        progress(replace(item, counts=counts))

    return counted


def journal_due(now: float) -> bool:
    """Highlights of opted-in books wait for Hardcover's reading journal, and the user has
    reviewed a first batch (until then nothing goes to the journal by itself); entries that
    failed count only once their wait is over."""
    if not journal_store.anything_sent():
        return False
    current = journal_send.preview(now)
    return bool(current.inserts or current.updates or current.unconfirmed)


def approve_dates(chosen: Iterable[ProposedDate]) -> int:
    """The user's yes in the window to dates from the reading history: they become the books'
    own dates (`approvals.accept`, the rule every front door shares); how many were taken."""
    return len(approvals.accept({date.proposal for date in chosen}))


class SyncService:
    def __init__(
        self,
        account: HardcoverAccount | None = None,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Any] = asyncio.sleep,
        gate: PassGate = GATE,
        holder: str = HOLDER,
    ) -> None:
        self.account = account or HardcoverAccount(clock=clock)
        self._clock = clock
        self._sleep = sleep
        self.gate = gate
        self.holder = holder
        self._user: HardcoverUser | None = None  # read once per run, again after a 401

    async def _me(self, client: Any) -> HardcoverUser:
        if self._user is None:
            self._user = await client.me()
        return self._user

    # -- passes -------------------------------------------------------------------------

    async def sync(
        self,
        book_ids: Iterable[int] | None = None,
        *,
        dry_run: bool = False,
        allow_rewind: bool = False,
        match: bool = True,
        progress: Callable[[SyncProgress], None] | None = None,
        match_progress: Callable[[MatchProgress], None] | None = None,
        cancel: asyncio.Event | None = None,
        waiting: Callable[[str], None] | None = None,
        accept_history_dates: bool = False,
    ) -> SyncReport:
        """Match, then push every changed book, now, without waiting for the delays.

        A dry run matches too (that writes only the library's own links) and sends nothing,
        so it lists exactly what the real pass would send. A pass of this process's worker
        gives way to this one; a pass of another process is waited for (`waiting` says so).
        `accept_history_dates` is the user's yes to every date the reading history proposes.
        """
        ids = None if book_ids is None else list(book_ids)
        await self.gate.enter_user()
        try:
            if not dry_run:
                stopped = await self._take_lease(waiting)
                if stopped is not None:
                    return SyncReport([], stopped, 0, dry_run=dry_run)
            try:
                return await self._user_pass(
                    ids,
                    dry_run,
                    allow_rewind,
                    match,
                    progress,
                    match_progress,
                    cancel,
                    accept_history_dates,
                )
            finally:
                if not dry_run:
                    lease.release(self.holder)
        finally:
            self.gate.leave()

    async def _user_pass(
        self,
        ids: list[int] | None,
        dry_run: bool,
        allow_rewind: bool,
        match: bool,
        progress: Callable[[SyncProgress], None] | None,
        match_progress: Callable[[MatchProgress], None] | None,
        cancel: asyncio.Event | None,
        accept_history_dates: bool = False,
    ) -> SyncReport:
        try:
            async with self.account.open_client() as client:
                before = client.requests_sent
                user = await self._me(client)
                if match:
                    await Matcher(client, clock=self._clock).run(ids, progress=match_progress)
                if not dry_run:
                    set_setting(FIRST_SYNC_KEY, self._clock())  # the user has pushed by hand
                    outbox.release_held(ids)  # the user syncs again: a Cancel is over
                unlinked = _unlinked_results(ids)  # known once matched: counted from the start
                engine = SyncEngine(client, user, sync_settings.load(), clock=self._clock)
                result: PassResult = await engine.run(
                    ids,
                    dry_run=dry_run,
                    allow_rewind=allow_rewind,
                    progress=_counting(progress, unlinked),
                    cancel=cancel,
                    lease_holder=None if dry_run else self.holder,
                    accept_history_dates=accept_history_dates,
                )
                requests = client.requests_sent - before
        except _PASS_STOPPERS as error:
            # The token was refused, Hardcover is out of reach or asked to wait: nothing was
            # lost, every change is still pending.
            if isinstance(error, AuthError):
                self._user = None
            return SyncReport([], f"{error.title}. {error.message}", 0, dry_run=dry_run)
        if not dry_run and result.stopped is None:
            set_setting(LAST_SYNC_KEY, self._clock())
        books = sorted([*result.books, *unlinked], key=lambda b: b.book_id)
        return SyncReport(
            books,
            result.stopped,
            requests,
            awaiting_review=result.awaiting_review,
            dry_run=dry_run,
        )

    async def _take_lease(self, waiting: Callable[[str], None] | None) -> str | None:
        """Wait while another process pushes to this library; None once the lease is ours."""
        waited = 0.0
        while not lease.acquire(self.holder, now=self._clock()):
            if waited >= LEASE_WAIT_SECONDS:
                return (
                    f"{lease.describe(lease.holder_now(now=self._clock()))} has been syncing this"
                    f" library for over {LEASE_WAIT_SECONDS / 60:.0f} minutes; try again later"
                )
            if waited == 0.0 and waiting is not None:
                who = lease.describe(lease.holder_now(now=self._clock()))
                waiting(f"Waiting for the sync running in {who} to finish…")
            await self._sleep(LEASE_POLL_SECONDS)
            waited += LEASE_POLL_SECONDS
        return None

    def _may_push_by_itself(self) -> bool:
        """Sync is on, not paused, and the user has synced by hand once.

        Nothing goes out by itself before the user's first sync by hand ("Sync Now",
        `hardcover sync`): the first time a library reaches the profile is the user's choice.
        """
        status = sync_settings.load()
        paused = get_private(PAUSED_KEY) is not None and not self.account.has_supplied_token()
        return status.enabled and not paused and get_private(FIRST_SYNC_KEY) is not None

    def due(self) -> list[int]:
        """Queued changes whose wait is over of the books that may go out by themselves
        (`counts.by_itself`: never a held book or one waiting for review), when sync may push
        by itself."""
        if not self._may_push_by_itself():
            return []
        return counts.by_itself(due_books(sync_settings.load(), self._clock()))

    # -- the user's word ------------------------------------------------------------------

    def decline(self, book_ids: Iterable[int]) -> int:
        """The user cancelled a review that showed these books: hold them (`declined`)."""
        return declined.hold_shown(book_ids, now=self._clock())

    def discard_held(self, book_ids: Iterable[int] | None = None) -> declined.Discarded:
        """Discard what a Cancel held (None: every held book): see `declined.discard`."""
        return declined.discard(book_ids, now=self._clock())

    def held(self) -> list[int]:
        """The books a Cancel holds."""
        return outbox.held_books()

    async def push_due(self) -> PassResult | None:
        """The background worker's pass: match books that became active, then push the queued
        changes that are due. None when there was nothing to do (nothing was sent or read),
        when another pass runs, or when today's allowance is down to its reserve."""
        if not self._may_push_by_itself():
            return None
        to_match = store.awaiting_match()
        journal = journal_due(self._clock())
        if not to_match and not journal and not self.due():
            return None
        if not self.gate.try_worker():
            return None
        try:
            if not lease.acquire(self.holder, now=self._clock()):
                return None
            try:
                return await self._worker_pass(to_match, journal)
            finally:
                lease.release(self.holder)
        finally:
            self.gate.leave()

    async def _worker_pass(self, to_match: list[int], journal: bool) -> PassResult | None:
        async with self.account.open_client() as client:
            if client.budget().daily_remaining < DAILY_RESERVE + MAX_STEPS:
                return None  # checked before anything is read: the reserve is for the user
            try:
                user = await self._me(client)
            except AuthError:
                self._user = None
                raise
            review = 0
            if to_match:
                report = await Matcher(client, clock=self._clock).run(to_match)
                review = sum(1 for r in report.results if r.outcome == NEEDS_REVIEW)
            engine = SyncEngine(client, user, sync_settings.load(), clock=self._clock)
            result = await engine.run(
                due_only=True, lease_holder=self.holder, yield_to=self.gate.user_waiting
            )
            if journal and result.stopped is None:  # the reading first, then the journal
                sent = await journal_send.send_highlights(
                    client, user_id=user.id, clock=self._clock, lease_holder=self.holder
                )
                result.journal_sent = sent.inserted + sent.updated
        result.needs_review = review
        if result.books and result.stopped is None:
            set_setting(LAST_SYNC_KEY, self._clock())
        return result

    # -- state --------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        current = sync_settings.load()
        paused = get_private(PAUSED_KEY)
        queued = outbox.queued()
        states: dict[str, int] = {}
        for state, _reason in ledger.book_states().values():
            states[state] = states.get(state, 0) + 1
        linked = HardcoverMatch.select().where(HardcoverMatch.state == LINKED).count()
        states["linked"] = linked
        waits = counts.current()
        return SyncStatus(
            enabled=current.enabled,
            paused_reason=paused.get("reason") if isinstance(paused, dict) else None,
            pending=waits.to_push,
            waiting=waits.to_json(),
            queued=len(queued),
            blocked=sum(1 for q in queued if q.blocked),
            last_sync=get_private(LAST_SYNC_KEY),
            states=states,
            settings=current.to_json(),
            busy=lease.holder_now(now=self._clock()) not in (None, self.holder),
            first_sync_done=get_private(FIRST_SYNC_KEY) is not None,
        )

    def log(self, *, limit: int = 50, book_id: int | None = None) -> list[dict[str, Any]]:
        return ledger.log_entries(limit=limit, book_id=book_id)

    def settings(self) -> sync_settings.SyncSettings:
        return sync_settings.load()

    def save_settings(self, **changes: Any) -> sync_settings.SyncSettings:
        return sync_settings.save(**changes)
