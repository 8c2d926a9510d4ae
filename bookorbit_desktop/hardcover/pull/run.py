"""One pull pass: read what changed on Hardcover, keep it, and bring it into the library.

Every door (the window's worker, Sync Now, the tray, `serve`, the command line) reads only what
changed after the high-water marks, the (updated_at, id) of the newest entry and of the newest
list read: a row stamped in the same instant but with a larger id is still read, none is read
twice, and a pass after which nothing changed costs one request for each (`fetch`). The marks
live in the library with the account they belong to, so a new process goes on where the last
one stopped. A full pass reads every entry and list, 100 a page: when asked (`--full`), the
first time (no mark, or another account's), to finish one cut short, and once a day
(`FULL_EVERY`), which is how an entry removed on hardcover.app is noticed.
Both are paged by that key, not an offset, so a row changed during a pass moves to its end and
no row is skipped. Each page is checked (a value that fails is left out, with a line in the
result and the log), applied, then kept with the pull's place in one transaction: a process
killed mid-pull resumes a full pass at the page it stopped on. A pull that fails (429, a lost
connection, Hardcover unavailable, an answer that is not Hardcover's) says so in `status()` and
loses nothing; a refused token stops it like any request. A token without `read:lists` leaves
the lists out (kept as last pulled, listed in `off`) and the rest of the pull runs and keeps its
place.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import (
    AuthError,
    BadResponseError,
    NetworkError,
    RateLimitedError,
    ScopeError,
    UnavailableError,
)
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.apply import Applied, apply_rows
from bookorbit_desktop.hardcover.pull.checked import checked_row
from bookorbit_desktop.hardcover.pull.fetch import EPOCH, entry_pages, list_pages
from bookorbit_desktop.hardcover.pull.reads import SWEEP_BELOW, read_changes
from bookorbit_desktop.library.store.off_loop import off_loop

LAST_AT, LAST_ERROR, LAST_FULL_AT = "last_at", "last_error", "last_full_at"
LAST_REFUSED = "last_refused"  # the last pull's token was refused: no retry before reconnecting
LISTS_SCOPE = "read:lists"  # what reading the user's lists needs
FULL_EVERY = 24 * 3600.0  # seconds between full passes: entries removed on hardcover.app go
log = logging.getLogger(__name__)


@dataclass
class PullResult:
    full: bool = False
    entries: int = 0
    lists: int = 0
    reads: int = 0  # reads added, changed or deleted on Hardcover (`reads`)
    requests: int = 0
    followed: list[tuple[int, str]] = field(default_factory=list)
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # Hardcover's values refused (`checked`)
    error: str | None = None
    refused: bool = False  # the token was refused: nothing more should be sent with it
    off: list[str] = field(default_factory=list)  # scopes the token lacks: their part left out

    def to_json(self) -> dict[str, Any]:
        return {
            "full": self.full,
            "entries": self.entries,
            "lists": self.lists,
            "reads": self.reads,
            "requests": self.requests,
            "followed": [list(f) for f in self.followed],
            "conflicts": [list(c) for c in self.conflicts],
            "left_out": list(self.left_out),
            "error": self.error,
            "off": list(self.off),
        }


async def pull(
    client: HardcoverClient,
    user_id: int,
    *,
    full: bool = False,
    reads: bool = True,
    now: Callable[[], float] = time.time,
) -> PullResult:
    """One pass; full when asked or due (`full_due`), else what changed since the marks, and
    with `reads` the reads changed on their own (`pull.reads`). Passing trouble ends the pass
    early with `error` set."""
    place = await off_loop(_place)
    if place[store.USER] != str(user_id):  # another account's marks say nothing of this one
        place = {key: value if key == store.FULL_PASS else None for key, value in place.items()}
    full = full or full_due(place, now())
    result = PullResult(full=full)
    before = client.requests_sent
    try:
        if full:
            await _full(client, user_id, place, result)
        else:
            await _since(client, user_id, place, result, reads=reads)
    except AuthError as error:
        result.error, result.refused = error.message, True
    except (
        RateLimitedError,
        NetworkError,
        UnavailableError,
        ScopeError,
        BadResponseError,
    ) as error:
        result.error = f"{error.title}: {error.message}"
    finally:
        result.requests = client.requests_sent - before
        await off_loop(_finish, result, now())
    return result


def full_due(place: Mapping[str, str | None], now: float) -> bool:
    """Is a full pass due: no mark yet, one cut short, or none for `FULL_EVERY`?"""
    if place[store.SINCE] is None or place[store.FULL_OFFSET] is not None:
        return True
    last_full = place[LAST_FULL_AT]
    return last_full is None or now - float(last_full) >= FULL_EVERY


def _place() -> dict[str, str | None]:
    keys = [store.SINCE, store.SINCE_ID, store.FULL_OFFSET, store.FULL_PASS, store.FULL_MAX]
    keys += [store.LISTS_SINCE, store.LISTS_SINCE_ID, store.USER, LAST_FULL_AT, SWEEP_BELOW]
    return {key: store.state(key) for key in keys}


def _finish(result: PullResult, at: float) -> None:
    now = str(at)
    values = {LAST_AT: now, LAST_ERROR: result.error, LAST_REFUSED: "1" if result.refused else None}
    if result.full and result.error is None:
        values[LAST_FULL_AT] = now
    store.set_state(values)


def status() -> dict[str, Any]:
    """When the last pull ran, whether it failed, and its mark."""
    at, full_at = store.state(LAST_AT), store.state(LAST_FULL_AT)
    return {
        "last_at": float(at) if at else None,
        "last_full_at": float(full_at) if full_at else None,
        "error": store.state(LAST_ERROR),
        "refused": store.state(LAST_REFUSED) is not None,
        "since": store.state(store.SINCE),
        "resuming": store.state(store.FULL_OFFSET) is not None,
    }


def _keep(rows: list[Any], pass_no: int, place: dict[str, str | None]) -> tuple[Applied, list[str]]:
    """One page checked (`checked`), applied, and kept with the pull's place after it; what
    was applied, and a line for each value left out (logged, one line each)."""
    today = dt.date.today()
    pulled = []
    left_out: list[str] = []
    for raw in rows:
        row, refused = checked_row(raw, today)
        if row is not None:
            pulled.append(row)
        for value in refused:
            line = value.line()
            log.warning("Pull: %s", line)
            left_out.append(line)
    return _apply_and_save(pulled, pass_no, place), left_out


def _apply_and_save(
    rows: list[store.PulledRow], pass_no: int, place: Mapping[str, str | None]
) -> Applied:
    applied = apply_rows(rows)
    store.save_page(rows, pass_no, place)
    return applied


async def _full(
    client: HardcoverClient, user_id: int, place: dict[str, str | None], result: PullResult
) -> None:
    resuming = place[store.FULL_OFFSET] is not None
    pass_no = int(place[store.FULL_PASS] or 0) + (0 if resuming else 1)
    cursor = (place[store.FULL_OFFSET] or EPOCH, int(place[store.FULL_MAX] or 0))
    # Paged by the (updated_at, id) key: an entry changed meanwhile is read again at the end.
    async for rows, after in entry_pages(client, user_id, *cursor):
        cursor = after
        mark = {store.FULL_OFFSET: after[0], store.FULL_MAX: str(after[1])}
        mark |= {store.FULL_PASS: str(pass_no), store.USER: str(user_id)}
        kept = await off_loop(_keep, rows, pass_no, mark)
        _count(result, rows, kept)
    lists_mark = await _lists(client, user_id, (EPOCH, 0), pass_no, result)

    def done() -> None:
        store.forget_unseen(pass_no)
        if LISTS_SCOPE not in result.off:  # lists not read: kept as last pulled
            store.forget_unseen_lists(pass_no)
        store.set_state(
            {
                store.SINCE: cursor[0],
                store.SINCE_ID: str(cursor[1]),
                store.LISTS_SINCE: lists_mark[0],
                store.LISTS_SINCE_ID: str(lists_mark[1]),
                store.FULL_OFFSET: None,
                store.FULL_MAX: None,
                store.USER: str(user_id),
            }
        )

    await off_loop(done)


async def _since(
    client: HardcoverClient,
    user_id: int,
    place: dict[str, str | None],
    result: PullResult,
    *,
    reads: bool,
) -> None:
    cursor = (place[store.SINCE] or EPOCH, int(place[store.SINCE_ID] or 0))
    pass_no = int(place[store.FULL_PASS] or 0)
    async for rows, after in entry_pages(client, user_id, *cursor):
        mark = {store.SINCE: after[0], store.SINCE_ID: str(after[1])}
        kept = await off_loop(_keep, rows, pass_no, mark)
        _count(result, rows, kept)
    lists_mark = (place[store.LISTS_SINCE] or EPOCH, int(place[store.LISTS_SINCE_ID] or 0))
    await _lists(client, user_id, lists_mark, pass_no, result)
    if not reads:
        return
    found = await read_changes(client, user_id, place[SWEEP_BELOW])
    applied = await off_loop(_apply_and_save, found.rows, pass_no, found.place)
    result.reads += found.reads
    result.followed += applied.followed
    result.conflicts += applied.conflicts
    for value in found.left_out:
        log.warning("Pull: %s", value.line())
        result.left_out.append(value.line())


async def _lists(
    client: HardcoverClient,
    user_id: int,
    cursor: tuple[str, int],
    pass_no: int,
    result: PullResult,
) -> tuple[str, int]:
    """The lists changed after the cursor (their (updated_at, id) key); each page kept with
    the cursor after it, which is returned. A token without `read:lists` reads none: the
    feature is off (`result.off`), the rest of the pull goes on."""
    try:
        async for page, after in list_pages(client, user_id, *cursor):
            cursor = after
            mark = {store.LISTS_SINCE: after[0], store.LISTS_SINCE_ID: str(after[1])}
            await off_loop(store.save_lists, page, pass_no, mark)
            result.lists += len(page)
    except ScopeError as error:
        log.warning("Pull: lists left out, the token lacks %s", error.scope or LISTS_SCOPE)
        result.off.append(LISTS_SCOPE)
    return cursor


def _count(result: PullResult, rows: list[Any], kept: tuple[Applied, list[str]]) -> None:
    applied, left_out = kept
    result.entries += len(rows)
    result.followed += applied.followed
    result.conflicts += applied.conflicts
    result.left_out += left_out


async def pull_before(client: HardcoverClient, user_id: int, dry_run: bool) -> PullResult | None:
    """The pull a sync pass starts with (what changed since the marks, `pull`); none for a
    dry run (it would change the library). Reads changed on their own are left to the pulls
    on their schedule: the push reads the reads of every entry it sends anyway."""
    if dry_run:
        return None
    return await pull(client, user_id, reads=False)
