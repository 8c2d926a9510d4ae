"""A book's reads on Hardcover by identity, before the entry's own push (`engine._push`).

| in the library                                | on Hardcover                                  |
|-----------------------------------------------|-----------------------------------------------|
| an earlier read (not the latest) that is      | N takes its dates (`update_user_book_read`,   |
| Hardcover read N, edited by the user since it | whole), when N still has the dates it had     |
| was last in step (`book_read_synced`)         | then                                          |
| the same, N changed on hardcover.app too      | N stays; it is said so                        |
| only N changed on hardcover.app               | nothing is sent (the pull shows N's dates)    |
| a read that was Hardcover read N is deleted   | N is deleted (`delete_user_book_read`), when  |
| (`library.reads.store.book_read_gone`)        | it still has the dates the library knew       |
| the same, but N was changed on hardcover.app  | N stays: no silent deletion; it is said so    |
| since (other dates)                           |                                               |
| the same, N already gone                      | nothing                                       |
| the latest read is Hardcover read N, and the  | the push keeps its status and dates in N (the |
| sync last kept them in another read (a        | library's latest read is N again), never in  |
| re-read deleted or undone here)               | the other read                                |
| the latest read is no Hardcover read yet, and | the push keeps them in a new read (a re-read  |
| the sync last kept them in an earlier read's  | added here), never over the earlier read      |
| an earlier finished read the user added here  | a read of its own (`insert_user_book_read`), |
| (`to_send`), no Hardcover read yet            | which it is from then on; while the book's   |
|                                               | latest read is open it waits (Hardcover shows |
|                                               | the progress of the entry's newest read)     |

These are planned once (`identity_plan`): a dry run shows them as the push's first writes, so
the review lists them and a Cancel holds them; they go out only in a pass that pushes the book.
A read the library still names is never deleted, and an earlier read's dates go out only once
the user edited or added that read (a date the reading history proposed is never sent this way).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.sync import remote as hardcover
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.model import Local, Remote, Snapshot
from bookorbit_desktop.hardcover.sync.reconcile import usable_snapshot
from bookorbit_desktop.hardcover.sync.side_effects import read_fields
from bookorbit_desktop.hardcover.sync.steps import DELETE_READ, INSERT_READ, UPDATE_READ, Action
from bookorbit_desktop.library.reads.store import (
    BookRead,
    earlier_reads,
    forget_gone,
    gone_reads,
    hardcover_reads_named,
    name_sent,
    reads_to_send,
    set_synced,
)


@dataclass(frozen=True)
class IdentityPlan:
    """What `by_identity` sends for a book, and what the review shows of it first."""

    actions: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()
    synced: tuple[tuple[int, str | None, str | None], ...] = ()  # read id, dates once sent
    forgotten: tuple[int, ...] = ()  # gone reads settled once the plan ran
    added: tuple[BookRead, ...] = ()  # the library's reads the inserts are, in their order


def identity_plan(candidate: Candidate, remote: Remote | None) -> IdentityPlan:
    """The earlier reads edited and the reads deleted in the library to send (the table
    above), and a note for each read kept because it changed on hardcover.app too. Reads
    the library only; a dry run shows these as the push's first writes."""
    if remote is None:
        return IdentityPlan()
    actions: list[Action] = []
    notes: list[str] = []
    synced: list[tuple[int, str | None, str | None]] = []
    adds: list[BookRead] = []
    for read, was in earlier_reads(candidate.book_ids):
        there = remote.read(read.hardcover_read_id)
        if there is None or (read.started, read.finished) == was:
            continue
        if (there.started, there.finished) != was:
            notes.append(f"read {there.id} kept: it was changed here and on Hardcover")
            continue
        fields = read_fields(read.started, read.finished, there.pages, there.edition_id)
        actions.append(Action(UPDATE_READ, there.id, fields, (f"read {there.id}",)))
        synced.append((there.id, read.started, read.finished))
    for added, being_read in reads_to_send(candidate.book_ids):
        dates = f"{added.started or '?'} to {added.finished or '?'}"
        if being_read:
            notes.append(f"read {dates} waits until the book's current read is finished")
            continue
        fields = read_fields(added.started, added.finished, remote.edition_pages, remote.edition_id)
        actions.append(Action(INSERT_READ, remote.user_book_id, fields, (f"add read ({dates})",)))
        adds.append(added)
    forgotten = []
    for read_id, started, finished in gone_reads(candidate.book_ids):
        gone = remote.read(read_id)
        if gone is not None and (gone.started, gone.finished) != (started, finished):
            notes.append(f"read {read_id} kept: it was changed on Hardcover since")
        elif gone is not None:
            dates = f"{started or '?'} to {finished or '?'}"
            actions.append(Action(DELETE_READ, read_id, {}, (f"delete read {read_id} ({dates})",)))
        forgotten.append(read_id)
    return IdentityPlan(tuple(actions), tuple(notes), tuple(synced), tuple(forgotten), tuple(adds))


