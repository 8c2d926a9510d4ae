"""One sync pass: pull what changed on Hardcover (`pull.run`), push each changed book, record it.

Books go one at a time, each committed in its own transaction only after Hardcover confirmed
it, so cancelling (between books), a crash or a lost connection leaves every book either done
or still pending. A refused token stops the pass at once and leaves the books pending; passing
trouble (429, 5xx, timeouts, a dropped connection) postpones a book with a growing delay; a
permanent refusal (a deleted book, a missing scope) blocks it until it changes. A write whose
answer was lost is read back first, never applied twice. Daily requests stop at a reserve.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    HardcoverError,
    MutationError,
    NetworkError,
    RateLimitedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.records import HardcoverUser
from bookorbit_desktop.hardcover.pull.run import pull_before
from bookorbit_desktop.hardcover.sync import declined, lease, store, unfinished
from bookorbit_desktop.hardcover.sync import remote as hardcover
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.gone_reads import by_identity, identity_plan, library_snapshot
from bookorbit_desktop.hardcover.sync.kept import snapshot_after
from bookorbit_desktop.hardcover.sync.model import Remote
from bookorbit_desktop.hardcover.sync.plan import plan_pass
from bookorbit_desktop.hardcover.sync.preview import MAX_STEPS, after_action, preview
from bookorbit_desktop.hardcover.sync.reconcile import INSERT_ENTRY, Tracking, plan
from bookorbit_desktop.hardcover.sync.results import (
    CANCELLED,
    HANDED_OVER,
    PARTLY_WRITTEN,
    BookResult,
    EntryWalk,
    PassResult,
    SyncProgress,
    failed_result,
    is_partial,
    previewed,
    proposed,
    settled_outcome,
    skipped,
    time_left,
    walk_outcome,
)
from bookorbit_desktop.hardcover.sync.settings import SyncSettings
from bookorbit_desktop.hardcover.sync.side_effects import going_out
from bookorbit_desktop.hardcover.sync.steps import Action, tracking_at_start
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.off_loop import off_loop

log = logging.getLogger(__name__)

DAILY_RESERVE = 250  # requests left for the rest of the day (matching, the user's other apps)
MAX_TRANSIENT_IN_A_ROW = 3  # then Hardcover is unreachable for now: stop the pass


class SyncStuckError(HardcoverError):
    title = "Hardcover did not keep a change"


class SyncEngine:
    def __init__(
        self,
        client: HardcoverClient,
        user: HardcoverUser,
        settings: SyncSettings,
        *,
        clock: Callable[[], float] = time.time,
        today: Callable[[], str] = lambda: dt.date.today().isoformat(),
        daily_reserve: int = DAILY_RESERVE,
    ) -> None:
        self.client = client
        self.user = user
        self.settings = settings
        self._clock = clock
        self._today = today
        self._started_requests = 0  # the client's count when this pass began
        self.daily_reserve = daily_reserve
        self._holder: str | None = None
        self._yield_to: Callable[[], bool] | None = None

    async def run(
        self,
        book_ids: Iterable[int] | None = None,
        *,
        dry_run: bool = False,
        due_only: bool = False,
        allow_rewind: bool = False,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: asyncio.Event | None = None,
        lease_holder: str | None = None,
        yield_to: Callable[[], bool] | None = None,
        accept_history_dates: bool = False,
    ) -> PassResult:
        """One pass over the given books (default: every linked book), or the queued books
        that are due (`due_only`). With `lease_holder`, the lease is renewed before each book
        and the pass stops if another process took it. `cancel` is the user's Cancel: the
        books not reached are held until they sync again; `yield_to` returning True stops the
        pass between books without holding anything (Sync Now takes over the worker's pass).
        `accept_history_dates` approves every date the reading history proposes first."""
        self._holder = lease_holder
        self._yield_to = yield_to
        options = self.settings.options(self.user.privacy_setting_id, allow_rewind=allow_rewind)
        pulled = await pull_before(self.client, self.user.id, dry_run)
        if pulled is not None and pulled.refused:  # nothing more goes out with that token
            return PassResult(stopped=pulled.error)
        # Thousands of rows for a big library: read in a worker thread, not on the loop.
        planned = await off_loop(
            plan_pass,
            self.settings,
            self._clock(),
            None if book_ids is None else list(book_ids),
            options,
            due_only,
            dry_run,
            accept_history_dates,
        )
        work, queued = planned.work, planned.queued
        result = PassResult(awaiting_review=planned.awaiting_review)
        for book_id, title, blocked_by in planned.settled:
            outcome = settled_outcome(blocked_by, book_id in planned.conflicted)
            result.books.append(BookResult(book_id, title, outcome, error=blocked_by))
        self._started_requests = self.client.requests_sent
        try:
            await self._push_all(work, options, queued, result, dry_run, progress, cancel)
        finally:
            result.requests = self.client.requests_sent - self._started_requests
        return result

    async def _push_all(
        self,
        work: list[Candidate],
        options: Any,
        queued: dict[int, outbox.QueuedBook],
        result: PassResult,
        dry_run: bool,
        progress: Callable[[SyncProgress], None] | None,
        cancel: asyncio.Event | None,
    ) -> None:
        if not work:
            return
        remotes: dict[int, Remote] = {}
        try:
            remotes = await hardcover.fetch_entries(
                self.client, self.user.id, {c.local.hc_book_id for c in work}
            )
        except (AuthError, RateLimitedError, NetworkError, UnavailableError) as error:
            result.stopped = error.message
            result.books.extend(skipped(work))
            return
        transient = 0
        for index, candidate in enumerate(work):
            await asyncio.sleep(0)  # a dry run never waits on the network: let the window turn
            self._report(
                progress, index, len(work), candidate.title, result, candidate.local.book_id
            )
            stop = self._should_stop(cancel, dry_run)
            if stop is not None:
                result.stopped = stop
                result.books.extend(skipped(work[index:]))
                if cancel is not None and cancel.is_set() and not dry_run:
                    held = [b for c in work[index:] for b in c.book_ids]
                    declined.hold_shown(held, CANCELLED, now=self._clock())
                return
            versions = {b: queued[b].version if b in queued else None for b in candidate.book_ids}
            remote = remotes.get(candidate.local.hc_book_id)
            try:
                book = await self._push(candidate, remote, options, versions, dry_run)
                transient = 0
            except (AuthError, ScopeError, RateLimitedError) as error:
                if isinstance(error, ScopeError) and not dry_run:
                    self._fail(candidate, error.message, permanent=True, attempts=0)
                result.stopped = error.message
                result.books.extend(skipped(work[index:], partial=is_partial(error)))
                return
            except (NetworkError, UnavailableError) as error:
                transient += 1
                entry = queued.get(candidate.local.book_id)
                attempts = entry.attempts if entry is not None else 0
                if not dry_run and not is_partial(error):
                    self._fail(candidate, error.message, permanent=False, attempts=attempts)
                book = failed_result(candidate, error)
                if transient >= MAX_TRANSIENT_IN_A_ROW:
                    result.books.append(book)
                    result.stopped = f"Hardcover cannot be reached right now: {error.message}"
                    result.books.extend(skipped(work[index + 1 :]))
                    return
            except HardcoverError as error:
                if not dry_run:
                    self._fail(candidate, error.message, permanent=True, attempts=0)
                book = failed_result(candidate, error)
            result.books.append(book)
        self._report(progress, len(work), len(work), None, result)

    def _should_stop(self, cancel: asyncio.Event | None, dry_run: bool) -> str | None:
        if cancel is not None and cancel.is_set():
            return CANCELLED
        if self._yield_to is not None and self._yield_to():
            return HANDED_OVER
        if self._holder is not None and not lease.acquire(self._holder, now=self._clock()):
            return "another BookOrbit process is syncing this library"
        budget = self.client.budget()
        if not dry_run and budget.daily_remaining < self.daily_reserve + MAX_STEPS:
            return (
                "today's Hardcover allowance is nearly used up; the remaining books are still "
                "pending and go out after it resets"
            )
        return None

    def _report(
        self,
        progress: Callable[[SyncProgress], None] | None,
        done: int,
        total: int,
        title: str | None,
        result: PassResult,
        book_id: int | None = None,
    ) -> None:
        if progress is None:
            return
        limiter = self.client.limiter
        requests = self.client.requests_sent - self._started_requests  # this pass's own
        burst = limiter.budget().burst_remaining
        eta = time_left(done, total, requests, burst, limiter.plan.per_second)
        waiting = limiter.wait_time(1)
        progress(SyncProgress(done, total, title, result.counts, eta, waiting, book_id))

    def _fail(
        self,
        candidate: Candidate,
        error: str,
        *,
        permanent: bool,
        attempts: int,
        state: str | None = None,
    ) -> None:
        delay = min(3600.0, 60.0 * 2**attempts)
        store.fail_book(
            candidate,
            error,
            permanent=permanent,
            retry_at=self._clock() + delay,
            actions=[],
            state=state,
            now=self._clock(),
        )

    # ------------------------------------------------------------------ one entry

    async def _push(
        self,
        candidate: Candidate,
        remote: Remote | None,
        options: Any,
        versions: dict[int, int | None],
        dry_run: bool,
        *,
        followed_merge: bool = False,
    ) -> BookResult:
        local, gone = candidate.local, list[str]()
        if not dry_run:  # earlier reads edited or deleted in the library first, by their ids
            remote, gone = await by_identity(self.client, candidate, remote, self.user.id)
        snapshot, earlier = library_snapshot(local, candidate.snapshot, remote)
        conflict = (*filter(None, [candidate.conflict]), *candidate.date_notes, *gone)
        tracking = tracking_at_start(snapshot, candidate.step, remote, creating=candidate.creating)
        tracking = replace(tracking, earlier_reads=earlier)
        if dry_run:  # the reads by identity go first, then the entry's own writes
            ids = identity_plan(candidate, remote)
            done = preview(local, snapshot, remote, options, today=self._today(), tracking=tracking)
            notes = (*conflict, *ids.notes, *done.notes)
            return previewed(candidate, (*ids.actions, *done.actions), notes, remote)
        walk = EntryWalk(candidate, snapshot, remote, tracking, list(conflict))
        try:
            await self._walk(walk, options)
        except MutationError as error:
            if walk.inserting and not walk.sent and not followed_merge:
                merged = await self._follow_merge(candidate)
                if merged is not None:
                    return await self._push(
                        merged, None, options, versions, dry_run, followed_merge=True
                    )
            self._unfinished(walk, options)
            raise SyncStuckError(error.message) from None
        except HardcoverError as error:
            if self._unfinished(walk, options):
                error.message = f"{PARTLY_WRITTEN} ({error.message})"
                error.args = (error.message,)
                error.partial = True  # type: ignore[attr-defined]
            raise
        return self._commit(walk, options, versions)

    async def _walk(self, walk: EntryWalk, options: Any) -> None:
        """Plan and send one write at a time until Hardcover matches the library."""
        local = walk.candidate.local
        for _ in range(MAX_STEPS):
            prior = walk.tracking
            step = plan(local, walk.snapshot, walk.remote, walk.tracking, options)
            walk.tracking = step.tracking
            walk.notes.extend(n for n in step.notes if n not in walk.notes)
            walk.ahead = step.ahead or walk.ahead
            if step.action is None:
                return
            action = step.action
            walk.inserting = action.kind == INSERT_ENTRY
            walk.tracking = going_out(walk.tracking, action, walk.remote, self._today())
            if walk.inserting:
                unfinished.mark_creating(walk.candidate, now=self._clock())
            elif action.changes_reads:
                unfinished.mark_stamping(
                    walk.candidate, walk.tracking.step_json(), now=self._clock()
                )
            before = walk.remote
            try:
                walk.remote = await hardcover.send(
                    self.client, action, user_id=self.user.id, hc_book_id=local.hc_book_id
                )
            except (NetworkError, UnavailableError) as error:
                # The write may have happened: look before deciding anything else.
                why = (action.kind, local.book_id, error.message)
                log.info("No answer to %s for book %s (%s); reading back", *why)
                walk.remote = await hardcover.fetch_entry(
                    self.client, self.user.id, local.hc_book_id
                )
                if walk.remote == before:  # it did not happen (yet): try again later
                    self._not_landed(walk, prior, error)
                    raise
            except HardcoverError as error:
                self._not_landed(walk, prior, error)
                raise
            else:
                if walk.remote is None:
                    raise SyncStuckError(
                        "Hardcover answered the change without the entry it changed."
                    )
            self._landed(walk, action)
        raise SyncStuckError(
            "Hardcover did not keep the change BookOrbit sent; it will not be sent again "
            "until the book changes."
        )

    def _landed(self, walk: EntryWalk, action: Action) -> None:
        """`action` is on Hardcover (answered, or seen in the entry read back)."""
        if walk.remote is not None:
            walk.tracking = after_action(walk.tracking, action, walk.remote)
            if walk.tracking.stamp is not None and action.changes_reads:  # kept until undone
                now = self._clock()
                unfinished.mark_stamping(walk.candidate, walk.tracking.step_json(), now=now)
        walk.sent.append(action)

    def _not_landed(self, walk: EntryWalk, prior: Tracking, error: HardcoverError) -> None:
        """A write Hardcover certainly did not carry out: no stamp to look for, no entry ours."""
        if error.refused and walk.inserting:
            unfinished.forget_creating(walk.candidate, now=self._clock())
        same = prior.user_book_id == walk.tracking.user_book_id
        stamped = prior.stamped_finish and same  # as before this write's plan, of this entry
        kept = replace(walk.tracking, stamped_finish=stamped, undated=(), read_sent_on=None)
        if error.refused and kept != walk.tracking:
            walk.tracking = kept
            unfinished.mark_stamping(walk.candidate, kept.step_json(), now=self._clock())

    def _unfinished(self, walk: EntryWalk, options: Any) -> bool:
        """Some writes of this entry went out and the rest did not: remember where Hardcover
        stands and keep the copies queued, so the next sync repairs the entry."""
        if not walk.sent or walk.remote is None:
            return False
        snapshot = walk.partial_snapshot(walk.remote)
        unfinished.mark_partial(walk.candidate, snapshot, now=self._clock())
        self._fail(walk.candidate, PARTLY_WRITTEN, permanent=False, attempts=0, state=store.PARTIAL)
        return True

    def _commit(self, walk: EntryWalk, options: Any, versions: dict[int, int | None]) -> BookResult:
        candidate, notes = walk.candidate, walk.notes
        new_snapshot = snapshot_after(candidate.local, options, walk.remote, walk.tracking)
        state = store.SYNCED
        if walk.ahead is not None:
            state = store.AHEAD
        elif any("removed on Hardcover" in n for n in notes):
            state = store.REMOVED
        elif any("kept" in n for n in notes):
            state = store.KEPT
        actions = [a.to_json() for a in walk.sent]
        outcome = walk_outcome(bool(walk.sent), candidate.book_ids)
        store.commit_book(
            candidate,
            new_snapshot,
            state=state,
            reason="; ".join(notes) or None,
            versions=versions,
            title=candidate.title,
            outcome=outcome,
            actions=actions,
            now=self._clock(),
        )
        return BookResult(
            candidate.local.book_id,
            candidate.title,
            outcome,
            tuple(actions),
            tuple(notes),
            proposals=proposed(candidate, walk.remote),
        )

    async def _follow_merge(self, candidate: Candidate) -> Candidate | None:
        """A book Hardcover refused may have been merged: relink it to the book it became."""
        canonical = await hardcover.canonical_book(self.client, candidate.local.hc_book_id)
        return store.relink_merged(candidate, canonical) if canonical is not None else None
