"""The three-way rule for a pulled entry, per field. Pure.

Base is the last state both sides agreed on: the snapshot's `wanted` (what the library asked
for) and `confirmed` (what Hardcover then had). For each field the library and Hardcover share:

| Hardcover since the base | the library since the base | outcome                              |
|--------------------------|----------------------------|--------------------------------------|
| unchanged                | any                        | nothing here (the push does the rest) |
| changed                  | unchanged                  | follow: the library takes Hardcover's |
|                          |                            | value; it becomes the new base        |
| changed                  | changed to the same value  | agreed: it becomes the new base       |
| changed                  | changed to another value   | conflict: shown, nothing sent for the |
|                          |                            | field until the user picks a side     |

A field without a base (a linked book never pushed, an unread one, an entry added again on
hardcover.app; `apply` makes the values the pull took before the base for those) is weighed two
ways, the library now against Hardcover now:

| the library holds                | Hardcover holds     | outcome                              |
|----------------------------------|---------------------|--------------------------------------|
| anything                         | nothing             | nothing here (the push sends it)     |
| nothing (unread, no rating, no   | a value             | follow                               |
| date its status carries)         |                     |                                      |
| the same value                   | the same value      | agreed                               |
| a status further on (Reading or  | Want to Read, or    | nothing here: the push moves the     |
| later; Read or Did Not Finish;   | Reading or Paused;  | entry on, as reading does            |
| a reread)                        | Read or DNF         |                                      |
| another value                    | a value             | conflict                             |

So a book Read on Hardcover and Reading here (KOReader's evidence, not a reread) is a conflict,
never overwritten either way. While the status is in conflict the dates wait for it: whose read
they are depends on the side the user picks. While the library keeps its status, a date that
status does not carry (any date of a Want to Read book, the finish of one being read) is weighed
not at all: a read logged on hardcover.app is not a start for a book the user now wants to read.
When the library follows Hardcover's status, the dates that status carries and the library's did
not are taken from Hardcover: a Want to Read book marked Read there gets that read's dates, and a
finished book read again there gets the new read's start (none if it has none), never the old.

Reads are told apart by their id, never by their place. The dates compared are those of the read
the snapshot tracks; once that read is finished and the user started another on hardcover.app
(Currently Reading with a later open read, `reread_on_hardcover`), those of the new read, which
the library then follows as a reread of its own; on a finished entry, those of a later finished
read entered there that ended no earlier (`later_finished`: a past read logged there later is
an earlier read, not a reread); once the tracked read is deleted there, those of the read
the push would adopt among the rest. With none tracked yet, they are the dates of
the read the push would adopt (the newest open one, on a Read entry the newest), and only those
Hardcover's status carries.

Privacy has no value of its own in the reading state: the library's side is the sync settings'
privacy, and it counts as changed only when the user changed the setting since the last sync
for an entry whose privacy the push manages (`apply` passes it then, else not at all). Hardcover's
change is then taken as the entry's own privacy (`held`), shown "from Hardcover", and becomes the
base, so no later push sends the setting back over it. Without a base, privacy is left to the
push's settings (it changes an adopted entry's privacy only for "privacy for all").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    DID_NOT_FINISH,
    FINISHED_READ,
    NO_READ,
    PAUSED,
    READ,
    STATUS_IDS,
    WANT_TO_READ,
    Read,
    Remote,
    Snapshot,
    confirmed_values,
    read_kind,
    reread_on_hardcover,
)
from bookorbit_desktop.library.reading.rules import FINISHED, REREADING

# The fields compared, in the snapshot's words.
FIELDS = ("status_id", "rating", "started", "finished", "privacy_id")
LIBRARY_FIELDS = ("status_id", "rating", "started", "finished")
DATES = ("started", "finished")
# How a Hardcover status reads in the library.
LIBRARY_STATUS = {1: "want_to_read", 2: "reading", 3: "read", 4: "on_hold", 5: "abandoned"}
FOLLOW, AGREED, CONFLICT = "follow", "agreed", "conflict"
# How far along a status is: a library status further on than Hardcover's is the push's to send
# (reading follows wanting, finishing or giving up follows reading, a reread follows a read).
STAGES = {WANT_TO_READ: 0, CURRENTLY_READING: 1, PAUSED: 1, READ: 2, DID_NOT_FINISH: 2}
REREAD_STAGE = 3


@dataclass(frozen=True)
class Decision:
    field: str
    outcome: str  # follow | agreed | conflict
    local: Any  # the library's value now, in Hardcover's terms
    remote: Any  # Hardcover's value now


def tracked_ended(snapshot: Snapshot | None) -> bool:
    """Did the last sync see the tracked read under a finished status (`reread_on_hardcover`)?"""
    status_id = snapshot.confirmed.get("status_id") if snapshot is not None else None
    return read_kind(int(status_id or 0)) == FINISHED_READ


def compared_read(remote: Remote, read_id: int | None, *, ended: bool = False) -> Read | None:
    """The read whose dates are Hardcover's side: the tracked one, or the reread the user
    started (or, on a finished entry, entered finished) after it on hardcover.app; with none
    tracked, or the tracked one deleted there, the one the push would adopt for Hardcover's
    status (`reconcile`); None when the entry has no read left. `ended`: `tracked_ended`."""
    if read_id is not None:
        tracked = reread_on_hardcover(remote, read_id, ended=ended)
        tracked = tracked or later_finished(remote, read_id)
        if tracked := tracked or remote.read(read_id):
            return tracked
        if not remote.reads:
            return None  # gone with no other: the push adds the read again
    kind = read_kind(remote.status_id)
    if kind == NO_READ or not remote.reads:
        return None
    # On a Read entry, a read without a finish date is the user's finished read, not open.
    open_reads = [r for r in remote.reads if not r.finished] if remote.status_id != READ else []
    if open_reads:
        return max(open_reads, key=lambda r: r.id)
    return max(remote.reads, key=lambda r: r.id) if kind == FINISHED_READ else None


def later_finished(remote: Remote, read_id: int) -> Read | None:
    """On a finished entry, the newest finished read added after the tracked one that ended
    no earlier than it (a reread the user entered on hardcover.app, finished there too); a
    read entered there for a time before the tracked one's finish is an earlier read logged
    afterwards, which leaves the tracked read's dates alone."""
    if read_kind(remote.status_id) != FINISHED_READ:
        return None
    tracked = remote.read(read_id)
    since = tracked.finished if tracked is not None else None
    later = [r for r in remote.reads if r.id > read_id and r.finished]
    later = [r for r in later if since is None or str(r.finished) >= str(since)]
    return max(later, key=lambda r: r.id, default=None)


