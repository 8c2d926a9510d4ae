"""The pure reconciler: (library, last confirmed snapshot, Hardcover's entry) -> the next write.

`plan` returns at most one mutation at a time. The engine sends it, reads Hardcover's answer
(every mutation returns the whole entry with its reads) and asks again until nothing is left,
so the side effects Hardcover applies on its own (hardcover-api.md §2.8: a read created when a
status is set, today stamped as the finish date) are seen and adopted or corrected instead of
duplicated. The rules, in order:

| situation                                      | write                                         |
|------------------------------------------------|-----------------------------------------------|
| no entry on Hardcover                          | insert it (status, edition, rating, privacy,  |
|                                                | the date the book was added)                  |
| removed on hardcover.app, no local change since | nothing: the user's removal stands           |
| finished with a known date, the read is open   | the read's finish date: Hardcover sets Read   |
| finished with a known date, no read open       | open one with its start first, then the above |
| status / rating / privacy / edition differ     | one update of the entry with those fields     |
| status kept on Hardcover (edited there)        | reads are left alone too                      |
| a read is needed and none can be adopted       | insert one with its full set of fields        |
| the tracked read differs                       | update it, always with all four fields        |
| our Read stamped today on an adopted, undated  | that read's finish put back (`side_effects`)  |
| read of the user's                             |                                               |

Three-way, per field: a value that differs is sent when the library changed it since the last
confirmed push (or this is the first push); when only Hardcover changed it, it is kept and said
so. On a first adoption what the library does not know (no rating, no dates) stays as it is on
Hardcover; on entries BookOrbit created, or where its own write just made Hardcover fill in a
date, an unknown date is sent as null: the sync never invents "today". Started is never
sent after finished: the new date that would break the order stays Hardcover's.

Reads: the read being synced is remembered by id, never by its place. An open read on Hardcover
is adopted rather than a new one inserted, and never given the dates of the read synced before
it (the library's dates unchanged since then are that read's); a read is "owned" (its finish
may be rewritten) when BookOrbit created it, or adopted it while it was open, or Hardcover
created it in answer to BookOrbit's own insert.
A finished read of an adopted entry is never rewritten. Progress never goes backwards within a
read unless the user asks (`Options.allow_rewind`); a new read (a reread) starts a new baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import (
    FINISHED_READ,
    NO_READ,
    OPEN_READ,
    PRIVACY_NAMES,
    READ,
    STATUS_NAMES,
    Local,
    Options,
    Read,
    Remote,
    Snapshot,
    Wanted,
    another_reads_dates,
    entry_length,
    progress_pages,
    read_kind,
    wanted_for,
)
from bookorbit_desktop.hardcover.sync.side_effects import (
    moved_read,
    read_fields,
    stamp_found,
    stamp_undone,
)
from bookorbit_desktop.hardcover.sync.steps import (
    INSERT_ENTRY,
    INSERT_READ,
    UPDATE_ENTRY,
    UPDATE_READ,
    Action,
    Step,
    Tracking,
)
from bookorbit_desktop.hardcover.sync.words import LABELS, describe_read, stars


@dataclass(frozen=True)
class _Against:
    """What a plan weighs once Hardcover has an entry: the library's copy, the entry, what the
    library wants there, the settings, and the notes the plan gathers on the way."""

    local: Local
    remote: Remote
    want: Wanted
    options: Options
    notes: list[str]


def usable_snapshot(local: Local, snapshot: Snapshot | None) -> Snapshot | None:
    """A snapshot of another Hardcover book (the link changed since) says nothing here."""
    if snapshot is None or snapshot.hc_book_id != local.hc_book_id:
        return None
    return snapshot


def plan(
    local: Local,
    snapshot: Snapshot | None,
    remote: Remote | None,
    tracking: Tracking,
    options: Options,
) -> Step:
    """The next write that brings Hardcover to the library's state, or none."""
    want = wanted_for(local, options)
    if want is None:
        return Step(None, tracking)
    if tracking.seen_reads is None:
        seen = frozenset(r.id for r in remote.reads) if remote is not None else frozenset()
        tracking = replace(tracking, seen_reads=seen, shares=_shares(remote))
    if remote is None:
        return _entry_missing(local, snapshot, want, tracking, options)
    # A Read of an earlier pass that got no answer: what Hardcover stamped is found now.
    tracking = stamp_found(tracking, remote)
    if tracking.user_book_id != remote.user_book_id:
        # An entry we had not seen (adopted), or one the user removed and added again: what
        # the push knows of its reads is what this entry holds (never another entry's).
        tracking = Tracking(
            user_book_id=remote.user_book_id,
            seen_reads=frozenset(r.id for r in remote.reads),
            shares=_shares(remote),
        )
        snapshot = None
    tracking = _track_read(tracking, remote, read_kind(want.status_id))
    notes: list[str] = []
    against = _Against(local, remote, want, options, notes)
    finish = _finish_with_date(against, snapshot, tracking)
    if finish is not None:
        return finish
    entry = _entry_update(against, snapshot, tracking)
    if entry is not None:
        stamped = tracking.stamped_finish or entry.fields.get("status_id") == READ
        return Step(entry, replace(tracking, stamped_finish=stamped), tuple(notes))
    moved = moved_read(remote, local, want, tracking)
    if moved is not None:
        return Step(moved, tracking)
    if remote.status_id != want.status_id:
        notes.append("reading dates left as they are on Hardcover")
        return Step(None, tracking, tuple(notes))
    return _read_step(against, snapshot, tracking)


