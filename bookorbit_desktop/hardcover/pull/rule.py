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

Privacy has no value of its own in the reading state: the library's side is the sync settings'
privacy, and it counts as changed only when the user changed the setting since the last sync
for an entry whose privacy the push manages (`apply` passes it then, else not at all). Hardcover's
change is then taken as the entry's own privacy (`held`), shown "from Hardcover", and becomes the
base, so no later push sends the setting back over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import (
    FINISHED_READ,
    NO_READ,
    STATUS_IDS,
    Remote,
    Snapshot,
    confirmed_values,
    read_kind,
)

# The fields compared, in the snapshot's words.
FIELDS = ("status_id", "rating", "started", "finished", "privacy_id")
LIBRARY_FIELDS = ("status_id", "rating", "started", "finished")
# How a Hardcover status reads in the library.
LIBRARY_STATUS = {1: "want_to_read", 2: "reading", 3: "read", 4: "on_hold", 5: "abandoned"}
FOLLOW, AGREED, CONFLICT = "follow", "agreed", "conflict"


@dataclass(frozen=True)
class Decision:
    field: str
    outcome: str  # follow | agreed | conflict
    local: Any  # the library's value now, in Hardcover's terms
    remote: Any  # Hardcover's value now


def remote_values(remote: Remote, read_id: int | None) -> dict[str, Any]:
    """Hardcover's side of the shared fields, as a snapshot's `confirmed` keeps them (the
    tracked read's dates)."""
    values = confirmed_values(remote, read_id)
    names = FIELDS if remote.read(read_id) is not None else ("status_id", "rating", "privacy_id")
    # A tracked read that is gone says nothing about the dates: the push adds a read again.
    return {name: values.get(name) for name in names}


def local_values(status: str, rating: float | None, started: Any, finished: Any) -> dict[str, Any]:
    """The library's side of the shared fields in Hardcover's terms, as a snapshot's `wanted`
    keeps them: only the dates the status carries (privacy is not the library's)."""
    status_id = STATUS_IDS.get(status)
    kind = read_kind(status_id or 0)
    return {
        "status_id": status_id,
        "rating": rating,
        "started": (started or None) if kind != NO_READ else None,
        "finished": (finished or None) if kind == FINISHED_READ else None,
    }


def decide(
    local: Mapping[str, Any], remote: Mapping[str, Any], snapshot: Snapshot | None
) -> list[Decision]:
    """Each field Hardcover changed since the base, and what becomes of it. A book never
    synced has no base: the push's own first-adoption rules apply, nothing is decided here."""
    if snapshot is None or not snapshot.confirmed:
        return []
    decisions = []
    for name in (n for n in FIELDS if n in remote):
        theirs = remote[name]
        if same(theirs, snapshot.confirmed.get(name)):
            continue
        if name not in LIBRARY_FIELDS and name not in local:
            decisions.append(Decision(name, FOLLOW, None, theirs))
            continue
        ours = local.get(name)
        if same(ours, theirs):
            decisions.append(Decision(name, AGREED, ours, theirs))
        elif same(ours, snapshot.wanted.get(name)):
            decisions.append(Decision(name, FOLLOW, ours, theirs))
        else:
            decisions.append(Decision(name, CONFLICT, ours, theirs))
    return decisions


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
    """The library's word for a Hardcover status; a reread stays a reread, a skim a skim."""
    if status_id is None or STATUS_IDS.get(current) == status_id:
        return current
    return LIBRARY_STATUS.get(status_id, current)
