"""The preview models the read Hardcover stamps today when an entry becomes Read (the stamped
read): table by table on the pure preview, and against the fake Hardcover, where a dry run lists
exactly the writes the push then sends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.sync.model import (
    CURRENTLY_READING,
    READ,
    WANT_TO_READ,
    Local,
    Options,
    Read,
    Remote,
)
from bookorbit_desktop.hardcover.sync.preview import expected_answer, preview
from bookorbit_desktop.hardcover.sync.reconcile import (
    INSERT_ENTRY,
    INSERT_READ,
    UPDATE_ENTRY,
    UPDATE_READ,
    Action,
)
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import ReadingState

TODAY = "2026-11-22"
OPTIONS = Options()
NEW = 10**12 + 1  # the id the preview gives the first read it imagines Hardcover creating


def local(**changes) -> Local:
    base = Local(
        book_id=1,
        status="read",
        progress=1.0,
        started="2024-10-01",
        finished="2024-10-12",
        rating=None,
        date_added="2024-01-10",
        hc_book_id=100,
        edition_id=500,
        edition_pages=300,
    )
    return replace(base, **changes)


def entry(status: int, *reads: Read, edition_id: int | None = 500) -> Remote:
    return Remote(50, 100, status, None, 1, edition_id, "2024-01-10", tuple(reads))


def update(**fields) -> Action:
    return Action(UPDATE_ENTRY, 50, fields, ())


@pytest.mark.parametrize(
    ("before", "action", "reads"),
    [
        # Read on an entry without a read: Hardcover creates one finished today, no progress.
        (entry(WANT_TO_READ), update(status_id=READ), (Read(NEW, None, TODAY, None, 500),)),
        # ... on the entry's new edition when the same write changes it.
        (
            entry(WANT_TO_READ, edition_id=None),
            update(status_id=READ, edition_id=501),
            (Read(NEW, None, TODAY, None, 501),),
        ),
        # Read with an open read: that read gets today as its finish, progress kept.
        (
            entry(CURRENTLY_READING, Read(7, "2024-10-01", None, 120, 500)),
            update(status_id=READ),
            (Read(7, "2024-10-01", TODAY, 120, 500),),
        ),
        # Read when the latest read is finished: nothing is created or stamped.
        (
            entry(WANT_TO_READ, Read(7, "2024-01-01", "2024-02-01", 300, 500)),
            update(status_id=READ),
            (Read(7, "2024-01-01", "2024-02-01", 300, 500),),
        ),
        # The status stays Read: no new stamp.
        (entry(READ), update(rating=4.0), ()),
        # Currently Reading after a finished read opens a new read on the entry's edition.
        (
            entry(READ, Read(7, "2024-01-01", "2024-02-01", 300, 500)),
            update(status_id=CURRENTLY_READING),
            (Read(7, "2024-01-01", "2024-02-01", 300, 500), Read(8, edition_id=500)),
        ),
    ],
)
def test_hardcovers_answer_to_an_entry_update(before, action, reads):
    answer = expected_answer(before, action, today=TODAY, edition_pages=300)
    assert answer.reads == reads


def test_an_entry_inserted_as_read_gets_the_stamped_read_with_the_editions_pages():
    action = Action(INSERT_ENTRY, None, {"book_id": 100, "status_id": READ, "edition_id": 500}, ())
    answer = expected_answer(None, action, today=TODAY, edition_pages=300)
    assert answer.reads == (Read(NEW, None, TODAY, 300, 500),)


@pytest.mark.parametrize(
    ("book", "remote", "kinds", "reads"),
    [
        # A fresh profile: the insert stamps today, the read update puts the real dates.
        (local(), None, [INSERT_ENTRY, UPDATE_READ], [("2024-10-01", "2024-10-12")]),
        # Finished without dates: today's stamp is cleared, never left as the finish.
        (local(started=None, finished=None), None, [INSERT_ENTRY, UPDATE_READ], [(None, None)]),
        # The user's Want to Read entry, finished on a known date: a read is opened with its
        # start, then finished (Hardcover sets Read by itself): no stamp to correct, and
        # no stop in between leaves a date the library never had.
        (
            local(),
            entry(WANT_TO_READ),
            [INSERT_READ, UPDATE_READ],
            [("2024-10-01", "2024-10-12")],
        ),
        (
            local(started=None, finished=None),
            entry(WANT_TO_READ),
            [UPDATE_ENTRY, UPDATE_READ],
            [(None, None)],
        ),
        (
            local(started=None),
            entry(WANT_TO_READ),
            [INSERT_READ, UPDATE_READ],
            [(None, "2024-10-12")],
        ),
        # An open read gets its finish date in one write; Hardcover sets Read by itself.
        (
            local(),
            entry(CURRENTLY_READING, Read(7, "2024-10-01", None, 120, 500)),
            [UPDATE_READ],
            [("2024-10-01", "2024-10-12")],
        ),
    ],
)
def test_the_preview_ends_where_the_push_ends(book, remote, kinds, reads):
    done = preview(book, None, remote, OPTIONS, today=TODAY)
    assert [a.kind for a in done.actions] == kinds
    assert done.remote is not None and done.remote.status_id == READ
    assert [(r.started, r.finished) for r in done.remote.reads] == reads


# ------------------------------------------------------------------ against the fake Hardcover


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("reading", "on_hardcover"),
    [
        ({"started": "2024-10-01", "finished": "2024-10-12"}, None),
        ({"started": "2024-10-01", "finished": "2024-10-12"}, WANT_TO_READ),
        ({"started": None, "finished": "2024-10-12"}, WANT_TO_READ),
        ({"started": None, "finished": None}, WANT_TO_READ),
        ({"started": "2024-10-01", "finished": "2024-10-12"}, 6),  # Ignored, no read
    ],
)
async def test_a_dry_run_lists_the_writes_the_push_sends(world, reading, on_hardcover):
    world.add("b")
    ReadingState.update(status="read", progress=1.0, **reading).where(
        ReadingState.book == world.books["b"]
    ).execute()
    outbox.note_change(world.books["b"], ["status"])
    if on_hardcover is not None:
        world.catalog.add_user_book(
            world.hardcover.user_id, world.hc_books["b"], status_id=on_hardcover
        )
    dry = await world.sync(dry_run=True)
    sent = await world.sync()
    assert [a["kind"] for a in dry.books[0].actions] == [a["kind"] for a in sent.books[0].actions]
    assert dry.books[0].actions == sent.books[0].actions
    assert [(r["started_at"], r["finished_at"]) for r in world.reads("b")] == [
        (reading["started"], reading["finished"])
    ]
