"""The reconciler's rules, table by table, run through `preview` (Hardcover's side effects
modelled as documented), so each case shows every write a push makes and where it ends."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.sync.kept import snapshot_after
from bookorbit_desktop.hardcover.sync.model import (
    PRIVATE,
    PUBLIC,
    Local,
    Options,
    Read,
    Remote,
    Snapshot,
    progress_pages,
    wanted_for,
)
from bookorbit_desktop.hardcover.sync.preview import preview
from bookorbit_desktop.hardcover.sync.reconcile import (
    INSERT_ENTRY,
    INSERT_READ,
    UPDATE_ENTRY,
    UPDATE_READ,
)

TODAY = "2026-11-22"
OPTIONS = Options(privacy_id=PUBLIC)


def local(**changes) -> Local:
    base = Local(
        book_id=1,
        status="reading",
        progress=0.5,
        started="2026-03-01",
        finished=None,
        rating=None,
        date_added="2026-01-10",
        hc_book_id=100,
        edition_id=500,
        edition_pages=300,
    )
    return replace(base, **changes)


def synced(book: Local, remote: Remote | None = None, options: Options = OPTIONS):
    """Push `book` to `remote` (a fresh profile by default); the snapshot and entry after it."""
    done = preview(book, None, remote, options, today=TODAY)
    return snapshot_after(book, options, done.remote, done.tracking), done.remote


def kinds(result) -> list[str]:
    return [a.kind for a in result.actions]


# ------------------------------------------------------------------ first push of a book


@pytest.mark.parametrize(
    ("book", "expected_kinds", "final_status", "final_read"),
    [
        (local(status="want_to_read"), [INSERT_ENTRY], 1, None),
        (
            local(),
            [INSERT_ENTRY, UPDATE_READ],
            2,
            Read(0, "2026-03-01", None, 150, 500),
        ),
        (
            local(status="read", progress=0.97, finished="2026-02-20", started="2026-01-05"),
            [INSERT_ENTRY, UPDATE_READ],
            3,
            Read(0, "2026-01-05", "2026-02-20", 300, 500),
        ),
        # No dates known: Hardcover's "finished today" is not kept.
        (
            local(status="read", started=None, finished=None),
            [INSERT_ENTRY, UPDATE_READ],
            3,
            Read(0, None, None, 300, 500),
        ),
        (
            local(status="on_hold", progress=0.2),
            [INSERT_ENTRY, INSERT_READ],
            4,
            Read(0, "2026-03-01", None, 60, 500),
        ),
        (
            local(status="abandoned", progress=0.1),
            [INSERT_ENTRY, INSERT_READ],
            5,
            Read(0, "2026-03-01", None, 30, 500),
        ),
        (
            local(status="skimmed", finished="2026-04-01"),
            [INSERT_ENTRY, UPDATE_READ],
            3,
            Read(0, "2026-03-01", "2026-04-01", 300, 500),
        ),
        # An edition without pages: everything but progress goes out, and nothing fails.
        (
            local(edition_pages=None),
            [INSERT_ENTRY, UPDATE_READ],
            2,
            Read(0, "2026-03-01", None, None, 500),
        ),
    ],
)
def test_first_push(book, expected_kinds, final_status, final_read):
    result = preview(book, None, None, OPTIONS, today=TODAY)
    assert kinds(result) == expected_kinds
    insert = result.actions[0].fields
    assert insert["book_id"] == 100
    assert insert["date_added"] == "2026-01-10"  # the day it entered the library
    assert insert["privacy_setting_id"] == PUBLIC
    assert result.remote is not None and result.remote.status_id == final_status
    if final_read is None:
        assert result.remote.reads == ()
    else:
        (read,) = result.remote.reads
        assert replace(read, id=0) == final_read
    # every read write carries all four fields
    for action in result.actions[1:]:
        assert set(action.fields) == {"started_at", "finished_at", "progress_pages", "edition_id"}


def test_unread_books_are_never_sent():
    assert preview(local(status="unread"), None, None, OPTIONS, today=TODAY).actions == ()


def test_rating_and_edition_go_out_with_the_insert():
    result = preview(local(status="want_to_read", rating=4.5), None, None, OPTIONS, today=TODAY)
    assert result.actions[0].fields["rating"] == 4.5
    assert result.actions[0].fields["edition_id"] == 500


@pytest.mark.parametrize(
    ("fraction", "pages", "expected"),
    [
        (0.0, 300, None),
        (0.001, 300, 1),
        (0.5, 300, 150),
        (0.4983, 300, 149),
        (0.4984, 300, 150),  # rounds half up
        (1.0, 300, 300),
        (1.2, 300, 300),
        (0.5, None, None),
        (0.5, 0, None),
        (float("nan"), 300, None),
    ],
)
def test_progress_pages(fraction, pages, expected):
    assert progress_pages(fraction, pages) == expected


# ------------------------------------------------------------------ later pushes


def test_an_unchanged_book_sends_nothing():
    book = local(rating=3.0)
    snapshot, remote = synced(book)
    assert preview(book, snapshot, remote, OPTIONS, today=TODAY).actions == ()


@pytest.mark.parametrize(
    ("change", "expected_kind", "expected_fields"),
    [
        ({"progress": 0.6}, UPDATE_READ, {"progress_pages": 180, "started_at": "2026-03-01"}),
        ({"rating": 4.0}, UPDATE_ENTRY, {"rating": 4.0}),
        ({"status": "on_hold"}, UPDATE_ENTRY, {"status_id": 4}),
        ({"status": "want_to_read"}, UPDATE_ENTRY, {"status_id": 1}),
        ({"started": "2026-02-27"}, UPDATE_READ, {"started_at": "2026-02-27"}),
    ],
)
def test_one_local_change_is_one_write(change, expected_kind, expected_fields):
    book = local()
    snapshot, remote = synced(book)
    result = preview(replace(book, **change), snapshot, remote, OPTIONS, today=TODAY)
    assert kinds(result) == [expected_kind]
    assert expected_fields.items() <= result.actions[0].fields.items()


def test_clearing_the_rating_clears_it_on_hardcover():
    book = local(rating=4.0)
    snapshot, remote = synced(book)
    result = preview(replace(book, rating=None), snapshot, remote, OPTIONS, today=TODAY)
    assert [a.fields for a in result.actions] == [{"rating": None}]


def test_finishing_a_book_is_one_write_with_its_real_finish_date_never_today():
    book = local()
    snapshot, remote = synced(book)
    done = replace(book, status="read", progress=1.0, finished="2026-04-02")
    result = preview(done, snapshot, remote, OPTIONS, today=TODAY)
    assert kinds(result) == [UPDATE_READ]  # the finish date sets Read: no "today" in between
    assert result.remote.status_id == 3
    (read,) = result.remote.reads
    assert (read.started, read.finished, read.pages) == ("2026-03-01", "2026-04-02", 300)


def test_a_reread_opens_a_new_read_and_leaves_the_finished_one_alone():
    first = local(status="read", progress=1.0, finished="2026-04-02")
    snapshot, remote = synced(first)
    reread = replace(first, status="rereading", progress=0.1, started="2026-06-01", finished=None)
    result = preview(reread, snapshot, remote, OPTIONS, today=TODAY)
    assert kinds(result) == [UPDATE_ENTRY, UPDATE_READ]
    old, new = sorted(result.remote.reads, key=lambda r: r.id)
    assert (old.started, old.finished, old.pages) == ("2026-03-01", "2026-04-02", 300)
    assert (new.started, new.finished, new.pages) == ("2026-06-01", None, 30)
    # the forward-only baseline restarted: 30 pages is below the old read's 300
    assert result.ahead is None


def test_a_stale_device_never_rewinds_the_profile():
    book = local(progress=0.8)
    snapshot, remote = synced(book)
    stale = replace(book, progress=0.3)
    result = preview(stale, snapshot, remote, OPTIONS, today=TODAY)
    assert result.actions == ()
    assert result.ahead == (90, 240)
    assert any("Hardcover is ahead" in note for note in result.notes)
    forced = preview(stale, snapshot, remote, Options(allow_rewind=True), today=TODAY)
    assert [a.fields["progress_pages"] for a in forced.actions] == [90]


def test_progress_made_on_hardcover_is_not_rewound_by_an_unchanged_library():
    book = local(progress=0.5)
    snapshot, remote = synced(book)
    (read,) = remote.reads
    remote = replace(remote, reads=(replace(read, pages=200),))
    assert preview(book, snapshot, remote, OPTIONS, today=TODAY).actions == ()


@pytest.mark.parametrize(
    ("remote_change", "note"),
    [
        ({"rating": 5.0}, "rating changed on Hardcover; kept"),
        ({"status_id": 3}, "status changed on Hardcover; kept"),
        ({"privacy_id": PRIVATE}, "privacy changed on Hardcover; kept"),
    ],
)
def test_an_edit_made_on_hardcover_is_not_clobbered(remote_change, note):
    book = local(rating=3.0)
    snapshot, remote = synced(book)
    edited = replace(remote, **remote_change)
    result = preview(book, snapshot, edited, OPTIONS, today=TODAY)
    assert result.actions == ()
    assert note in result.notes


def test_a_local_change_wins_over_an_edit_made_on_hardcover():
    book = local(rating=3.0)
    snapshot, remote = synced(book)
    result = preview(
        replace(book, rating=4.0), snapshot, replace(remote, rating=5.0), OPTIONS, today=TODAY
    )
    assert [a.fields for a in result.actions] == [{"rating": 4.0}]


def test_privacy_changes_apply_to_entries_bookorbit_created_and_to_all_only_when_asked():
    book = local()
    snapshot, remote = synced(book)
    private = Options(privacy_id=PRIVATE)
    result = preview(book, snapshot, remote, private, today=TODAY)
    assert [a.fields for a in result.actions] == [{"privacy_setting_id": PRIVATE}]
    adopted = replace(snapshot, created_by_us=False)
    assert preview(book, adopted, remote, private, today=TODAY).actions == ()
    everyone = Options(privacy_id=PRIVATE, privacy_for_all=True)
    assert kinds(preview(book, adopted, remote, everyone, today=TODAY)) == [UPDATE_ENTRY]


# ------------------------------------------------------------------ adopting what is there

EXISTING = Remote(
    user_book_id=77,
    book_id=100,
    status_id=2,
    rating=4.0,
    privacy_id=PRIVATE,
    edition_id=501,
    date_added="2025-12-01",
    reads=(Read(9, "2025-12-02", None, 20, 501),),
)


def test_an_existing_entry_is_adopted_never_duplicated():
    result = preview(local(progress=0.5), None, EXISTING, OPTIONS, today=TODAY)
    assert INSERT_ENTRY not in kinds(result) and INSERT_READ not in kinds(result)
    assert kinds(result) == [UPDATE_READ]
    write = result.actions[0]
    assert write.target == 9  # the open read already there
    # what the library knows wins; the rating it does not have, the privacy and edition stay
    assert write.fields == {
        "started_at": "2026-03-01",
        "finished_at": None,
        "progress_pages": 150,
        "edition_id": 500,
    }
    assert (result.remote.rating, result.remote.privacy_id) == (4.0, PRIVATE)
    assert not result.tracking.created_by_us


def test_an_adopted_entrys_finished_read_is_never_rewritten():
    finished = replace(
        EXISTING, status_id=3, reads=(Read(9, "2025-12-02", "2025-12-20", 310, 501),)
    )
    book = local(status="read", progress=1.0, finished="2026-01-03")
    result = preview(book, None, finished, OPTIONS, today=TODAY)
    assert result.actions == ()
    assert "Hardcover's finished read kept as it is" in result.notes


def test_finishing_an_adopted_open_read_sends_its_date_with_the_finish():
    book = local(status="read", progress=1.0, started=None, finished="2026-01-03")
    result = preview(book, None, EXISTING, OPTIONS, today=TODAY)
    assert kinds(result) == [UPDATE_READ]
    (read,) = result.remote.reads
    assert read.id == 9
    assert (read.started, read.finished) == ("2025-12-02", "2026-01-03")


def test_finishing_without_a_known_date_does_not_keep_the_stamped_today():
    book = local(status="read", progress=1.0, finished=None)
    result = preview(book, None, EXISTING, OPTIONS, today=TODAY)
    (read,) = result.remote.reads
    assert read.finished is None


def test_a_status_change_on_an_adopted_entry_adopts_the_read_hardcover_opens():
    want = replace(EXISTING, status_id=1, reads=())
    result = preview(local(progress=0.25), None, want, OPTIONS, today=TODAY)
    assert kinds(result) == [UPDATE_ENTRY, UPDATE_READ]
    assert len(result.remote.reads) == 1


def test_an_entry_removed_on_hardcover_is_not_added_back_until_the_book_changes():
    book = local()
    snapshot, _remote = synced(book)
    result = preview(book, snapshot, None, OPTIONS, today=TODAY)
    assert result.actions == ()
    assert "removed on Hardcover; not added back" in result.notes
    changed = preview(replace(book, progress=0.7), snapshot, None, OPTIONS, today=TODAY)
    assert kinds(changed)[0] == INSERT_ENTRY


def test_a_snapshot_of_another_hardcover_book_is_ignored():
    book = local()
    snapshot, _remote = synced(book)
    relinked = replace(book, hc_book_id=101)
    result = preview(relinked, snapshot, None, OPTIONS, today=TODAY)
    assert kinds(result)[0] == INSERT_ENTRY


def test_wanted_values_follow_the_status_map():
    assert wanted_for(local(status="unread"), OPTIONS) is None
    table = {
        "want_to_read": 1,
        "reading": 2,
        "rereading": 2,
        "on_hold": 4,
        "read": 3,
        "skimmed": 3,
        "abandoned": 5,
    }
    for status, status_id in table.items():
        assert wanted_for(local(status=status), OPTIONS).status_id == status_id


def test_the_snapshot_round_trips_through_json():
    snapshot, _remote = synced(local(rating=2.5))
    assert Snapshot.from_json(snapshot.to_json()) == snapshot


# ------------------------------------------------------------------ another edition's page

# (Hardcover's edition length, its read's page, the library's progress on its 300-page edition)
#   -> the page sent in the new edition, and whether Hardcover is reported ahead
MOVED = {
    "all of a short edition stays all of the new one": ((150, 150, 0.75), (300, True)),
    "half of a short edition is behind three quarters": ((150, 75, 0.75), (225, False)),
    "a long edition's page is measured in its own edition": ((600, 500, 0.75), (250, True)),
    "unknown length: the library's page (the user picked it)": ((None, 150, 0.75), (225, False)),
}  # fmt: skip


@pytest.mark.parametrize("given, expected", MOVED.values(), ids=MOVED)
def test_a_page_of_another_edition_is_compared_by_how_far_in_it_is(given, expected):
    length, page, progress = given
    read = Read(7, "2026-03-01", None, page, edition_id=400, edition_pages=length)
    remote = Remote(1, 100, 2, edition_id=400, reads=(read,), edition_pages=length)
    book = local(progress=progress, edition_pinned=True)
    done = preview(book, None, remote, OPTIONS, today=TODAY)
    (moved,) = done.remote.reads
    assert (moved.pages, moved.edition_id, done.ahead is not None) == (
        expected[0],
        500,
        expected[1],
    )


def test_an_open_read_the_edition_change_takes_along_keeps_how_far_in_it_is():
    """The copy the user chose is only wanted: the entry becomes Want to Read on that copy's
    edition, and the open read Hardcover moves with it keeps its place in the book."""
    snapshot, remote = synced(local(progress=0.5, edition_id=400, edition_pages=480))
    chosen = local(status="want_to_read", progress=0.0, edition_id=500, edition_pages=279)
    done = preview(chosen, snapshot, remote, OPTIONS, today=TODAY)
    (read,) = done.remote.reads
    assert (done.remote.status_id, read.edition_id, read.pages) == (1, 500, 140)
