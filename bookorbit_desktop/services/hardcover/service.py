"""The Hardcover account and book matching as the window sees them, in plain data.

Every network action opens a client for the saved token and closes it afterwards (the
account's `open_client`), so no HTTP session outlives the action that needed it; cancelling
the task that runs an action closes its client too. Errors are `BookOrbitError`s with a title
and a message (token refused, scope missing, rate limited, network down), shown as they are.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypedDict

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import TOKEN_PAGE_URL
from bookorbit_desktop.hardcover.matching import actions as match_actions
from bookorbit_desktop.hardcover.matching.catalog import edition_from_record
from bookorbit_desktop.hardcover.matching.editions import describe_edition
from bookorbit_desktop.hardcover.matching.matcher import MatchProgress
from bookorbit_desktop.hardcover.matching.store import EXCLUDED, get_match
from bookorbit_desktop.hardcover.sync import copies, counts, declined, ledger
from bookorbit_desktop.hardcover.sync.results import SyncProgress
from bookorbit_desktop.hardcover.sync.waiting import Waits
from bookorbit_desktop.library.store.models import HardcoverMatch, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.store.sql import in_list
from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.services.hardcover.account import SYNC_ENABLED_KEY, HardcoverAccount
from bookorbit_desktop.services.hardcover.dashboard.rows import PageListing, PageQuery, read_listing
from bookorbit_desktop.services.hardcover.dashboard.unchanged import Unchanged
from bookorbit_desktop.services.hardcover.matches import linked_summary, match_details
from bookorbit_desktop.services.hardcover.sync import SyncReport, SyncService
from bookorbit_desktop.services.library.records import MatchInfo

GET_TOKEN_URL = TOKEN_PAGE_URL
# What the keyring backends are called where people meet them (a part of the backend's module
# path, matched whole); any other backend is named by what it is to the user.
_KEYRING_NAMES = {
    "SecretService": "the system keyring (Secret Service)",
    "libsecret": "the system keyring (Secret Service)",
    "kwallet": "KDE Wallet",
    "macOS": "the macOS Keychain",
    "Windows": "Windows Credential Manager",
    "alt.file": "a file in your home folder (keyrings.alt)",
}
OTHER_KEYRING = "the system keyring"


def keyring_label(backend: str) -> str:
    """A person's name for a keyring backend ("keyring.backends.kwallet.DBusKeyring"), never
    the backend's class path."""
    for part, label in _KEYRING_NAMES.items():
        if f".{part}." in f".{backend}.":
            return label
    return OTHER_KEYRING


@dataclass(frozen=True)
class HardcoverStatus:
    connected: bool
    username: str | None
    sync_enabled: bool
    paused_reason: str | None  # Hardcover refused the saved token: connect again
    keyring: str
    warnings: tuple[str, ...] = ()
    checking: bool = False  # the keyring has not answered yet (start-up)
    keyring_unreadable: bool = False  # the last check could not read the keyring
    last_sync: float | None = None  # when a pass last finished
    # What waits, and why (`hardcover.sync.waiting`, the one count of every door).
    waits: Waits = field(default_factory=Waits)
    features_off: tuple[tuple[str, str], ...] = ()  # (scope, feature) the token turns off
    token_expiry: str | None = None  # "The Hardcover token expires on … (in 3 days)."
    token_expiry_soon: bool = False  # within the week before it (or past): a warning


class EditionRow(TypedDict):
    id: int
    description: str  # "ebook · en · 412 pages · 1,234 readers"
    year: int | None


def copies_conflict(statuses: Sequence[str], ratings: Sequence[float | None] = ()) -> str | None:
    """ "2 copies linked: Read and Want to Read; rated 5★ and 4★": copies of one Hardcover
    book that disagree (`hardcover.sync.copies`); the user settles it with Use This Copy."""
    return copies.conflict(statuses, ratings)


@dataclass(frozen=True)
class HardcoverPage:
    status: HardcoverStatus
    listing: PageListing | None  # the page's rows, if read