def _finish_with_date(
    against: _Against, snapshot: Snapshot | None, tracking: Tracking
) -> Step | None:
    """A finish goes out with its real date in one write: the open read gets its finish date
    (Hardcover then sets Read by itself), instead of the status first, which would stamp
    today on the read until a second write corrected it (a token revoked in between would
    leave a false "finished today" on the profile). With no read open, one is opened first
    with its real start: a stop between the two leaves only dates the library has."""
    remote, want = against.remote, against.want
    read = remote.read(tracking.read_id)
    if (
        want.status_id != READ
        or not want.finished
        or remote.status_id == READ
        or not _differs(
            "status_id", READ, remote.status_id, snapshot, unknown_keeps=False, notes=[]
        )
    ):
        return None
    if read is None or read.finished:
        if any((r.started, r.finished) == (want.started, want.finished) for r in remote.reads):
            return None  # that read is on Hardcover already
        fields = read_fields(want.started, None, want.pages, want.edition_id)
        changes = (
            "new read, finished in the next write",
            *describe_read(None, fields, against.local),
        )
        return Step(Action(INSERT_READ, remote.user_book_id, fields, changes), tracking)
    if not tracking.read_owned:
        return None
    step = _read_step(against, snapshot, tracking)
    return step if step.action is not None else None


# ------------------------------------------------------------------------------- entry


def _entry_missing(
    local: Local, snapshot: Snapshot | None, want: Wanted, tracking: Tracking, options: Options
) -> Step:
    removed = snapshot is not None and snapshot.user_book_id is not None
    if removed and snapshot is not None and dict(snapshot.wanted) == want.to_json():
        return Step(None, tracking, ("removed on Hardcover; not added back",))
    # A new entry is inserted with its status, Read too: added as Want to Read and then
    # dated, every finished book of a first sync would post a "want to read" on the user's
    # feed. Hardcover's stamp on the read it creates is dated by the next write, and an
    # unfinished push is repaired at the next pass (`unfinished`).
    status = want.status_id
    fields: dict[str, Any] = {
        "book_id": local.hc_book_id,
        "status_id": status,
        "privacy_setting_id": options.privacy_id,
        "date_added": local.date_added,
    }
    changes = [
        f"add to Hardcover as {STATUS_NAMES[status]}",
        f"privacy {PRIVACY_NAMES.get(options.privacy_id, options.privacy_id)}",
        f"added {local.date_added}",
    ]
    if want.edition_id is not None:
        fields["edition_id"] = want.edition_id
    if want.rating is not None:
        fields["rating"] = want.rating
        changes.append(f"rating {stars(want.rating)}")
    action = Action(INSERT_ENTRY, None, fields, tuple(changes))
    return Step(action, Tracking(created_by_us=True, seen_reads=frozenset()))


def _differs(
    name: str,
    want: Any,
    have: Any,
    snapshot: Snapshot | None,
    *,
    unknown_keeps: bool,
    notes: list[str],
) -> bool:
    """Three-way: should `want` replace Hardcover's `have`?"""
    if want == have:
        return False
    if snapshot is None:
        return not (want is None and unknown_keeps)
    local_changed = want != snapshot.wanted.get(name)
    remote_changed = have != snapshot.confirmed.get(name)
    if remote_changed and not local_changed:
        notes.append(f"{LABELS.get(name, name)} changed on Hardcover; kept")
        return False
    return not (want is None and unknown_keeps and not local_changed)


