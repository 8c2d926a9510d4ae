"""Random copies of one Hardcover book (editions, statuses, progress, the order they are read
in) through `copies.combine` and the reconciler with Hardcover's side effects: the entry's
edition never changes without the user, the page sent is always within the entry's edition,
and progress on the same open read never goes below Hardcover's."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.sync.copies import Copy, combine
from bookorbit_desktop.hardcover.sync.kept import snapshot_after
from bookorbit_desktop.hardcover.sync.model import CURRENTLY_READING, Local, Options, Snapshot
from bookorbit_desktop.hardcover.sync.preview import preview

TODAY = "2026-11-22"
OPTIONS = Options()
EDITIONS = {1: 480, 2: 279, 3: 96, 4: 1200}
PROGRESS = st.one_of(
    st.floats(min_value=0.0, max_value=1.0), st.sampled_from([-0.5, 1.38, 2.01, float("nan")])
)


@st.composite
def copies(draw: st.DrawFn) -> list[Copy]:
    found = []
    for book_id in range(1, draw(st.integers(1, 4)) + 1):
        edition = draw(st.sampled_from(sorted(EDITIONS)))
        local = Local(
            book_id=book_id,
            status=draw(st.sampled_from(["reading", "reading", "on_hold", "want_to_read"])),
            progress=draw(PROGRESS),
            started="2026-03-01",
            finished=None,
            rating=None,
            date_added="2026-01-10",
            hc_book_id=100,
            edition_id=edition,
            edition_pages=EDITIONS[edition],
            edition_pinned=True,
        )
        found.append(Copy(local, draw(st.floats(0, 100)), False))
    return found


def push(local: Local, snapshot: Snapshot | None, remote):
    done = preview(local, snapshot, remote, OPTIONS, today=TODAY)
    return snapshot_after(local, OPTIONS, done.remote, done.tracking), done.remote


@settings(max_examples=150, deadline=None)
@given(first=copies(), later=copies(), lead=st.one_of(st.none(), st.integers(0, 3)))
def test_copies_never_switch_the_edition_nor_lower_progress(first, later, lead):
    snapshot, remote = push(combine(first).local, None, None)
    edition, before = remote.edition_id, remote.reads
    # More copies are linked later (new book ids), each read at some time; the user may
    # choose one of them to speak for the book (its edition then counts).
    offset = len(first)
    added = [
        Copy(replace(c.local, book_id=c.local.book_id + offset), c.updated_at, n == lead)
        for n, c in enumerate(later)
    ]
    combined = combine([*first, *added], snapshot.wanted.get("edition_id"))
    _, remote = push(combined.local, snapshot, remote)
    chosen = next((c for c in added if c.lead), None)
    if chosen is None:
        assert remote.edition_id == edition  # never switched without the user
    for read in remote.reads:  # within 0..100 % of the edition it is a read of
        pages = EDITIONS[read.edition_id or remote.edition_id]
        assert read.pages is None or 0 < read.pages <= pages
    same_read = [r for r in before if not r.finished and r.pages is not None]
    if chosen is None and same_read and remote.status_id == CURRENTLY_READING:
        now = {r.id: r for r in remote.reads}
        for read in same_read:
            if read.id in now and not now[read.id].finished:
                assert (now[read.id].pages or 0) >= read.pages  # never lowered
