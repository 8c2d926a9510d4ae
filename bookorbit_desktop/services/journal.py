"""Highlights as Hardcover reading-journal quotes, for the command line (and later the window).

Choosing books, the privacy, a preview as plain rows, and one send pass with the account's
client. Not part of the automatic sync yet: a pass runs when the user asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.hardcover.journal import send, store
from bookorbit_desktop.hardcover.journal.plan import Wanted
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.settings import get_private
from bookorbit_desktop.services.hardcover_account import USER_ID_KEY, HardcoverAccount


@dataclass(frozen=True)
class PreviewRow:
    action: str  # add or update
    book_title: str
    kind: str  # quote or note
    text: str
    page: int | None


def _title(entry: Wanted) -> str:
    row = Highlight.select(Book.title).join(Book).where(Highlight.id == entry.highlight_id)
    found = row.tuples().first()
    return found[0] if found else ""


def preview() -> list[PreviewRow]:
    current = send.preview()
    rows = [PreviewRow("add", _title(e), e.kind, e.text, e.page) for e in current.inserts]
    rows += [PreviewRow("update", _title(e), e.kind, e.text, e.page) for _, e in current.updates]
    return rows


async def send_now(account: HardcoverAccount, *, reviewed: bool) -> send.JournalReport:
    """One pass; `reviewed` confirms the first batch (see `send.ReviewNeededError`)."""
    async with account.open_client() as client:
        user_id = get_private(USER_ID_KEY)
        if not isinstance(user_id, int):
            user_id = (await client.me()).id
        return await send.send_highlights(client, user_id=user_id, reviewed=reviewed)


choose = store.choose
choose_all = store.choose_all
chosen_books = store.chosen_books
set_privacy = store.set_privacy
privacy = store.privacy
