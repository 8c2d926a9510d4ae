"""Syncing reading state to Hardcover as the window, the tray and the command line see it.

`sync` is the full pass ("Sync Now", `hardcover sync`): match what is not matched yet, then
push every book whose state differs from what Hardcover last confirmed. `push_due` is what the
background worker runs for queued changes whose wait is over. Both hold the library's sync lease
while they push, so the desktop app and `serve` never push at the same time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    NetworkError,
    RateLimitedError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.matching.matcher import Matcher, MatchProgress
from bookorbit_desktop.hardcover.matching.store import LINKED, NEEDS_REVIEW, NO_MATCH
from bookorbit_desktop.hardcover.sync import lease, store
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync.engine import (
    BookResult,
    PassResult,
    SyncEngine,
    SyncProgress,
)
from bookorbit_desktop.hardcover.sync.plan import due_books
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, HardcoverMatch, ReadingState
from bookorbit_desktop.library.store.settings import get_private, set_setting
from bookorbit_desktop.services.hardcover_account import LAST_SYNC_KEY, PAUSED_KEY, HardcoverAccount

NEEDS_REVIEW_OUTCOME, NOT_MATCHED_OUTCOME = "needs_review", "not_matched"
_PASS_STOPPERS = (AuthError, RateLimitedError, NetworkError, UnavailableError)
SUMMARY_WORDS = {
    "sent": "sent",
    "up_to_date": "up to date",
    "would_send": "would be sent",
    "failed": "failed",
    "skipped": "not reached",
    NEEDS_REVIEW_OUTCOME: "need review",
    NOT_MATCHED_OUTCOME: "without a match",
}
FIRST_SYNC_KEY = "hardcover.first_sync"  # when the user first synced by hand
BUSY = "Another BookOrbit process is syncing this library right now; try again in a moment."


@dataclass
class SyncReport(PassResult):
    """A pass as the window and the command line show it (unmatched books included)."""

    dry_run: bool = False

    @property
    def text(self) -> str:
        """One line for the window and the tray: what the pass did."""
        if self.stopped and not self.books:
            return f"Hardcover sync stopped: {self.stopped}"
        if not self.books:
            return "No books to sync: mark books as reading, read or want to read first."
        parts = [f"{n} {SUMMARY_WORDS.get(k, k)}" for k, n in sorted(self.counts.items()) if n]
        total = len(self.books)
        line = f"{total} {'book' if total == 1 else 'books'}: " + ", ".join(parts) + "."
        if self.stopped:
            line += f" Stopped: {self.stopped}"
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "books": [book.to_json() for book in self.books],
            "counts": self.counts,
            "stopped": self.stopped,
            "dry_run": self.dry_run,
            "requests": self.requests,
        }


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool
    paused_reason: str | None
    pending: int
    queued: int
    blocked: int
    last_sync: float | None
    states: dict[str, int]
    settings: dict[str, Any] = field(default_factory=dict)
    busy: bool = False
    first_sync_done: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "paused_reason": self.paused_reason,
            "pending": self.pending,
            "queued": self.queued,
            "blocked": self.blocked,
            "last_sync": self.last_sync,
            "states": self.states,
            "settings": self.settings,
            "busy": self.busy,
            "first_sync_done": self.first_sync_done,
        }


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
        .tuples()
    )
    if book_ids is not None:
        query = query.where(Book.id.in_(list(book_ids)))
    return [
        BookResult(
            book_id, title, NEEDS_REVIEW_OUTCOME if state == NEEDS_REVIEW else NOT_MATCHED_OUTCOME
        )
        for book_id, title, state in query
    ]


class SyncService:
    def __init__(
        self, account: HardcoverAccount | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.account = account or HardcoverAccount(clock=clock)
        self._clock = clock
        self.holder = lease.new_holder()

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
    ) -> SyncReport:
        """Match (unless a dry run), then push every changed book, now, without waiting."""
        ids = None if book_ids is None else list(book_ids)
        if not dry_run and not lease.acquire(self.holder, now=self._clock()):
            return SyncReport([], BUSY, 0)
        try:
            async with self.account.open_client() as client:
                user = await client.me()
                before = client.requests_sent
                if match and not dry_run:
                    await Matcher(client, clock=self._clock).run(ids, progress=match_progress)
                if not dry_run:
                    set_setting(FIRST_SYNC_KEY, self._clock())  # the user has pushed by hand
                engine = SyncEngine(client, user, sync_settings.load(), clock=self._clock)
                result: PassResult = await engine.run(
                    ids,
                    dry_run=dry_run,
                    allow_rewind=allow_rewind,
                    progress=progress,
                    cancel=cancel,
                    lease_holder=None if dry_run else self.holder,
                )
                requests = client.requests_sent - before + 1
        except _PASS_STOPPERS as error:
            # The token was refused, Hardcover is out of reach or asked to wait: nothing was
            # lost, every change is still pending.
            return SyncReport([], f"{error.title}. {error.message}", 0, dry_run)
        finally:
            if not dry_run:
                lease.release(self.holder)
        if not dry_run and result.stopped is None:
            set_setting(LAST_SYNC_KEY, self._clock())
        books = sorted([*result.books, *_unlinked_results(ids)], key=lambda b: b.book_id)
        return SyncReport(books, result.stopped, requests, dry_run)

    async def match(
        self,
        book_ids: Iterable[int] | None = None,
        *,
        progress: Callable[[MatchProgress], None] | None = None,
    ) -> None:
        """Match the books not matched yet (sends nothing to the profile)."""
        try:
            async with self.account.open_client() as client:
                await Matcher(client, clock=self._clock).run(book_ids, progress=progress)
        except _PASS_STOPPERS:
            return  # the pass that follows meets the same error and reports it

    def due(self) -> list[int]:
        """Queued books whose wait is over, when sync is on and not paused.

        Nothing goes out by itself before the user's first sync by hand ("Sync Now",
        `hardcover sync`): the first time a library reaches the profile is the user's choice.
        """
        status = sync_settings.load()
        paused = get_private(PAUSED_KEY) is not None and not self.account.has_supplied_token()
        if not status.enabled or paused:
            return []
        if get_private(FIRST_SYNC_KEY) is None:
            return []
        return due_books(status, self._clock())

    async def push_due(self) -> PassResult | None:
        """Push the queued changes that are due (the background worker); None when nothing
        was due or another process holds the lease."""
        if not self.due() or not lease.acquire(self.holder, now=self._clock()):
            return None
        try:
            async with self.account.open_client() as client:
                user = await client.me()
                engine = SyncEngine(client, user, sync_settings.load(), clock=self._clock)
                result = await engine.run(due_only=True, lease_holder=self.holder)
        finally:
            lease.release(self.holder)
        if result.books and result.stopped is None:
            set_setting(LAST_SYNC_KEY, self._clock())
        return result

    # -- state --------------------------------------------------------------------------

    def status(self, account_privacy: int | None = None) -> SyncStatus:
        current = sync_settings.load()
        paused = get_private(PAUSED_KEY)
        queued = outbox.queued()
        states: dict[str, int] = {}
        for state, _reason in store.book_states().values():
            states[state] = states.get(state, 0) + 1
        linked = HardcoverMatch.select().where(HardcoverMatch.state == LINKED).count()
        states["linked"] = linked
        return SyncStatus(
            enabled=current.enabled,
            paused_reason=paused.get("reason") if isinstance(paused, dict) else None,
            pending=len(store.pending(current.options(account_privacy))),
            queued=len(queued),
            blocked=sum(1 for q in queued if q.blocked),
            last_sync=get_private(LAST_SYNC_KEY),
            states=states,
            settings=current.to_json(),
            busy=lease.holder_now(now=self._clock()) not in (None, self.holder),
            first_sync_done=get_private(FIRST_SYNC_KEY) is not None,
        )

    def log(self, *, limit: int = 50, book_id: int | None = None) -> list[dict[str, Any]]:
        return store.log_entries(limit=limit, book_id=book_id)

    def settings(self) -> sync_settings.SyncSettings:
        return sync_settings.load()

    def save_settings(self, **changes: Any) -> sync_settings.SyncSettings:
        return sync_settings.save(**changes)