class HardcoverService:
    def __init__(
        self,
        account: HardcoverAccount | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.account = account or HardcoverAccount(clock=clock)
        # Read again only once something was written: opening the page after nothing changed
        # does not count the whole library again.
        self._work = Unchanged(self._read_work)

    @asynccontextmanager
    async def _client(self) -> AsyncIterator[HardcoverClient]:
        async with self.account.open_client() as client:
            yield client

    # -- account ----------------------------------------------------------------------------

    def status(self) -> HardcoverStatus:
        """The account as remembered: reads the database, never the keyring."""
        status = self.account.status()
        check = self.account.keyring_check
        waits = self._work()
        expiry, soon = token_health.expiry_notice() if status.connected else (None, False)
        return HardcoverStatus(
            connected=status.connected,
            username=status.username,
            sync_enabled=status.sync_enabled,
            paused_reason=status.paused_reason,
            keyring=keyring_label(status.keyring),
            warnings=tuple(status.warnings),
            checking=check is None,
            keyring_unreadable=check is not None and not check.readable,
            last_sync=status.last_sync,
            waits=waits,
            features_off=tuple(token_health.features_off()) if status.connected else (),
            token_expiry=expiry,
            token_expiry_soon=soon,
        )

    def _read_work(self) -> Waits:
        """What waits for the sync, counted over the whole library."""
        return counts.current()

    async def check_keyring(self) -> None:
        """Ask the keyring (on a worker thread) whether a token is saved."""
        await self.account.check_keyring()

    async def connect(self, raw_token: str) -> str:
        """Check the pasted token with Hardcover and keep it; returns the account name."""
        user = await self.account.connect(raw_token)
        return user.username if user is not None else ""

    async def disconnect(self) -> bool:
        return await self.account.disconnect()

    def set_sync_enabled(self, enabled: bool) -> None:
        set_setting(SYNC_ENABLED_KEY, enabled)

    # -- matches ----------------------------------------------------------------------------

    def match_states(self, book_ids: Sequence[int] | None = None) -> dict[int, str]:
        """Every book's match state, or these books' (books without a row are "unmatched")."""
        where = "" if book_ids is None else f" WHERE {in_list('book_id', book_ids)}"
        rows = database.execute_sql(
            f"SELECT book_id, state FROM hardcover_match{where}", tuple(book_ids or ())
        )
        return dict(rows)

    def match_details(self, book_ids: Sequence[int] | None = None) -> dict[int, MatchInfo]:
        """Every stored match (or these books'), with the linked candidate's text."""
        return match_details(book_ids)

    def page(
        self,
        *,
        matches: bool = True,
        query: PageQuery | None = None,
        known: Sequence[int] = (),
        rows: int = 0,
    ) -> HardcoverPage:
        """The account and, with `matches`, the Hardcover page's first `rows` rows (at least a
        screen) for `query`, its counts and the `known` books as they are now: what the page
        and the tray show, read at once."""
        if not matches:
            return HardcoverPage(self.status(), None)
        return HardcoverPage(self.status(), read_listing(query or PageQuery(), known, rows))

    async def page_later(
        self,
        *,
        matches: bool = True,
        query: PageQuery | None = None,
        known: Sequence[int] = (),
        rows: int = 0,
    ) -> HardcoverPage:
        """`page()` read in a worker thread on its own connection: the window keeps turning."""
        return await off_loop(self.page, matches=matches, query=query, known=known, rows=rows)

    def queued_books(self) -> set[int]:
        """Books with a change Hardcover does not have yet."""
        return {book_id for (book_id,) in database.execute_sql("SELECT book_id FROM sync_outbox")}

    def sync_log(self, book_id: int | None = None) -> list[dict[str, Any]]:
        """The newest sync log lines, of one book or of every book."""
        return ledger.log_entries(limit=100, book_id=book_id)

    def match_info(self, book_id: int) -> MatchInfo:
        record = get_match(book_id)
        if record is None:
            return MatchInfo(state="unmatched", reason=None, summary=None, pinned=False)
        return MatchInfo(
            state=record.state,
            reason=record.reason,
            summary=linked_summary(record.candidates, record.hc_book_id, record.edition_pages),
            hc_book_id=record.hc_book_id,
            hc_edition_id=record.hc_edition_id,
            pinned=record.pinned,
            edition_pages=record.edition_pages,
        )

    def stored_candidates(self, book_id: int) -> list[dict[str, Any]]:
        record = get_match(book_id)
        return list(record.candidates) if record is not None else []

    def owns_entry(self, book_id: int) -> bool:
        """BookOrbit created this book's Hardcover library entry (the user may remove it)."""
        return match_actions.owns_entry(get_match(book_id))

    async def sync_all(
        self,
        *,
        matched: Callable[[MatchProgress], None] | None = None,
        pushed: Callable[[SyncProgress], None] | None = None,
        cancel: asyncio.Event | None = None,
        book_ids: Sequence[int] | None = None,
        waiting: Callable[[str], None] | None = None,
    ) -> SyncReport:
        """ "Sync Now": match what is not matched yet, then push every changed book (or only
        `book_ids`); `cancel` stops the pass between books and holds the rest back until the
        next sync; `waiting` hears when another BookOrbit process's pass is waited for."""
        return await SyncService(self.account).sync(
            book_ids, progress=pushed, match_progress=matched, cancel=cancel, waiting=waiting
        )

    def decline(self, book_ids: Sequence[int]) -> int:
        """The user cancelled the review that showed these books: they are held until the user
        sends or discards them (`hardcover.sync.declined`); how many books are held."""
        return SyncService(self.account).decline(book_ids)

    def held_books(self) -> list[int]:
        """The books a Cancel holds."""
        return SyncService(self.account).held()

    def discard_preview(self, book_ids: Sequence[int] | None = None) -> tuple[int, int]:
        """What Discard would do: (books that take Hardcover's values back, books not on
        Hardcover it would exclude)."""
        plan = declined.plan_discard(book_ids)
        return len(plan.values), len(plan.excluded)

    def discard_held(self, book_ids: Sequence[int] | None = None) -> str:
        """Discard what a Cancel held (None: every held book); the result in words."""
        return SyncService(self.account).discard_held(book_ids).text

    async def preview_all(
        self, *, matched: Callable[[MatchProgress], None] | None = None
    ) -> SyncReport:
        """Match what is not matched yet, then work out what a pass would send (sends
        nothing): the review before a big sync."""
        return await SyncService(self.account).sync(dry_run=True, match_progress=matched)

    def excluded_count(self) -> int:
        return HardcoverMatch.select().where(HardcoverMatch.state == EXCLUDED).count()

    async def search(self, book_id: int, query: str = "") -> tuple[str, list[dict[str, Any]]]:
        """Search Hardcover (title and author when `query` is empty), weighed against the book."""
        async with self._client() as client:
            return await match_actions.search_candidates(client, book_id, query or None)

    async def editions(self, hc_book_id: int) -> list[EditionRow]:
        """The editions of a Hardcover book, most-used first."""
        async with self._client() as client:
            records = await client.editions_for_books([hc_book_id])
        rows: list[EditionRow] = []
        for record in records:
            edition = edition_from_record(record)
            rows.append(
                EditionRow(
                    id=edition.id,
                    description=describe_edition(edition),
                    year=edition.release_year,
                )
            )
        return rows

    async def pick(self, book_id: int, hc_book_id: int, edition_id: int | None = None) -> str:
        async with self._client() as client:
            result = await match_actions.pick(client, book_id, hc_book_id, edition_id=edition_id)
        return result.message

    async def send_position(self, book_id: int) -> SyncReport:
        """ "Send this position anyway": the library's page, even where Hardcover is ahead."""
        return await SyncService(self.account).sync([book_id], allow_rewind=True, match=False)

    async def rematch(self, book_id: int) -> str:
        """Forget the link; the book's Hardcover entry stays as it is."""
        result = await match_actions.rematch(book_id, None)
        return result.message

    async def exclude(self, book_id: int) -> str:
        """Stop syncing the book; its Hardcover entry stays as it is."""
        result = await match_actions.exclude(book_id, None)
        return result.message

    def entry_contents(self, book_id: int) -> str | None:
        """What removing the book's Hardcover entry would take with it, in words; None when
        BookOrbit may not remove it (it did not create it, or there is none)."""
        if not self.owns_entry(book_id):
            return None
        return ledger.entry_contents(book_id) or "the entry"

    async def remove_entry(self, book_id: int) -> str:
        """Remove the Hardcover entry BookOrbit created for the book: the user confirmed it."""
        async with self._client() as client:
            result = await match_actions.remove_entry(book_id, client)
        return result.message

    def include(self, book_id: int) -> str:
        return match_actions.include(book_id).message

    def add_again(self, book_id: int) -> str:
        """Undo Remove Entry on purpose: the next sync adds the book to Hardcover again."""
        return match_actions.add_again(book_id).message

    def lead(self, book_id: int) -> str:
        """Let this copy speak for the Hardcover book its other copies link to too."""
        return match_actions.lead(book_id)