def _entry_update(
    against: _Against, snapshot: Snapshot | None, tracking: Tracking
) -> Action | None:
    local, remote, want, notes = against.local, against.remote, against.want, against.notes
    adopted = not tracking.created_by_us
    fields: dict[str, Any] = {}
    changes: list[str] = []
    if _differs(
        "status_id", want.status_id, remote.status_id, snapshot, unknown_keeps=False, notes=notes
    ):
        fields["status_id"] = want.status_id
        changes.append(f"status {STATUS_NAMES[want.status_id]}")
    if _differs("rating", want.rating, remote.rating, snapshot, unknown_keeps=adopted, notes=notes):
        fields["rating"] = want.rating
        changes.append("rating cleared" if want.rating is None else f"rating {stars(want.rating)}")
    manage_privacy = tracking.created_by_us or against.options.privacy_for_all
    if manage_privacy and _differs(
        "privacy_id", want.privacy_id, remote.privacy_id, snapshot, unknown_keeps=True, notes=notes
    ):
        fields["privacy_setting_id"] = want.privacy_id
        changes.append(f"privacy {PRIVACY_NAMES.get(want.privacy_id, want.privacy_id)}")
    keep_theirs = adopted and snapshot is None and remote.edition_id is not None
    if not (keep_theirs and not local.edition_pinned) and _differs(
        "edition_id", want.edition_id, remote.edition_id, snapshot, unknown_keeps=True, notes=notes
    ):
        fields["edition_id"] = want.edition_id
        changes.append("edition changed")  # the id stays in `fields`, for the log
    if not fields:
        return None
    return Action(UPDATE_ENTRY, remote.user_book_id, fields, tuple(changes))


# ------------------------------------------------------------------------------- reads


def _track_read(tracking: Tracking, remote: Remote, kind: str) -> Tracking:
    """Which of Hardcover's reads this book's sync writes to (adopting rather than adding)."""
    read = remote.read(tracking.read_id)
    if read is None or (kind == OPEN_READ and read.finished):
        # Gone, or finished while the library has started again: a new read (a reread).
        tracking = replace(tracking, read_id=None, read_owned=False)
    pool = [r for r in remote.reads if r.id not in tracking.earlier_reads]
    if tracking.read_id is not None or kind == NO_READ or not pool:
        return tracking
    # On a Read entry, a read without a finish date is the user's finished read, not open.
    open_reads = [r for r in pool if not r.finished] if remote.status_id != READ else []
    if open_reads:
        return replace(tracking, read_id=max(r.id for r in open_reads), read_owned=True)
    if kind == FINISHED_READ:
        latest = max(pool, key=lambda r: r.id)
        # A read that appeared after this pass began came from our own status write.
        ours = tracking.created_by_us or latest.id not in (tracking.seen_reads or frozenset())
        return replace(tracking, read_id=latest.id, read_owned=ours)
    return tracking


