"""Reads added, changed or deleted on hardcover.app, found by their own id.

A read ("Dates Read") has no `updated_at` of its own, and Hardcover promises nothing about its
entry's moving when one is added, edited or deleted on hardcover.app. So a pull that is not full
also reads the user's reads themselves (`PullReads`), newest first, 100 a page, at most
`PAGES` pages (one token each): every read after the newest one the stored entries know (added
since), then the next stretch of a sweep down through the others, which goes on from where the
last pull's stopped (`SWEEP_BELOW`) and starts again at the top once it reaches the bottom. Up to
about 200 reads, each pull sees every read; more are all seen within a few pulls, and the daily
full pull reads every entry with its reads anyway.

Each entry one of whose reads was added, changed or found gone (a stored read within the stretch
swept that Hardcover no longer lists) is stored with its reads as they are now, by their ids,
and weighed by the pull's rule like any entry read (`run._keep`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import BadResponseError
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.checked import LEFT_OUT, LeftOut, checked_reads
from bookorbit_desktop.hardcover.pull.fetch import PAGE
from bookorbit_desktop.library.store.off_loop import off_loop

PAGES = 2  # requests a pull spends on reads at most
SWEEP_BELOW = "reads_sweep_below"  # the sweep goes on below this read id
TOP = 2**31 - 1  # above every id (GraphQL Int)


@dataclass
class ReadChanges:
    rows: list[store.PulledRow] = field(default_factory=list)  # entries with reads changed
    reads: int = 0  # reads added, changed or deleted
    left_out: list[LeftOut] = field(default_factory=list)
    place: dict[str, str | None] = field(default_factory=dict)


async def read_changes(
    client: HardcoverClient, user_id: int, below_mark: str | None
) -> ReadChanges:
    """The entries whose reads changed on Hardcover since they were stored, and the sweep's
    place after this pull."""
    entries = await off_loop(store.stored_rows)
    owner = {read["id"]: row.user_book_id for row in entries for read in _reads(row)}
    newest = max(owner, default=0)
    below = min(int(below_mark or TOP), newest + 1)
    found: list[Mapping[str, Any]] = []
    before, lowest, short = TOP, TOP, False
    for _ in range(PAGES):
        variables = {"userId": user_id, "before": before, "below": below, "newest": newest}
        rows = (await client.execute("PullReads", variables)).get("user_book_reads") or []
        if not isinstance(rows, list):
            raise BadResponseError(200, "the reads are not a list")
        found += [r for r in rows if isinstance(r, Mapping) and type(r.get("id")) is int]
        if len(rows) < PAGE:
            short = True
            break
        before = lowest = min(int(r["id"]) for r in found)
    # The stored reads this pull swept: all below `below` once the sweep reached the bottom.
    swept_from = 0 if short else lowest
    next_below = newest + 1 if short else (lowest if lowest <= newest else below)
    changes = ReadChanges(place={SWEEP_BELOW: str(next_below)})
    by_entry: dict[int, list[Mapping[str, Any]]] = {}
    for raw in found:
        by_entry.setdefault(_whole(raw.get("user_book_id")), []).append(raw)
    today = dt.date.today()
    for row in entries:
        kept = [r for r in _reads(row) if not swept_from <= r["id"] < below]
        fresh = [r for r in by_entry.get(row.user_book_id, ()) if r["id"] not in _ids(kept)]
        if not fresh and len(kept) == len(_reads(row)):
            continue  # nothing of this entry was swept
        checked, left_out = checked_reads(row.user_book_id, row.title, fresh, today)
        reads = sorted([*kept, *checked], key=lambda r: r["id"])
        differ = _differing(_reads(row), reads)
        if differ:
            changes.rows.append(replace(row, entry={**row.entry, "reads": reads}))
            changes.reads += differ
            changes.left_out += left_out
    return changes


def _reads(row: store.PulledRow) -> list[dict[str, Any]]:
    return list(row.entry.get("reads") or ())


def _ids(reads: list[dict[str, Any]]) -> set[int]:
    return {r["id"] for r in reads}


def _whole(value: Any) -> int:
    return value if type(value) is int else 0


def _differing(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> int:
    """How many reads were added, changed or deleted (by id)."""
    old = {r["id"]: _values(r) for r in before}
    new = {r["id"]: _values(r) for r in after}
    return sum(1 for i in old.keys() | new.keys() if old.get(i) != new.get(i))


def _values(read: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in read.items() if k != LEFT_OUT} | {
        LEFT_OUT: sorted(read.get(LEFT_OUT) or ())
    }
