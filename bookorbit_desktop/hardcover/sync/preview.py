"""What a push would do, worked out without sending anything (`hardcover sync --dry-run`).

`expected_answer` applies one action to an entry the way Hardcover does, side effects included
(hardcover-api.md §2.8: a Read status stamps today on the open read, or creates a read
finished today when the entry has none, a Currently Reading status opens one, a finish date
on the open read sets Read). `preview` runs the reconciler against those
answers until nothing is left, which is the list of writes a real push would make for the
book, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    READ,
    Local,
    Options,
    Read,
    Remote,
    Snapshot,
)
from bookorbit_desktop.hardcover.sync.reconcile import (
    INSERT_ENTRY,
    INSERT_READ,
    UPDATE_ENTRY,
    UPDATE_READ,
    Action,
    Tracking,
    plan,
    usable_snapshot,
)
from bookorbit_desktop.hardcover.sync.side_effects import going_out, stamp_found

MAX_STEPS = 6  # insert, status, read: a book never needs more than a few writes
_NEW_ID = 10**12  # ids for rows the preview imagines Hardcover creating


@dataclass(frozen=True)
class Preview:
    actions: tuple[Action, ...]
    notes: tuple[str, ...]
    ahead: tuple[int, int] | None
    remote: Remote | None
    tracking: Tracking


def expected_answer(
    remote: Remote | None, action: Action, *, today: str, edition_pages: int | None
) -> Remote:
    """The entry as Hardcover would return it after `action`."""
    fields = action.fields
    if action.kind == INSERT_ENTRY:
        status = fields["status_id"]
        reads: tuple[Read, ...] = ()
        edition = fields.get("edition_id")
        if status == READ:
            reads = (Read(_NEW_ID + 1, None, today, edition_pages, edition, edition_pages),)
        elif status == CURRENTLY_READING:
            reads = (Read(_NEW_ID + 1, edition_id=edition, edition_pages=edition_pages),)
        return Remote(
            user_book_id=_NEW_ID,
            book_id=fields["book_id"],
            status_id=status,
            rating=fields.get("rating"),
            privacy_id=fields.get("privacy_setting_id", 1),
            edition_id=fields.get("edition_id"),
            date_added=fields.get("date_added") or today,
            reads=reads,
            edition_pages=edition_pages if edition is not None else None,
        )
    assert remote is not None
    if action.kind == UPDATE_ENTRY:
        return _entry_updated(remote, fields, today, edition_pages)
    read = Read(
        id=(
            action.target
            if action.kind != INSERT_READ and action.target is not None
            else _next_read_id(remote)
        ),
        started=fields["started_at"],
        finished=fields["finished_at"],
        pages=fields["progress_pages"],
        edition_id=fields["edition_id"],
    )
    others = tuple(r for r in remote.reads if r.id != read.id)
    before = remote.read(read.id)
    same = fields["edition_id"] in (None, remote.edition_id)
    length = remote.edition_pages if same else before.edition_pages if before else None
    read = replace(read, edition_pages=length)
    status = remote.status_id
    if read.finished and before is not None and not before.finished:
        status = READ  # a finish date on the open read makes the entry Read by itself
    reads = tuple(sorted((*others, read), key=lambda r: r.id))
    return replace(remote, status_id=status, reads=reads)


def _entry_updated(
    remote: Remote, fields: dict[str, Any], today: str, edition_pages: int | None
) -> Remote:
    """`update_user_book`: the entry takes the fields; a new status opens a read (Currently
    Reading after a finished one) or finishes the open one today (Read). Read on an entry
    without any read creates one stamped today, with no start and no progress: the stamped
    read, which a later read update of the plan corrects."""
    edition = fields.get("edition_id", remote.edition_id)
    length = edition_pages if "edition_id" in fields else remote.edition_pages
    reads = tuple(sorted(remote.reads, key=lambda r: r.id))
    moved = next((r for r in reads if not r.finished), None)
    if edition != remote.edition_id and moved is not None:
        # A new edition takes the first open read along, page number and all.
        moved_to = replace(moved, edition_id=edition, edition_pages=length)
        reads = tuple(moved_to if r is moved else r for r in reads)
    latest = reads[-1] if reads else None
    status = fields.get("status_id", remote.status_id)
    if status != remote.status_id:
        if status == CURRENTLY_READING and (latest is None or latest.finished):
            reads = (*reads, Read(_next_read_id(remote), edition_id=edition, edition_pages=length))
        elif status == READ and latest is None:
            reads = (Read(_next_read_id(remote), None, today, None, edition, length),)
        elif status == READ and latest is not None and not latest.finished:
            reads = (*reads[:-1], replace(latest, finished=today))
    return replace(
        remote,
        status_id=status,
        rating=fields.get("rating", remote.rating),
        privacy_id=fields.get("privacy_setting_id", remote.privacy_id),
        edition_id=edition,
        reads=reads,
        edition_pages=length,
    )


def _next_read_id(remote: Remote) -> int:
    return max((r.id for r in remote.reads), default=_NEW_ID) + 1


def after_action(tracking: Tracking, action: Action, answer: Remote) -> Tracking:
    """Tracking once Hardcover answered `action` with `answer` (or once the entry read back
    shows that it landed)."""
    if action.kind == INSERT_ENTRY:
        return replace(tracking, user_book_id=answer.user_book_id)
    if action.kind == INSERT_READ:
        newest = max(answer.reads, key=lambda r: r.id)
        return replace(tracking, read_id=newest.id, read_owned=True)
    if action.kind == UPDATE_READ:
        done = tracking.measured(action.target)
        return (
            done
            if tracking.stamp is None or tracking.stamp[0] != action.target
            else replace(done, stamp=None)
        )
    return stamp_found(tracking, answer)


def preview(
    local: Local,
    snapshot: Snapshot | None,
    remote: Remote | None,
    options: Options,
    *,
    today: str,
    tracking: Tracking | None = None,
) -> Preview:
    """Every write a push of `local` would make, in order, without sending any (`tracking`:
    what the push starts from, `tracking_at_start`; by default the snapshot's)."""
    snapshot = usable_snapshot(local, snapshot)
    tracking = tracking if tracking is not None else Tracking.of(snapshot)
    actions: list[Action] = []
    notes: list[str] = []
    ahead = None
    for _ in range(MAX_STEPS):
        step = plan(local, snapshot, remote, tracking, options)
        notes.extend(n for n in step.notes if n not in notes)
        ahead = step.ahead or ahead
        tracking = step.tracking
        if step.action is None:
            break
        actions.append(step.action)
        tracking = going_out(tracking, step.action, remote, today)
        remote = expected_answer(
            remote, step.action, today=today, edition_pages=local.edition_pages
        )
        tracking = after_action(tracking, step.action, remote)
    return Preview(tuple(actions), tuple(notes), ahead, remote, tracking)