def _read_step(against: _Against, snapshot: Snapshot | None, tracking: Tracking) -> Step:
    local, remote, want, notes = against.local, against.remote, against.want, against.notes
    kind = read_kind(want.status_id)
    if kind == NO_READ:
        return Step(None, tracking, tuple(notes))
    read = remote.read(tracking.read_id)
    if read is None:
        fields = read_fields(want.started, want.finished, want.pages, want.edition_id)
        changes = ["new read", *describe_read(None, fields, local)]
        action = Action(INSERT_READ, remote.user_book_id, fields, tuple(changes))
        return Step(action, tracking, tuple(notes))
    if not tracking.read_owned:
        undone = stamp_undone(want, read, tracking)
        if undone is not None:
            return Step(undone, tracking, tuple(notes))
        if (want.started, want.finished) != (read.started, read.finished):
            notes.append("Hardcover's finished read kept as it is")
        return Step(None, tracking, tuple(notes))
    before = snapshot.wanted.get("edition_id") if snapshot is not None else None
    picked_edition = before is not None and want.edition_id not in (None, before)
    # The user's own read on Hardcover, which no push synced (a reread started on hardcover.app):
    # its dates are the user's, never the previous read's, and an unknown one is not cleared.
    others = another_reads_dates(want, read, snapshot, tracking.seen_reads)
    if snapshot is not None and snapshot.read_id != read.id:
        snapshot = None  # a read we had not synced before: a first push for its fields
    new = read.id not in (tracking.seen_reads or frozenset())
    # Dates Hardcover filled in because of our own writes are not the user's: an unknown
    # local date clears them instead of keeping them.
    ours = (tracking.created_by_us and others is None) or new
    started, finished = read.started, read.finished
    # The library's own dates disagree: Hardcover's stay, unless Hardcover made them up in
    # answer to our writes (a new read, today stamped by our status).
    kept = set() if new else local.kept_dates - ({"finished"} if tracking.stamped_finish else set())
    kept |= others or set()
    if "started" not in kept and _differs(
        "started", want.started, read.started, snapshot, unknown_keeps=not ours, notes=notes
    ):
        started = want.started
    stamped = ours or tracking.stamped_finish
    if kind == OPEN_READ:
        finished = None
    elif "finished" not in kept and _differs(
        "finished",
        want.finished,
        read.finished,
        None if tracking.stamped_finish else snapshot,  # today came from our own status write
        unknown_keeps=not stamped,
        notes=notes,
    ):
        finished = want.finished
    if started is not None and finished is not None and started > finished:
        # The library's date and the one Hardcover keeps disagree: the new one is not sent
        # (never an impossible read); the user sees why.
        notes.append(f"start date {started} is after the finish date {finished}; not sent")
        if started != read.started:
            started = read.started
        else:  # never today stamped by our own status write
            finished = None if stamped else read.finished
    moved = tracking.moved_share(read, remote.edition_id)
    pages, ahead = _pages(want, read, snapshot, kind, against.options, notes)
    if kind == OPEN_READ and moved is not None and want.pages is not None:
        # Another edition than the one Hardcover's page was measured in: compare how far in.
        pages, ahead = _moved_pages(want.pages, moved, local.edition_pages, against)
    elif kind == OPEN_READ and moved is not None:
        # With no page of the library's, the page our edition change carried along goes back
        # to Hardcover's own distance in, in this edition.
        pages = progress_pages(moved, entry_length(local, remote)) or pages
    elif picked_edition:
        # The entry moved to the edition the user picked: Hardcover's page is one of the old
        # edition, no measure here (kept, it could pass the new edition's last page).
        pages, ahead = want.pages, None
    edition = read.edition_id
    if want.edition_id is not None and (
        pages != read.pages or edition is None or tracking.created_by_us
    ):
        edition = want.edition_id
    fields = read_fields(started, finished, pages, edition)
    if fields == read_fields(read.started, read.finished, read.pages, read.edition_id):
        return Step(None, tracking, tuple(notes), ahead)
    described = tuple(describe_read(read, fields, local))
    return Step(Action(UPDATE_READ, read.id, fields, described), tracking, tuple(notes), ahead)


def _pages(
    want: Wanted,
    read: Read,
    snapshot: Snapshot | None,
    kind: str,
    options: Options,
    notes: list[str],
) -> tuple[int | None, tuple[int, int] | None]:
    """The read's page after this push, and (library, Hardcover) when Hardcover is ahead."""
    if want.pages is None:
        return read.pages, None
    if kind == OPEN_READ and read.pages is not None and want.pages < read.pages:
        if options.allow_rewind:
            return want.pages, None
        notes.append(f"Hardcover is ahead (p. {read.pages}); p. {want.pages} not sent")
        return read.pages, (want.pages, read.pages)
    if kind == OPEN_READ and not _differs(
        "pages", want.pages, read.pages, snapshot, unknown_keeps=True, notes=notes
    ):
        return read.pages, None
    return want.pages, None


def _moved_pages(
    pages: int, share: float, edition_pages: int | None, against: _Against
) -> tuple[int | None, tuple[int, int] | None]:
    theirs = progress_pages(share, edition_pages)
    if theirs is None or pages >= theirs or against.options.allow_rewind:
        return pages, None
    against.notes.append(f"Hardcover is ahead (p. {theirs} of this edition); p. {pages} not sent")
    return theirs, (pages, theirs)


def _shares(remote: Remote | None) -> tuple[tuple[int, int | None, float, int | None], ...]:
    """Each open read's edition, how far in it is and its page, before a push writes anything."""
    if remote is None:
        return ()
    found = []
    for read in remote.reads:
        share = None if read.finished else remote.share(read)
        if share is not None:
            found.append((read.id, read.edition_id or remote.edition_id, share, read.pages))
    return tuple(found)
