"""The sync engine's conversation with Hardcover: read entries in batches, send one write.

Every write answers with the whole entry (`UserBookFields`), which becomes the reconciler's
next view of Hardcover. When an answer carries no entry (Hardcover sometimes returns success
with a null object) or never arrives, the entry is read back before anything else is decided,
so a write that did happen is seen and never repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bookorbit_desktop.hardcover.api.client import PAGE_SIZE, HardcoverClient
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    GraphQLResponseError,
    HardcoverError,
    MutationError,
    NetworkError,
    RateLimitedError,
    RequestRejectedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.api.records import to_float, to_int
from bookorbit_desktop.hardcover.sync.model import Read, Remote
from bookorbit_desktop.hardcover.sync.reconcile import (
    INSERT_ENTRY,
    INSERT_READ,
    UPDATE_ENTRY,
    UPDATE_READ,
    Action,
)
from bookorbit_desktop.hardcover.sync.steps import DELETE_READ

BOOKS_PER_LOOKUP = 100  # Hardcover book ids per UserBooksByBooks request (one rate token)


def _date(value: Any) -> str | None:
    return str(value)[:10] if value else None


def remote_from(raw: Mapping[str, Any]) -> Remote:
    """A `UserBookFields` answer as a `Remote`."""
    reads = tuple(
        Read(
            id=int(r["id"]),
            started=_date(r.get("started_at")),
            finished=_date(r.get("finished_at")),
            pages=to_int(r.get("progress_pages")),
            edition_id=to_int(r.get("edition_id")),
            edition_pages=_pages_of(r.get("edition")),
        )
        for r in raw.get("user_book_reads") or ()
    )
    return Remote(
        user_book_id=int(raw["id"]),
        book_id=int(raw["book_id"]),
        status_id=to_int(raw.get("status_id")) or 1,
        rating=to_float(raw.get("rating")),
        privacy_id=to_int(raw.get("privacy_setting_id")) or 1,
        edition_id=to_int(raw.get("edition_id")),
        date_added=_date(raw.get("date_added")),
        reads=tuple(sorted(reads, key=lambda r: r.id)),
        edition_pages=_pages_of(raw.get("edition")),
    )


def _pages_of(edition: Any) -> int | None:
    pages = to_int(edition.get("pages")) if isinstance(edition, Mapping) else None
    return pages if pages and pages > 0 else None


async def fetch_entries(
    client: HardcoverClient, user_id: int, hc_book_ids: Iterable[int]
) -> dict[int, Remote]:
    """The user's entries for these Hardcover books, by book id (absent: not on the shelf)."""
    wanted = sorted({int(i) for i in hc_book_ids})
    found: dict[int, Remote] = {}
    for start in range(0, len(wanted), BOOKS_PER_LOOKUP):
        chunk = wanted[start : start + BOOKS_PER_LOOKUP]
        offset = 0
        while True:
            variables = {"userId": user_id, "bookIds": chunk, "offset": offset}
            rows = (await client.execute("UserBooksByBooks", variables)).get("user_books") or []
            for row in rows:
                entry = remote_from(row)
                # One entry per book is the rule; should there be two, keep the oldest.
                found.setdefault(entry.book_id, entry)
            if len(rows) < PAGE_SIZE:
                break
            offset += len(rows)
    return found


async def fetch_entry(client: HardcoverClient, user_id: int, hc_book_id: int) -> Remote | None:
    rows = (await client.execute("UserBookByBook", {"userId": user_id, "bookId": hc_book_id})).get(
        "user_books"
    ) or []
    return remote_from(rows[0]) if rows else None


_OPERATIONS = {
    INSERT_ENTRY: ("InsertUserBook", "insert_user_book"),
    UPDATE_ENTRY: ("UpdateUserBook", "update_user_book"),
    INSERT_READ: ("InsertUserBookRead", "insert_user_book_read"),
    UPDATE_READ: ("UpdateUserBookRead", "update_user_book_read"),
    DELETE_READ: ("DeleteUserBookRead", "delete_user_book_read"),
}


def variables_for(action: Action) -> dict[str, Any]:
    if action.kind == INSERT_ENTRY:
        return {"object": action.fields}
    if action.kind == UPDATE_ENTRY:
        return {"id": action.target, "object": action.fields}
    if action.kind == INSERT_READ:
        return {"userBookId": action.target, "read": action.fields}
    if action.kind == DELETE_READ:
        return {"id": action.target}
    return {"id": action.target, "read": action.fields}


async def send(
    client: HardcoverClient, action: Action, *, user_id: int, hc_book_id: int
) -> Remote | None:
    """Send one write; the entry as Hardcover has it afterwards (read back when the answer
    does not carry it). An error of the write's own request is `refused` when Hardcover
    certainly did not carry it out (`carried_out_nothing`)."""
    name, field = _OPERATIONS[action.kind]
    try:
        data = await client.execute(name, variables_for(action))
    except HardcoverError as error:
        error.refused = carried_out_nothing(error)
        raise
    answer = data.get(field) or {}
    entry = answer.get("user_book")
    if entry is None and isinstance(answer.get("user_book_read"), Mapping):
        entry = answer["user_book_read"].get("user_book")
    if entry:
        return remote_from(entry)
    return await fetch_entry(client, user_id, hc_book_id)


def carried_out_nothing(error: HardcoverError) -> bool:
    """No attempt of the write can have been carried out: Hardcover refused it (its own
    `error`, GraphQL `errors`, a 4xx for the token, its scope or the rate limit) after no
    attempt that may have been. For a failure with no usable answer (`NetworkError`,
    `UnavailableError`): no attempt is still open, so an entry read back without the write
    shows it never will be."""
    if isinstance(error, (NetworkError, UnavailableError)):
        return not error.may_still_land
    refusals = (
        MutationError,
        GraphQLResponseError,  # an `errors` answer: the operation ran in none of its parts
        RequestRejectedError,
        AuthError,
        ScopeError,
        RateLimitedError,
    )
    return isinstance(error, refusals) and not error.maybe_applied


async def canonical_book(client: HardcoverClient, hc_book_id: int) -> int | None:
    """The book a merged Hardcover book now lives on, or None if it was not merged."""
    row = (await client.execute("BookCanonical", {"id": hc_book_id})).get("books_by_pk")
    if not row:
        return None
    canonical = to_int(row.get("canonical_id"))
    return canonical if canonical and canonical != hc_book_id else None
