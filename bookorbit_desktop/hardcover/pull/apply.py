"""Bringing pulled entries into the library by the three-way rule (`rule`).

For each pulled entry linked to library books: a field only Hardcover changed is written to
every linked copy's reading state (dates marked as Hardcover's) and becomes the snapshot's
base, so the next push has nothing to send back; a field changed on both sides becomes a
conflict, which the push leaves alone (`held`) until the user picks a side (`conflicts`).

A linked book with no push to stand on (never pushed, unread, or its entry added again on
hardcover.app) is weighed two ways (`rule`): what the library has no value of its own for is
taken from Hardcover, and a value both sides hold differently is a conflict. The values taken so
are marked "from Hardcover" and are the base for them until a push records one: they were equal
on both sides when taken, so neither a later push nor a later pull mistakes them for an edit.
Entries of books that are not in the library stay in the pull's store: the wishlist.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import JOIN, SQL

from bookorbit_desktop.hardcover.matching.store import LINKED
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.checked import without_left_out
from bookorbit_desktop.hardcover.pull.rule import (
    CONFLICT,
    FOLLOW,
    LIBRARY_FIELDS,
    compared_read,
    decide,
    library_status,
    local_values,
    rebased,
    remote_values,
    same,
    tracked_ended,
)
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.hardcover.sync import store as sync_store
from bookorbit_desktop.hardcover.sync.model import PRIVACY_IDS, Read, Remote, Snapshot
from bookorbit_desktop.library.reading.rules import NOT_STARTED, REREADING
from bookorbit_desktop.library.reading.sources import HARDCOVER
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import (
    HardcoverMatch,
    HardcoverSync,
    ReadingState,
    database,
)
from bookorbit_desktop.library.store.sql import INBOX_IDS
from bookorbit_desktop.library.store.typed import tuples


@dataclass
class Applied:
    followed: list[tuple[int, str]] = field(default_factory=list)  # (book id, field)
    conflicts: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """The library copies one pulled entry is brought into."""

    book_ids: tuple[int, ...]  # the copy that speaks for the entry first
    snapshot: Snapshot | None  # the last push's base, if any
    busy: bool = False  # a push of ours is unfinished: what Hardcover did is its side effect


def remote_of(row: store.PulledRow) -> Remote:
    entry = row.entry
    reads = tuple(
        Read(id=r["id"], started=r.get("started"), finished=r.get("finished"), pages=r.get("pages"))
        for r in entry.get("reads") or ()
    )
    return Remote(
        user_book_id=row.user_book_id,
        book_id=row.hc_book_id,
        # 0, None: a value `checked` left out, which `without_left_out` keeps from the rule.
        status_id=entry.get("status_id") or 0,
        rating=entry.get("rating"),
        privacy_id=entry.get("privacy_id") or 0,
        edition_id=entry.get("edition_id"),
        date_added=entry.get("date_added"),
        reads=reads,
    )


def pulled_values(
    row: store.PulledRow, read_id: int | None, *, ended: bool = False
) -> dict[str, Any]:
    """Hardcover's side of the shared fields (`rule.remote_values`), without the values the
    pull left out (`checked`): for those the library keeps its own."""
    entry = remote_of(row)
    read = compared_read(entry, read_id, ended=ended)
    values = remote_values(entry, read_id, ended=ended)
    return without_left_out(values, row.entry, read.id if read is not None else None)


def linked_books(hc_book_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(hc_book_ids))
    if not ids:
        return []
    query = HardcoverMatch.select(HardcoverMatch.book).where(
        (HardcoverMatch.state == LINKED) & HardcoverMatch.hc_book_id.in_(ids)
    )
    return [m.book_id for m in query]


def targets(hc_book_ids: Iterable[int]) -> dict[int, Target]:
    """Per Hardcover book: the copies a push concerns (`sync.store.candidates`); for one that
    only unread copies outside the Inbox are linked to, those copies (library order)."""
    ids = sorted(set(hc_book_ids))
    found: dict[int, Target] = {}
    for c in sync_store.candidates(linked_books(ids)):
        busy = bool(c.snapshot is not None and c.snapshot.step) or bool(c.step) or c.creating
        found[c.local.hc_book_id] = Target(c.book_ids, c.snapshot, busy)
    rest = [i for i in ids if i not in found]
    if not rest:
        return found
    query = (
        HardcoverMatch.select(
            HardcoverMatch.hc_book_id, HardcoverMatch.book, HardcoverSync.snapshot
        )
        .join(HardcoverSync, JOIN.LEFT_OUTER, on=(HardcoverSync.book == HardcoverMatch.book))
        .where(
            (HardcoverMatch.state == LINKED)
            & HardcoverMatch.hc_book_id.in_(rest)
            & HardcoverMatch.book.not_in(SQL(INBOX_IDS))
        )
        .order_by(HardcoverSync.updated_at.desc(nulls="last"), HardcoverMatch.book)
    )
    groups: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for hc_book_id, book_id, raw in tuples(query):
        groups.setdefault(hc_book_id, []).append((book_id, dict(raw or {})))
    for hc_book_id, books in groups.items():
        raws = [raw for _, raw in books]
        snapshot = next(
            (s for raw in raws if (s := Snapshot.from_json(raw)) and s.hc_book_id == hc_book_id),
            None,
        )
        busy = bool(snapshot is not None and snapshot.step) or any(
            raw.get("creating") == hc_book_id
            or (raw.get("step") or {}).get("hc_book_id") == hc_book_id
            for raw in raws
        )
        found[hc_book_id] = Target(tuple(sorted(b for b, _ in books)), snapshot, busy)
    return found


def apply_rows(rows: Iterable[store.PulledRow], *, now: float | None = None) -> Applied:
    """Decide and apply each pulled entry linked to the library."""
    now = time.time() if now is None else now
    by_book = {row.hc_book_id: row for row in rows}
    applied = Applied()
    for hc_book_id, target in targets(by_book).items():
        _note_on_profile(target.book_ids, by_book[hc_book_id].user_book_id)
        if not target.busy:
            _apply_entry(by_book[hc_book_id], target, applied, now)
    return applied


def _note_on_profile(book_ids: Iterable[int], user_book_id: int) -> None:
    """The linked copies' entry is on the user's profile: no push publishes them anew."""
    HardcoverMatch.update(user_book_id=user_book_id).where(
        HardcoverMatch.book.in_(list(book_ids)) & HardcoverMatch.user_book_id.is_null()
    ).execute()


def _apply_entry(row: store.PulledRow, target: Target, applied: Applied, now: float) -> None:
    """Weigh one pulled entry against the library's values and write what it decides, in one
    transaction that holds the write lock from its first read: an edit the user commits
    meanwhile (the window, the command line, a KOReader push) waits for it, and is never
    overwritten by a decision made on the values before it."""
    with database.atomic("IMMEDIATE"):
        _weigh_entry(row, target, applied, now)


def _weigh_entry(row: store.PulledRow, target: Target, applied: Applied, now: float) -> None:
    snapshot = target.snapshot
    if snapshot is not None and snapshot.user_book_id != row.user_book_id:
        snapshot = None  # not the entry that was pushed (removed and added again): no base
    leader = target.book_ids[0]
    reading = ReadingState.get_by_id(leader)
    ours = local_values(reading.status, reading.rating, reading.started, reading.finished)
    if snapshot is not None:
        ours.update(changed_privacy(snapshot, target.book_ids))
    ended = tracked_ended(snapshot)
    remote = pulled_values(row, snapshot.read_id if snapshot is not None else None, ended=ended)
    open_fields = {}
    for conflict in store.conflicts(target.book_ids):
        mine = ours.get(conflict.field, conflict.local)
        if same(mine, remote.get(conflict.field, conflict.remote)):
            store.drop_conflict(conflict.book_id, conflict.field)  # the sides agree now
        else:
            open_fields[conflict.field] = mine
    base = snapshot if snapshot is not None else taken_base(leader, row)
    rereading = reading.status == "rereading"
    for decision in decide(ours, remote, base, rereading=rereading, disputed=open_fields):
        if decision.field in open_fields:  # still undecided: keep its newest value
            mine = open_fields[decision.field]
            store.note_conflict(leader, decision.field, mine, decision.remote, now=now)
        elif decision.outcome == CONFLICT:
            store.note_conflict(leader, decision.field, decision.local, decision.remote, now=now)
            applied.conflicts.append((leader, decision.field))
            open_fields[decision.field] = decision.local
        else:
            if decision.outcome == FOLLOW:
                write_value(
                    target.book_ids,
                    decision.field,
                    decision.remote,
                    now=now,
                    changed_at=_moment(row.updated_at, now),
                )
                applied.followed.append((leader, decision.field))
            if snapshot is not None:
                snapshot = rebased(snapshot, decision.field, decision.remote)
    if snapshot is not None:
        held = "status_id" in open_fields
        save_snapshot(target.book_ids, _reread_taken(snapshot, row, held, ended=ended))


def _reread_taken(snapshot: Snapshot, row: store.PulledRow, held: bool, *, ended: bool) -> Snapshot:
    """Once a reread started on hardcover.app was weighed (`rule.compared_read`; the status not
    in conflict), the snapshot tracks that read, so no push writes the library's new dates to
    the read before it."""
    read = compared_read(remote_of(row), snapshot.read_id, ended=ended)
    if held or read is None or read.id == snapshot.read_id:
        return snapshot
    return replace(snapshot, read_id=read.id, read_owned=True)


def taken_base(book_id: int, row: store.PulledRow) -> Snapshot:
    """The base of an entry no push recorded one for: the values the pull took from Hardcover
    (`hardcover_followed`), equal on both sides when taken; no base for the other fields."""
    taken = {name: value for name, (value, _) in store.followed(book_id).items()}
    values = {name: taken[name] for name in LIBRARY_FIELDS if name in taken}
    return Snapshot(row.hc_book_id, row.user_book_id, False, None, False, values, values)


def changed_privacy(snapshot: Snapshot, book_ids: Iterable[int]) -> dict[str, Any]:
    """The library's privacy for the entry when the user changed the setting since the last
    sync (a settings change waits in the outbox) and the push manages the entry's privacy
    (BookOrbit created it, or "privacy for all"); else nothing: Hardcover's change is taken."""
    chosen = sync_settings.load()
    if not (snapshot.created_by_us or chosen.privacy_for_all):
        return {}
    if not any(outbox.SETTINGS in q.kinds for q in outbox.queued(book_ids)):
        return {}
    return {"privacy_id": PRIVACY_IDS.get(chosen.privacy)}  # None: the account's default


