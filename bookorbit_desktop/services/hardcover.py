"""The Hardcover account and book matching as the window sees them, in plain data.

Every network action opens a client for the saved token and closes it afterwards (the
account's `open_client`), so no HTTP session outlives the action that needed it; cancelling
the task that runs an action closes its client too. Errors are `BookOrbitError`s with a title
and a message (token refused, scope missing, rate limited, network down), shown as they are.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypedDict

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import TOKEN_PAGE_URL
from bookorbit_desktop.hardcover.matching import actions as match_actions
from bookorbit_desktop.hardcover.matching.catalog import edition_from_record
from bookorbit_desktop.hardcover.matching.editions import describe_edition
from bookorbit_desktop.hardcover.matching.matcher import MatchProgress
from bookorbit_desktop.hardcover.matching.store import EXCLUDED, get_match
from bookorbit_desktop.hardcover.sync import copies, ledger
from bookorbit_desktop.hardcover.sync import store as sync_store
from bookorbit_desktop.hardcover.sync.plan import awaiting_review
from bookorbit_desktop.hardcover.sync.results import SyncProgress
from bookorbit_desktop.hardcover.sync.waiting import Waiting
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.links import book_url
from bookorbit_desktop.library.store.models import HardcoverMatch, database
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.library.store.sql import in_list
from bookorbit_desktop.services import token_health
from bookorbit_desktop.services.dashboard.rows import PageListing, PageQuery, read_listing
from bookorbit_desktop.services.dashboard.unchanged import Unchanged
from bookorbit_desktop.services.hardcover_account import SYNC_ENABLED_KEY, HardcoverAccount
from bookorbit_desktop.services.library import MatchInfo
from bookorbit_desktop.services.sync import SyncReport, SyncService

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
    pending: int = 0  # books Sync Now would send: a queued change, or never confirmed
    to_match: int = 0  # books Sync Now would look up first (`hardcover.sync.waiting`)
    held: int = 0  # books the user's Cancel held back until their next sync
    awaiting_review: int = 0  # new books the worker leaves for the user's review
    to_pick: int = 0  # books being read whose Hardcover match waits for the user's choice
    features_off: tuple[tuple[str, str], ...] = ()  # (scope, feature) the token turns off
    token_expiry: str | None = None  # "The Hardcover token expires on … (in 3 days)."
    token_expiry_soon: bool = False  # within the week before it (or past): a warning


class EditionRow(TypedDict):
    id: int
    description: str  # "ebook · en · 412 pages · 1,234 readers"
    year: int | None


def copies_conflict(statuses: Sequence[str]) -> str | None:
    """ "2 copies linked: Read and Want to Read": copies of one Hardcover book that disagree.
    The entry gets the furthest status (`hardcover.sync.copies`); the user can settle it."""
    return copies.conflict(statuses)


UNKNOWN_LINKED_BOOK = "A Hardcover book whose title is not stored yet"
UNTITLED_BOOK = "Untitled book"


# The words for an edition's format, by what its stored description starts with
# ("Kindle Edition · en · 412 pages"): Hardcover's edition_format or its reading format.
_FORMAT_WORDS = (
    (re.compile(r"audio|audible", re.IGNORECASE), "audiobook"),
    (re.compile(r"e-?book|kindle|epub|kobo|nook|digital", re.IGNORECASE), "ebook"),
    (re.compile(r"paperback|mass market|softcover", re.IGNORECASE), "paperback"),
    (re.compile(r"hardcover|hardback|hard cover", re.IGNORECASE), "hardcover"),
    (re.compile(r"^physical$", re.IGNORECASE), "print"),
)
_PAGES = re.compile(r"([\d,]+) pages")
NO_FORMAT = "format not stored"


def edition_words(description: str | None, pages: int | None) -> str | None:
    """ "ebook, 412 pages" for the linked edition, from its stored description and the pages
    stored with the link (which win); None when nothing is known of it."""
    first = (description or "").split(" · ")[0].strip()
    if pages is None and (found := _PAGES.search(description or "")):
        pages = int(found.group(1).replace(",", ""))
    words = next((word for pattern, word in _FORMAT_WORDS if pattern.search(first)), None)
    if words is None and first and first.casefold() not in {"unknown", "no page count"}:
        words = first.casefold()
    if pages is None:
        return words
    return f"{words or NO_FORMAT}, {pages:,} pages"


def _summary(
    record_candidates: list[dict[str, Any]], hc_book_id: int | None, pages: int | None = None
) -> str | None:
    """ "Dune — Frank Herbert (1965), ebook, 412 pages" for the linked candidate and edition
    (`pages`: the linked edition's, when stored)."""
    if hc_book_id is None:
        return None
    chosen = next((c for c in record_candidates if c.get("book_id") == hc_book_id), None)
    if chosen is None:  # its id stays in MatchInfo.hc_book_id, for links and tooltips
        return UNKNOWN_LINKED_BOOK
    authors = ", ".join(chosen.get("authors") or [])
    year = f" ({chosen['year']})" if chosen.get("year") else ""
    text = f"{chosen.get('title') or UNTITLED_BOOK}{' — ' + authors if authors else ''}{year}"
    edition = edition_words(chosen.get("edition"), pages)
    return f"{text}, {edition}" if edition else text


# Every stored match with its sync state, for the page: the stored candidate that is the
# linked Hardcover book comes as JSON text (NULL when none is).
_MATCH_DETAILS = (
    "SELECT m.book_id, m.state, m.reason, m.hc_book_id, m.hc_edition_id, m.edition_pages, "
    "m.pinned, m.user_book_id IS NOT NULL AND m.created_by_us, s.state, s.reason, "
    "CASE WHEN m.hc_book_id IS NOT NULL THEN (SELECT value FROM json_each("
    "CASE WHEN json_valid(m.candidates) THEN m.candidates ELSE '[]' END) "
    "WHERE json_extract(value, '$.book_id') = m.hc_book_id LIMIT 1) END "
    "FROM hardcover_match AS m LEFT JOIN hardcover_sync AS s ON s.book_id = m.book_id"
)


@dataclass(frozen=True)
class HardcoverPage:
    status: HardcoverStatus
    listing: PageListing | None  # the page's rows, if read


def match_details(book_ids: Sequence[int] | None = None) -> dict[int, MatchInfo]:
    """Every stored match (or these books'), for the Hardcover page and the sync review.

    SQLite picks the linked candidate out of a linked row's stored list and joins the sync state,
    in one plain query; the books asked for (one JSON array) are looked up by key, however many.
    """
    ids = () if book_ids is None else (json.dumps(list(book_ids)),)
    where = " WHERE m.book_id IN (SELECT value FROM json_each(?))" if ids else ""
    result: dict[int, MatchInfo] = {}
    for row in database.execute_sql(_MATCH_DETAILS + where, ids):
        book_id, state, reason, hc_book_id, hc_edition_id, pages, pinned, own, *synced = row
        sync_state, sync_reason, linked = synced
        candidate = json.loads(linked) if linked else None
        result[book_id] = MatchInfo(
            state=state,
            reason=reason,
            summary=_summary([candidate] if candidate else [], hc_book_id, pages),
            hc_book_id=hc_book_id,
            hc_edition_id=hc_edition_id,
            edition_pages=pages,
            pinned=bool(pinned),
            sync_state=sync_state,
            sync_reason=sync_reason,
            url=book_url(candidate.get("slug")) if candidate else None,
            cover_url=candidate.get("image_url") if candidate else None,
            own_entry=bool(own),
        )
    return result


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
        work, held, review, to_pick = self._work()
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
            pending=work.to_push,
            to_match=work.to_match,
            held=held,
            awaiting_review=review,
            to_pick=to_pick,
            features_off=tuple(token_health.features_off()) if status.connected else (),
            token_expiry=expiry,
            token_expiry_soon=soon,
        )

    def _read_work(self) -> tuple[Waiting, int, int, int]:
        """What the next sync would do, counted over the whole library."""
        held = outbox.held_count()
        return sync_store.waiting_work(), held, awaiting_review(), sync_store.to_pick_count()

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
            summary=_summary(record.candidates, record.hc_book_id, record.edition_pages),
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