def remote_values(remote: Remote, read_id: int | None, *, ended: bool = False) -> dict[str, Any]:
    """Hardcover's side of the shared fields, as a snapshot's `confirmed` keeps them (the
    compared read's dates, `compared_read`)."""
    read = compared_read(remote, read_id, ended=ended)
    values = confirmed_values(remote, read.id if read is not None else None)
    names: tuple[str, ...] = ("status_id", "rating", "privacy_id")
    if read is not None and read_id is not None:
        names = FIELDS
    elif read is not None:  # adopted: only the dates Hardcover's status carries
        names = (*names, *carried_dates(remote.status_id))
    # A tracked read that is gone says nothing about the dates: the push adds a read again.
    return {name: values.get(name) for name in names}


def local_values(status: str, rating: float | None, started: Any, finished: Any) -> dict[str, Any]:
    """The library's side of the shared fields in Hardcover's terms, as a snapshot's `wanted`
    keeps them: only the dates the status carries (privacy is not the library's)."""
    status_id = STATUS_IDS.get(status)
    carried = carried_dates(status_id)
    return {
        "status_id": status_id,
        "rating": rating,
        "started": (started or None) if "started" in carried else None,
        "finished": (finished or None) if "finished" in carried else None,
    }


def decide(
    local: Mapping[str, Any],
    remote: Mapping[str, Any],
    base: Snapshot | None,
    *,
    rereading: bool = False,
    disputed: Collection[str] = (),
) -> list[Decision]:
    """Each field Hardcover changed since the base (three ways), or that differs from the
    library where there is no base for it (two ways, `rereading`: the library's status is a
    reread), and what becomes of it. `disputed`: the fields with a conflict still open."""
    decisions = []
    for name in (n for n in FIELDS if n in remote):
        if base is not None and name in base.confirmed:
            decision = _three_way(name, local, remote[name], base)
        else:
            decision = _two_way(name, local, remote[name], rereading)
        if decision is not None:
            decisions.append(decision)
    status_open = "status_id" in disputed or any(
        d.field == "status_id" and d.outcome == CONFLICT for d in decisions
    )
    if status_open:  # the dates belong to the read of the status the user picks
        return [d for d in decisions if d.field not in DATES]
    carried = carried_dates(local.get("status_id"))
    if not any(d.field == "status_id" and d.outcome == FOLLOW for d in decisions):
        # The library keeps its status: a date that status does not carry is nobody's here.
        return [d for d in decisions if d.field not in DATES or d.field in carried]
    # The library takes Hardcover's status: a date it gains had no value here to weigh, nor
    # has a reread's (its read is a new one, `apply.write_value`).
    new_read = local.get("status_id") == READ and remote.get("status_id") == CURRENTLY_READING
    gained = [n for n in carried_dates(remote.get("status_id")) if new_read or n not in carried]
    kept = [d for d in decisions if d.field not in gained]
    return kept + [Decision(n, FOLLOW, None, remote[n]) for n in gained if remote.get(n)]


