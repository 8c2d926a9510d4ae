"""What a sync pass did, entry by entry, in the words the window and the command line show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.hardcover.api.errors import HardcoverError
from bookorbit_desktop.hardcover.pull import store as pull_store
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.desired import Proposal
from bookorbit_desktop.hardcover.sync.model import Remote, Snapshot, confirmed_values
from bookorbit_desktop.hardcover.sync.reconcile import Action, Tracking

SENT, UP_TO_DATE, WOULD_SEND, FAILED, SKIPPED, PARTIAL = (
    "sent",
    "up_to_date",
    "would_send",
    "failed",
    "skipped",
    "partial",
)
NEEDS_REVIEW, NOT_MATCHED = "needs_review", "not_matched"  # books a pass could not send yet
# Nothing sent because a field waits for the user's pick between the library and hardcover.app.
CONFLICT = "conflict"
# The one table of what a pass did to a book, in words: (its row's label, after a count). The
# window, the tray and the command line all say it this way.
OUTCOME_WORDS = {
    SENT: ("Sent", "sent"),
    UP_TO_DATE: ("Up to date", "up to date"),
    WOULD_SEND: ("Will be sent", "to send"),
    PARTIAL: ("Partly written", "partly written"),
    NEEDS_REVIEW: ("Needs review", "need review"),
    NOT_MATCHED: ("Not matched", "not matched"),
    FAILED: ("Failed", "failed"),
    SKIPPED: ("Not reached", "not reached"),
    CONFLICT: ("Conflict", "in conflict"),
}


def quiet_outcome(in_conflict: bool) -> str:
    """A book the pass sent nothing for: up to date, unless a field of it is in conflict with
    hardcover.app (held at Hardcover's value until the user picks: not up to date at all)."""
    return CONFLICT if in_conflict else UP_TO_DATE


def settled_outcome(blocked_by: str | None, in_conflict: bool) -> str:
    """A book the pass left as it is: failed for good (`blocked_by`), else `quiet_outcome`."""
    return FAILED if blocked_by is not None else quiet_outcome(in_conflict)


def walk_outcome(sent: bool, book_ids: Iterable[int]) -> str:
    """A book the pass worked on: sent, else `quiet_outcome` by its open conflicts."""
    return SENT if sent else quiet_outcome(bool(pull_store.conflicts(book_ids)))


def outcome_label(outcome: str) -> str:
    """ "Sent", "Needs review": a book's outcome on its own row."""
    return OUTCOME_WORDS.get(outcome, (outcome.replace("_", " ").capitalize(), ""))[0]


def counted_outcomes(counts: dict[str, int]) -> str:
    """ "3 sent · 1 up to date · 2 need review", in the table's order."""
    return " · ".join(
        f"{counts[k]:,} {words[1]}" for k, words in OUTCOME_WORDS.items() if counts.get(k)
    )


def outcome_counts(books: list[BookResult]) -> dict[str, int]:
    """How many books had each outcome: the one count the report, the dialog, the page and
    the tray all show."""
    counts: dict[str, int] = {}
    for book in books:
        counts[book.outcome] = counts.get(book.outcome, 0) + 1
    return counts


def cancelled_line(counts: dict[str, int]) -> str:
    """ "Sync cancelled: 12 sent, 30 left for later": the user's Cancel is no failure; the
    books it did not reach wait for the next sync."""
    done = counted_outcomes({k: n for k, n in counts.items() if k != SKIPPED}).replace(" · ", ", ")
    left = f", {counts[SKIPPED]:,} left for later" if counts.get(SKIPPED) else ""
    return f"Sync cancelled: {done or 'nothing sent'}{left}"


CANCELLED = "cancelled; the books it did not reach are held until you send or discard them"
HANDED_OVER = "handed over to the sync you started"
PARTLY_WRITTEN = "partly written; the rest is repaired at the next sync"


@dataclass(frozen=True)
class ProposedDate:
    """A date from the reading history waiting for the user's yes, beside Hardcover's."""

    proposal: Proposal
    hardcover: str | None  # what Hardcover's read has for it now (None: no date)

    @property
    def text(self) -> str:
        """ "finished 2024-10-14 from your reading history (Hardcover: no date)"."""
        theirs = self.hardcover or "no date"
        return f"{self.proposal.name} {self.proposal.value} from your reading history" + (
            f" (Hardcover: {theirs})"
        )

    def to_json(self) -> dict[str, Any]:
        return {**self.proposal.to_json(), "hardcover": self.hardcover}


def proposed(candidate: Candidate, remote: Remote | None) -> tuple[ProposedDate, ...]:
    """The candidate's proposals, each beside the date Hardcover's latest read has."""
    latest = max(remote.reads, key=lambda r: r.id) if remote is not None and remote.reads else None
    return tuple(
        ProposedDate(p, getattr(latest, p.name) if latest is not None else None)
        for p in candidate.proposals
    )


@dataclass(frozen=True)
class BookResult:
    book_id: int
    title: str
    outcome: str
    actions: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    proposals: tuple[ProposedDate, ...] = ()  # history dates that wait for the user's yes

    def to_json(self) -> dict[str, Any]:
        return {
            "book_id": self.book_id,
            "title": self.title,
            "outcome": self.outcome,
            "actions": [" · ".join(a["changes"]) for a in self.actions],
            "notes": list(self.notes),
            "error": self.error,
            "proposed_dates": [p.to_json() for p in self.proposals],
        }


def previewed(
    candidate: Candidate, actions: tuple[Action, ...], notes: tuple[str, ...], remote: Remote | None
) -> BookResult:
    """What a dry run says of an entry: the writes a push would make, in order."""
    return BookResult(
        candidate.local.book_id,
        candidate.title,
        WOULD_SEND if actions else UP_TO_DATE,
        tuple(a.to_json() for a in actions),
        notes,
        proposals=proposed(candidate, remote),
    )


@dataclass(frozen=True)
class SyncProgress:
    done: int
    total: int
    title: str | None
    counts: dict[str, int]
    eta_seconds: float | None  # from the rate-limit budget
    waiting_seconds: float  # > 0 while Hardcover's limits make the pass wait
    book_id: int | None = None  # the book being sent now


def time_left(
    done: int, total: int, requests: int, burst_remaining: float, per_second: float
) -> float | None:
    """Seconds the rest of a pass should take under Hardcover's request limit, from the
    requests the `done` books took (worked out again at every book); None before the first
    book is done (nothing to go by) and once none is left."""
    if done <= 0 or done >= total:
        return None
    needed = requests / done * (total - done)
    return max(0.0, needed - burst_remaining) / per_second


@dataclass
class PassResult:
    books: list[BookResult] = field(default_factory=list)
    stopped: str | None = None  # why the pass ended early, in words
    requests: int = 0
    awaiting_review: int = 0  # new Hardcover books beyond what the worker sends by itself
    needs_review: int = 0  # books the worker looked up that wait for the user's choice
    journal_sent: int = 0  # highlights the worker sent to (or updated in) the reading journal

    @property
    def counts(self) -> dict[str, int]:
        return outcome_counts(self.books)

    @property
    def cancelled(self) -> bool:
        return self.stopped == CANCELLED

    @property
    def failed(self) -> bool:
        stopped = self.stopped is not None and not self.cancelled
        return stopped or any(b.outcome in (FAILED, PARTIAL) for b in self.books)


def is_partial(error: Exception) -> bool:
    return bool(getattr(error, "partial", False))


def skipped(work: list[Candidate], *, partial: bool = False) -> list[BookResult]:
    """Entries a stopped pass did not reach (the first one partly written when `partial`)."""
    results = [BookResult(c.local.book_id, c.title, SKIPPED) for c in work]
    if partial and results:
        first = work[0]
        results[0] = BookResult(first.local.book_id, first.title, PARTIAL, error=PARTLY_WRITTEN)
    return results


def failed_result(candidate: Candidate, error: HardcoverError) -> BookResult:
    outcome = PARTIAL if is_partial(error) else FAILED
    return BookResult(candidate.local.book_id, candidate.title, outcome, error=error.message)


@dataclass
class EntryWalk:
    """One entry's push under way: what was sent and what Hardcover answered so far."""

    candidate: Candidate
    snapshot: Snapshot | None
    remote: Remote | None
    tracking: Tracking
    notes: list[str]
    sent: list[Action] = field(default_factory=list)
    ahead: tuple[int, int] | None = None
    inserting: bool = False

    def partial_snapshot(self, remote: Remote) -> Snapshot:
        """Where Hardcover stands (`remote`) after some of the writes: the library's state
        as last confirmed stays the one to push, and the step says what the push knew."""
        return Snapshot(
            hc_book_id=self.candidate.local.hc_book_id,
            user_book_id=remote.user_book_id,
            created_by_us=self.tracking.created_by_us,
            read_id=self.tracking.read_id,
            read_owned=self.tracking.read_owned,
            wanted=dict(self.snapshot.wanted) if self.snapshot is not None else {},
            confirmed=confirmed_values(remote, self.tracking.read_id),
            step=self.tracking.step_json(),
        )