def _moment(stamp: str | None, default: float) -> float:
    """When Hardcover says the entry changed (its `updated_at`), as Unix seconds."""
    try:
        return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return default


def write_value(
    book_ids: Iterable[int], name: str, value: Any, *, now: float, changed_at: float | None = None
) -> None:
    """Hardcover's value of one field into the library copies, marked as Hardcover's (with
    `changed_at`, when it changed there, for the book panel)."""
    ids = list(book_ids)
    for book_id in ids:
        reading = ReadingState.get_or_none(ReadingState.book == book_id)
        if reading is None:
            continue
        if name == "status_id":
            status = library_status(value, reading.status)
            if status != reading.status and (status == REREADING or status in NOT_STARTED):
                # A new read, or none: nothing of the read before stays (as `reading.set_status`).
                reading.progress, reading.finished, reading.finished_source = 0.0, None, None
                if status in NOT_STARTED:
                    reading.started, reading.started_source = None, None
            reading.status = status
            if reading.status in ("read", "skimmed"):
                reading.progress = max(reading.progress or 0.0, 1.0)
        elif name == "rating":
            reading.rating = value
        elif name in ("started", "finished"):
            setattr(reading, name, value)
            setattr(reading, f"{name}_source", HARDCOVER if value else None)
        else:
            continue
        reading.updated_at = now
        reading.save()
    store.note_followed(ids, name, value, now=changed_at or now)


def save_snapshot(book_ids: Iterable[int], snapshot: Snapshot) -> None:
    for book_id in book_ids:
        row = HardcoverSync.get_or_none(HardcoverSync.book == book_id)
        if row is None:
            continue
        raw = dict(row.snapshot or {})
        if raw.get("hc_book_id") != snapshot.hc_book_id:
            continue
        raw["wanted"], raw["confirmed"] = dict(snapshot.wanted), dict(snapshot.confirmed)
        raw["read_id"], raw["read_owned"] = snapshot.read_id, snapshot.read_owned
        row.snapshot = raw
        row.save()