def carried_dates(status_id: int | None) -> tuple[str, ...]:
    """The dates a Hardcover status carries: none for Want to Read (or none), the start for an
    open read, both for a finished or abandoned one."""
    kind = read_kind(status_id or 0)
    return () if kind == NO_READ else DATES if kind == FINISHED_READ else ("started",)


def _three_way(name: str, local: Mapping[str, Any], theirs: Any, base: Snapshot) -> Decision | None:
    if same(theirs, base.confirmed.get(name)):
        return None
    if name not in LIBRARY_FIELDS and name not in local:
        return Decision(name, FOLLOW, None, theirs)
    ours = local.get(name)
    if same(ours, theirs):
        return Decision(name, AGREED, ours, theirs)
    if same(ours, base.wanted.get(name)):
        return Decision(name, FOLLOW, ours, theirs)
    return Decision(name, CONFLICT, ours, theirs)


def _two_way(name: str, local: Mapping[str, Any], theirs: Any, rereading: bool) -> Decision | None:
    if name not in LIBRARY_FIELDS or theirs is None:
        return None  # nothing to take: what the library holds is the push's to send
    if name == "status_id" and theirs not in LIBRARY_STATUS:
        return None  # a status the library has no word for (Ignored)
    ours = local.get(name)
    if ours is None:
        return Decision(name, FOLLOW, None, theirs)
    if same(ours, theirs):
        return Decision(name, AGREED, ours, theirs)
    if name == "status_id" and further(ours, theirs, rereading=rereading):
        return None
    return Decision(name, CONFLICT, ours, theirs)


def further(ours: int, theirs: int, *, rereading: bool = False) -> bool:
    """Is the library's status further on than Hardcover's?"""
    stage = REREAD_STAGE if rereading else STAGES.get(ours, -1)
    return stage > STAGES.get(theirs, REREAD_STAGE)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


def rebased(snapshot: Snapshot, field: str, value: Any) -> Snapshot:
    """The snapshot with `value` as both sides' agreed value of `field`."""
    return replace(
        snapshot,
        wanted={**snapshot.wanted, field: value},
        confirmed={**snapshot.confirmed, field: value},
    )


def library_status(status_id: int | None, current: str) -> str:
    """The library's word for a Hardcover status; a reread stays a reread, a skim a skim, and
    a finished book Currently Reading again is a reread (Hardcover opens a new read for it)."""
    if status_id is None or STATUS_IDS.get(current) == status_id:
        return current
    if status_id == CURRENTLY_READING and current in FINISHED:
        return REREADING
    return LIBRARY_STATUS.get(status_id, current)
