"""A book's reads on Hardcover by identity, before the entry's own push (`engine._push`).

| in the library                                | on Hardcover                                  |
|-----------------------------------------------|-----------------------------------------------|
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

Deletes go out only in a pass that pushes the book (never in a dry run, so never before the
user's Send where the sync asks for it); a read the library still names is never deleted.
"""

from __future__ import annotations

from dataclasses import replace

from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.sync import remote as hardcover
from bookorbit_desktop.hardcover.sync.candidate import Candidate
from bookorbit_desktop.hardcover.sync.model import Local, Remote, Snapshot
from bookorbit_desktop.hardcover.sync.reconcile import usable_snapshot
from bookorbit_desktop.library.reads.store import forget_gone, gone_reads, hardcover_reads_named


async def delete_gone(
    client: HardcoverClient, candidate: Candidate, remote: Remote | None, user_id: int
) -> tuple[Remote | None, list[str]]:
    """Delete on Hardcover the reads deleted in the library (the table above); the entry as it
    is then, and a note for each read kept because it changed on hardcover.app."""
    notes: list[str] = []
    if remote is None:
        return remote, notes
    for read_id, started, finished in gone_reads(candidate.book_ids):
        read = remote.read(read_id)
        if read is not None and (read.started, read.finished) != (started, finished):
            notes.append(f"read {read_id} kept: it was changed on Hardcover since")
        elif read is not None:
            await client.execute("DeleteUserBookRead", {"id": read_id})
            remote = await hardcover.fetch_entry(client, user_id, candidate.local.hc_book_id)
        forget_gone(read_id)
        if remote is None:
            break
    return remote, notes


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
    read = None if remote is None or named is None else remote.read(named)
    if read is None:  # the latest is new here: the read kept so far is an earlier one's
        kept = snapshot.read_id not in earlier
        return (snapshot if kept else replace(snapshot, read_id=None, read_owned=False)), earlier
    confirmed = {**snapshot.confirmed, "started": read.started, "finished": read.finished}
    return replace(snapshot, read_id=named, confirmed={**confirmed, "pages": read.pages}), earlier
