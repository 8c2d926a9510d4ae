"""What came back from Hardcover, for the window and the command line: values that followed
Hardcover (with their date), conflicts and the user's pick, the wishlist and lists, the pull's
state, and a pull run on demand. Reads go through a worker thread (`off_loop`) when awaited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.hardcover.pull import conflicts as picks
from bookorbit_desktop.hardcover.pull import run, store
from bookorbit_desktop.hardcover.pull.apply import linked_books
from bookorbit_desktop.hardcover.sync.model import PRIVACY_NAMES, STATUS_NAMES
from bookorbit_desktop.hardcover.sync.words import LABELS, stars
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_private
from bookorbit_desktop.services.hardcover.pull_schedule import EVERY

if TYPE_CHECKING:
    from bookorbit_desktop.services.hardcover.account import HardcoverAccount

KEEP_LOCAL, KEEP_HARDCOVER = picks.LOCAL, picks.HARDCOVER


def shown(name: str, value: Any) -> str:
    """A field's value in the window's words ("Read", "4.5★", "2026-08-20", "not set")."""
    if value is None or value == "":
        return "not set"
    if name in ("status_id", "status"):
        return STATUS_NAMES.get(int(value), str(value))
    if name in ("privacy_id", "privacy"):
        return PRIVACY_NAMES.get(int(value), str(value))
    if name == "rating":
        return stars(float(value))
    return str(value)


@dataclass(frozen=True)
class Followed:
    field: str
    label: str  # "rating", "finish date"
    value: str  # as shown
    day: str  # the local date it came from Hardcover


@dataclass(frozen=True)
class Choice:
    book_id: int
    field: str  # the user's word: status, rating, started, finished, privacy
    label: str
    local: str
    hardcover: str


@dataclass(frozen=True)
class BookChanges:
    followed: tuple[Followed, ...] = ()
    conflicts: tuple[Choice, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.followed and not self.conflicts


@dataclass
class PullState:
    last_at: float | None = None
    error: str | None = None
    conflicts: int = 0
    wishlist: int = 0
    lists: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def book_changes(book_id: int) -> BookChanges:
    """One book's values that came from Hardcover, and its open conflicts."""
    followed = tuple(
        Followed(
            name,
            LABELS.get(name, name),
            shown(name, value),
            dt.datetime.fromtimestamp(at).date().isoformat(),
        )
        for name, (value, at) in sorted(store.followed(book_id).items())
    )
    choices = tuple(c for c in all_conflicts() if c.book_id == book_id)
    return BookChanges(followed, choices)


async def book_changes_async(book_id: int) -> BookChanges:
    return await off_loop(book_changes, book_id)


def all_conflicts() -> list[Choice]:
    return [
        Choice(
            row["book_id"],
            row["field"],
            row["label"],
            shown(row["field"], row["local"]),
            shown(row["field"], row["hardcover"]),
        )
        for row in picks.listing()
    ]


def conflict_rows() -> list[dict[str, Any]]:
    """Open conflicts with raw values, for `--json`."""
    return picks.listing()


def resolve(book_id: int, field_name: str, keep: str) -> dict[str, Any]:
    return picks.resolve(book_id, field_name, keep)


async def resolve_async(book_id: int, field_name: str, keep: str) -> dict[str, Any]:
    return await off_loop(picks.resolve, book_id, field_name, keep)


def wishlist() -> list[dict[str, Any]]:
    """The user's Hardcover entries whose book is not in the library (the wishlist shelf),
    each with the lists it is on."""
    entries = store.pulled()
    linked = {int(b) for b in linked_books(e["hc_book_id"] for e in entries)}
    in_library = set()
    if linked:
        from bookorbit_desktop.library.store.models import HardcoverMatch

        in_library = {
            m.hc_book_id for m in HardcoverMatch.select().where(HardcoverMatch.book.in_(linked))
        }
    lists = store.pulled_lists()
    return [
        {
            **{k: e[k] for k in ("hc_book_id", "title", "authors", "isbns", "slug", "status_id")},
            "url": f"https://hardcover.app/books/{e['slug']}" if e.get("slug") else None,
            "lists": [item["name"] for item in lists if e["hc_book_id"] in item["book_ids"]],
        }
        for e in entries
        if e["hc_book_id"] not in in_library
    ]


def lists() -> list[dict[str, Any]]:
    return store.pulled_lists()


def pull_state() -> PullState:
    status = run.status()
    return PullState(
        last_at=status["last_at"],
        error=status["error"],
        conflicts=len(picks.listing()),
        wishlist=len(wishlist()),
        lists=len(store.pulled_lists()),
        extra=status,
    )


@dataclass(frozen=True)
class PullProblem:
    """The last pull failed: why (Hardcover's error, in words), and when the next one tries."""

    reason: str
    refused: bool  # the token was refused: nothing is tried again before connecting again
    next_at: float | None  # Unix seconds; None when refused


def pull_problem() -> PullProblem | None:
    """The last pull's failure (429, a refused token, no network), or None when it worked.
    The next try is the next scheduled round (`pull_schedule.EVERY` after the failed one);
    a sync pass before then pulls first too."""
    status = run.status()
    if not status["error"]:
        return None
    refused = bool(status["refused"])
    last = status["last_at"]
    next_at = None if refused or last is None else last + EVERY
    return PullProblem(str(status["error"]), refused, next_at)


async def pull_problem_async() -> PullProblem | None:
    return await off_loop(pull_problem)


async def pull_now(account: HardcoverAccount, *, full: bool = False) -> run.PullResult:
    """A pull outside a sync pass (`hardcover pull`): what changed since the marks, or
    everything with `full`. The saved token's account is the one remembered when it was
    connected (no request to ask); a token given for the run is asked who it is."""
    from bookorbit_desktop.services.hardcover.account import USER_ID_KEY

    async with account.open_client() as client:
        user_id = None if account.supplied() is not None else get_private(USER_ID_KEY)
        if not isinstance(user_id, int):
            user_id = (await client.me()).id
        return await run.pull(client, user_id, full=full)