async def by_identity(
    client: HardcoverClient, candidate: Candidate, remote: Remote | None, user_id: int
) -> tuple[Remote | None, list[str]]:
    """Send `identity_plan`'s writes, one at a time; the entry as it is then, and the plan's
    notes."""
    planned = identity_plan(candidate, remote)
    sync = {read_id: (started, finished) for read_id, started, finished in planned.synced}
    added = iter(planned.added)
    for action in planned.actions:
        before = remote
        remote = await hardcover.send(
            client, action, user_id=user_id, hc_book_id=candidate.local.hc_book_id
        )
        if action.kind == INSERT_READ:
            _name_inserted(next(added), before, remote)
            if remote is None:
                return remote, list(planned.notes)
            continue
        read_id = action.target
        assert read_id is not None  # a read's write names the read
        if action.kind == UPDATE_READ:
            set_synced(read_id, *sync[read_id])
        else:
            forget_gone(read_id)
        if remote is None:  # the entry is gone: the rest waits for the pass that finds it
            return remote, list(planned.notes)
    for read_id in planned.forgotten:
        forget_gone(read_id)
    return remote, list(planned.notes)


def _name_inserted(read: BookRead, before: Remote | None, after: Remote | None) -> None:
    """The library's read is the read the insert made: the one new in the entry with its
    dates (the newest such), else the newest new one (`name_sent`)."""
    known = {r.id for r in before.reads} if before is not None else set()
    new = [r for r in (after.reads if after is not None else ()) if r.id not in known]
    same = [r for r in new if (r.started, r.finished) == (read.started, read.finished)]
    made = max(same or new, key=lambda r: r.id, default=None)
    assert read.id is not None  # a stored read
    if made is None:
        name_sent(read.id, None, None, None)
    else:
        name_sent(read.id, made.id, made.started, made.finished)


def library_snapshot(
    local: Local, snapshot: Snapshot | None, remote: Remote | None
) -> tuple[Snapshot | None, frozenset[int]]:
    """The snapshot the push starts from, keeping the reading state in the Hardcover read the
    library's latest read is (the table's last rows), and the Hardcover reads the library's
    earlier reads are (never adopted for the latest)."""
    snapshot = usable_snapshot(local, snapshot)
    named, earlier = hardcover_reads_named(local.book_id)
    if snapshot is None or named == snapshot.read_id:
        return snapshot, earlier
    if snapshot.read_id not in earlier and _still_there(remote, snapshot.read_id):
        # The read kept so far is still Hardcover's and no earlier read's: the pull took the
        # reading state from it since the library's read was named, so it stays the one.
        return snapshot, earlier
    read = None if remote is None or named is None else remote.read(named)
    if read is None:  # the latest is new here: the read kept so far is an earlier one's
        kept = snapshot.read_id not in earlier
        return (snapshot if kept else replace(snapshot, read_id=None, read_owned=False)), earlier
    confirmed = {**snapshot.confirmed, "started": read.started, "finished": read.finished}
    return replace(snapshot, read_id=named, confirmed={**confirmed, "pages": read.pages}), earlier


def _still_there(remote: Remote | None, read_id: int | None) -> bool:
    return remote is not None and read_id is not None and remote.read(read_id) is not None
