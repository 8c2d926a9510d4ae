"""Highlights as Hardcover reading-journal quotes, for the command line (and later the window).

Choosing books, the privacy, a preview as plain rows, one send pass with the account's
client, and what is not in the journal as it should be yet (refused by Hardcover, waiting for a
check, an update waiting, ...) as plain rows with when each goes next. A pass
the user asks for takes the sync lease like the background worker does: one sender per
library at a time, so a quote is never added twice by two processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.journal import send, store
from bookorbit_desktop.hardcover.journal.backlog import NEW, backlog
from bookorbit_desktop.hardcover.journal.plan import Wanted
from bookorbit_desktop.hardcover.sync import lease
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.settings import get_private
from bookorbit_desktop.services.hardcover.account import USER_ID_KEY, HardcoverAccount


@dataclass(frozen=True)
class PreviewRow:
    action: str  # add or update
    book_title: str
    kind: str  # quote or note
    text: str
    page: int | None


class BusyError(BookOrbitError):
    title = "Nothing sent"

    def __init__(self, holder: str | None) -> None:
        super().__init__(
            f"{lease.describe(holder)} is sending to Hardcover for this library right now "
            "(its background sync sends new highlights too). Send again once it is done."
        )


@dataclass(frozen=True)
class EntryState:
    """A journal entry that is not in the journal as it should be (and was tried, or edited),
    in words for the window and CLI."""

    highlight_id: int
    book_title: str
    kind: str  # quote or note
    text: str  # what it should say
    refused: str | None  # "Refused by Hardcover: <reason>"
    waiting: str | None  # why it waits otherwise (no answer, a check, the token, ...)
    state: str  # in words: refused by Hardcover, waiting for a check, update waiting, ...
    next_attempt_at: float | None  # None: with the next pass


def _title(entry: Wanted | int) -> str:
    highlight_id = entry if isinstance(entry, int) else entry.highlight_id
    row = Highlight.select(Book.title).join(Book).where(Highlight.id == highlight_id)
    found = row.tuples().first()
    return found[0] if found else ""


def states() -> list[EntryState]:
    """Every journal entry tried or edited and not in the journal as it should be yet."""
    shown = []
    for left in backlog(store.wanted(), store.sent_map()):
        if left.state == NEW:
            continue  # never sent: `preview` lists those
        entry = left.entry
        refused = left.reason if left.refused else None
        waiting = None if left.refused else left.reason
        shown.append(
            EntryState(
                entry.highlight_id,
                _title(entry),
                entry.kind,
                entry.text,
                refused,
                waiting,
                left.state,
                left.next_attempt_at,
            )
        )
    return shown


def new_entries() -> int:
    """Entries of the chosen books never sent yet."""
    return sum(1 for left in backlog(store.wanted(), store.sent_map()) if left.state == NEW)


def refusals_by_highlight() -> dict[int, str]:
    """highlight id -> "Refused by Hardcover: <reason>", for the Highlights page (no book
    titles: `states` looks one up per entry)."""
    found = backlog(store.wanted(), store.sent_map())
    return {left.entry.highlight_id: left.reason for left in found if left.refused and left.reason}


def preview() -> list[PreviewRow]:
    current = send.preview()
    rows = [PreviewRow("add", _title(e), e.kind, e.text, e.page) for e in current.inserts]
    rows += [PreviewRow("update", _title(e), e.kind, e.text, e.page) for _, e in current.updates]
    return rows


async def send_now(account: HardcoverAccount, *, reviewed: bool) -> send.JournalReport:
    """One pass the user asked for; `reviewed` confirms the first batch (see
    `send.ReviewNeededError`). `BusyError` while another process holds the sync lease."""
    holder = lease.new_holder()
    if not lease.acquire(holder):
        raise BusyError(lease.holder_now())
    try:
        async with account.open_client() as client:
            user_id = get_private(USER_ID_KEY)
            if not isinstance(user_id, int):
                user_id = (await client.me()).id
            return await send.send_highlights(
                client, user_id=user_id, reviewed=reviewed, user_asked=True, lease_holder=holder
            )
    finally:
        lease.release(holder)


choose = store.choose
choose_all = store.choose_all
chosen_books = store.chosen_books
set_privacy = store.set_privacy
privacy = store.privacy
book_title = _title
