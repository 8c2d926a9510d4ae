"""Storing one export without holding the library's writer, which kosync pushes need.

A re-sent export of a long book can change thousands of highlights at once. Done as one job
on the writer it held every push behind it for seconds. So the work is split: the book and
its stored highlights are read on a reader thread (`received.snapshot`), the merge
(`rules.plan`, linear) runs on a thread of its own, and only the changes go to the writer, in
parts of `PART_ROWS` highlights, each a short transaction of its own, so pushes queued
meanwhile go in between. The receiver merges one export at a time (`MERGES`), so two posts
for the same book never plan from the same snapshot. Parts already stored stay when a later
one fails; the device's next export completes them (a merge never duplicates). Before its
first write an export for a book the library does not know is held to `waiting_cap` (past
it, `WaitingFull`), and every export, known book or not, pays what it adds from the
receiver's `growth` budget (past it, `GrowthRefused`); a refused export stores nothing (one
merge at a time, so the checks hold until the writes).
"""

from __future__ import annotations

import asyncio
import functools

from bookorbit_desktop.guards.rate import AddressRate
from bookorbit_desktop.library.highlights import store, waiting_cap
from bookorbit_desktop.library.highlights.received import Export, Received, finish, snapshot
from bookorbit_desktop.library.highlights.rules import Plan, plan
from bookorbit_desktop.library.highlights.store import Recorded
from bookorbit_desktop.server.highlights import growth
from bookorbit_desktop.server.workers import DbWorkers

PART_ROWS = 250  # highlights per write: a few milliseconds of the writer each
STEP_SECONDS = 30.0  # one step may wait this long behind others on a slow disk


async def store_export(
    workers: DbWorkers, export: Export, origin: str, now: float, budget: AddressRate
) -> Received:
    """Record `export` in the library, paid from `budget` (see the module docstring)."""
    target, stored = await workers.read(snapshot, export, wait=STEP_SECONDS)
    result: Plan = await asyncio.to_thread(plan, stored, export.entries)
    before = {row.id: row.entry for row in stored}
    updated = [(before[row_id], entry) for row_id, entry in result.updated]
    waiting = target.book_id is None  # a waiting highlight keeps its title and authors
    title, authors = (target.title, target.authors) if waiting else ("", "")
    added, grown = waiting_cap.growth(title, authors, result.added, updated)
    if waiting:
        refused = await workers.read(waiting_cap.refusal, origin, added, grown, wait=STEP_SECONDS)
        if refused is not None:
            raise waiting_cap.WaitingFull(refused)
    growth.spend(budget, origin, growth.cost(added, grown))
    write = functools.partial(store.write, source=store.SOURCE_XMNOTE, origin=origin, now=now)
    for start in range(0, len(result.added), PART_ROWS):
        part = result.added[start : start + PART_ROWS]
        await workers.write(write, target, part, [], wait=STEP_SECONDS)
    for start in range(0, len(result.updated), PART_ROWS):
        changes = result.updated[start : start + PART_ROWS]
        await workers.write(write, target, [], changes, wait=STEP_SECONDS)
    recorded: Recorded = store.counts(result)
    return await workers.write(finish, export, target, recorded, now, wait=STEP_SECONDS)
