"""Reads Hardcover changed by itself in answer to our own entry writes (hardcover-api.md
§2.8), put back where the sync does not otherwise write them. Pure.

- A Read status stamps today as the finish of the open read. On a read the sync adopted as the
  user's own finished read (never rewritten otherwise) that was undated when our Read went
  out, the stamp is nobody's word: while the read still holds exactly that date, it gets back
  the library's finish, none unless it has one with its evidence. A date the user gave it on
  hardcover.app since is theirs and stays. The stamp is a date within a day of the day our
  Read went out (Hardcover's today, in its own time zone), found in Hardcover's answer or,
  when none came, in the entry the next pass finds.
- A new edition takes the open reads along with their page numbers, which then measure another
  edition: each goes back to the same distance into the book.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bookorbit_desktop.hardcover.sync.model import (
    NO_READ,
    READ,
    Local,
    Read,
    Remote,
    Wanted,
    entry_length,
    progress_pages,
    read_kind,
)
from bookorbit_desktop.hardcover.sync.steps import UPDATE_READ, Action, Tracking


def read_fields(
    started: str | None, finished: str | None, pages: int | None, edition_id: int | None
) -> dict[str, object]:
    """A read always goes out whole: Hardcover may clear the fields an update leaves out."""
    return {
        "started_at": started,
        "finished_at": finished,
        "progress_pages": pages,
        "edition_id": edition_id,
    }


def going_out(tracking: Tracking, action: Action, remote: Remote | None, today: str) -> Tracking:
    """Before `action` leaves: for our Read, the reads Hardcover may stamp and the day."""
    if action.fields.get("status_id") != READ or remote is None:
        return tracking
    undated = tuple(r.id for r in remote.reads if not r.finished)
    return replace(tracking, undated=undated, read_sent_on=today)


def stamp_found(tracking: Tracking, remote: Remote) -> Tracking:
    """The finish Hardcover stamped in answer to our Read (`going_out`): on a read undated when
    the Read left, a date within a day of that day. A read the user dated meanwhile on another
    day is theirs."""
    if tracking.read_sent_on is None:
        return tracking
    sent = dt.date.fromisoformat(tracking.read_sent_on)
    days = {(sent + dt.timedelta(days=n)).isoformat() for n in (-1, 0, 1)}
    stamp = tracking.stamp
    for read in remote.reads:
        if read.id in tracking.undated and read.finished is not None and read.finished in days:
            stamp = (read.id, read.finished)
    return replace(tracking, stamp=stamp, undated=(), read_sent_on=None)


def stamp_undone(want: Wanted, read: Read, tracking: Tracking) -> Action | None:
    """The write that takes back the finish our own Read made Hardcover stamp on an adopted
    read, while that read still holds exactly the stamped date (`Tracking.stamp`); none when
    the library's own finish is that date."""
    if tracking.read_owned or tracking.stamp != (read.id, read.finished):
        return None
    finished = want.finished
    if finished is not None and read.started is not None and read.started > finished:
        finished = None  # never a read that ends before it starts
    if finished == read.finished:
        return None
    fields = read_fields(read.started, finished, read.pages, read.edition_id)
    said = f"finished {finished}" if finished else "finish date Hardcover stamped cleared"
    return Action(UPDATE_READ, read.id, fields, (said,))


def moved_read(remote: Remote, local: Local, want: Wanted, tracking: Tracking) -> Action | None:
    """Our edition change took an open read along, page number and all (a read this push
    does not sync otherwise): its page goes back to the same distance into the book."""
    synced = tracking.read_id if read_kind(want.status_id) != NO_READ else None
    length = entry_length(local, remote)
    for read in remote.reads:
        if read.finished or read.id == synced or read.edition_id != remote.edition_id:
            continue
        share = tracking.moved_share(read, remote.edition_id)
        pages = progress_pages(share, length) if share is not None else None
        if pages is not None and pages != read.pages:
            fields = read_fields(read.started, read.finished, pages, read.edition_id)
            return Action(UPDATE_READ, read.id, fields, (f"p. {pages}",))
    return None
