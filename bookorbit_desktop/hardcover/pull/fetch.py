"""Reading the user's entries and lists from Hardcover, a page at a time.

Pages hold at most 100 rows (Hardcover's cap) and are ordered by (updated_at, id), a unique key.
Each page asks for the rows after the last one read, by that key rather than an offset: a row
changed while a pass runs moves to its end and is read again instead of pushing another past a
page edge, rows stamped in the same instant are told apart by their id, and a pass after which
nothing changed reads no row again. A page shorter than 100 is the last. The books of a list
longer than 100 (the nested rows' cap) are read on by offset in id order, within that pass.
Each page is one request with one top-level field: one rate token, paced by the client's
limiter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import BadResponseError
from bookorbit_desktop.hardcover.api.records import to_int

PAGE = 100
EPOCH = "1970-01-01T00:00:00+00:00"


async def entry_pages(
    client: HardcoverClient, user_id: int, since: str, after_id: int = 0
) -> AsyncIterator[tuple[list[Mapping[str, Any]], tuple[str, int]]]:
    """Pages of the user's entries changed after the cursor (`since`, `after_id`), oldest
    change first, each with the cursor after it (its last row's timestamp and id)."""
    cursor = (since, after_id)
    while True:
        variables = {"userId": user_id, "since": cursor[0], "afterId": cursor[1]}
        rows = (await client.execute("PullUserBooks", variables)).get("user_books") or []
        if not isinstance(rows, list):
            raise BadResponseError(200, "the entries are not a list")
        cursor = _after(rows, cursor)
        yield rows, cursor
        if len(rows) < PAGE:
            return


def _after(rows: list[Any], cursor: tuple[str, int]) -> tuple[str, int]:
    """The key of the page's last row that has one (a whole-number id, a timestamp or none);
    the cursor as it was when none has. A full page without one cannot be paged past."""
    for row in reversed(rows):
        row_id = row.get("id") if isinstance(row, Mapping) else None
        stamp = row.get("updated_at") if isinstance(row, Mapping) else None
        if type(row_id) is int and (stamp is None or _timestamp(stamp)):
            return (stamp or cursor[0], row_id)
    if len(rows) >= PAGE:
        raise BadResponseError(200, "a page of entries without ids")
    return cursor


def _timestamp(value: Any) -> bool:
    try:
        dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return isinstance(value, str)


async def list_pages(
    client: HardcoverClient, user_id: int, since: str, after_id: int = 0
) -> AsyncIterator[tuple[list[dict[str, Any]], tuple[str, int]]]:
    """Pages of the user's lists changed after the cursor (`since`, `after_id`), oldest change
    first, each list with all its books, each page with the cursor after it."""
    cursor = (since, after_id)
    while True:
        variables = {"userId": user_id, "since": cursor[0], "afterId": cursor[1]}
        rows = (await client.execute("PullLists", variables)).get("lists") or []
        if rows:
            cursor = (str(rows[-1].get("updated_at") or cursor[0]), int(rows[-1]["id"]))
        page = []
        for row in rows:
            books = list(row.get("list_books") or [])
            if len(books) >= PAGE:  # the nested rows stop at 100: read the rest on their own
                books += await _more_list_books(client, int(row["id"]), len(books))
            page.append(
                {
                    "id": int(row["id"]),
                    "name": row.get("name") or "",
                    "slug": row.get("slug"),
                    "updated_at": row.get("updated_at"),
                    "book_ids": [to_int(b.get("book_id")) for b in books],
                }
            )
        yield page, cursor
        if len(rows) < PAGE:
            return


async def _more_list_books(
    client: HardcoverClient, list_id: int, offset: int
) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    while True:
        variables = {"listId": list_id, "offset": offset}
        rows = (await client.execute("PullListBooks", variables)).get("list_books") or []
        found += rows
        offset += len(rows)
        if len(rows) < PAGE:
            return found
