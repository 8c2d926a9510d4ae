"""The pull from Hardcover against the loopback fake: paging, the mark, following, wishlist."""

from __future__ import annotations

from bookorbit_desktop.hardcover.pull import run, store
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_catalog import READ, WANT_TO_READ
from tests.fakes.hardcover_shelves import add_list, add_to_list, edit_entry, edit_read


def _reading(book_id: int) -> ReadingState:
    return ReadingState.get_by_id(book_id)


def _pulls(world) -> int:
    return sum(1 for r in world.hardcover.requests if r.operation_name == "PullUserBooks")


async def test_a_full_pull_pages_every_entry_and_keeps_the_wishlist(world):
    uid = world.hardcover.user_id
    for n in range(230):
        book = world.catalog.add_book(f"Wish {n}", authors=["Bea Writer"])
        world.catalog.add_edition(book, isbn_13=f"978000000{n:04d}")
        world.catalog.add_user_book(uid, book, status_id=WANT_TO_READ)
    result = await pull(world.client, uid, full=True)
    assert result.error is None and result.full
    assert result.entries == 230
    assert _pulls(world) == 3  # 100 + 100 + 30: the cap is respected, no row twice
    kept = store.pulled()
    assert len(kept) == 230 and len({k["user_book_id"] for k in kept}) == 230
    first = next(k for k in kept if k["title"] == "Wish 0")
    assert first["authors"] == ["Bea Writer"] and first["slug"] == "wish-0"
    assert first["status_id"] == WANT_TO_READ


async def test_after_the_full_pass_only_what_changed_is_read(world):
    uid = world.hardcover.user_id
    ids = [
        world.catalog.add_user_book(uid, world.catalog.add_book(f"B{n}"), status_id=WANT_TO_READ)
        for n in range(150)
    ]
    await pull(world.client, uid, full=True)
    world.hardcover.requests.clear()
    edit_entry(world.catalog, ids[7], status_id=READ, rating=4.5)
    result = await pull(world.client, uid)
    assert not result.full and result.error is None
    assert sum(r.charged for r in world.hardcover.requests) <= 3  # entries, lists, reads
    changed = next(k for k in store.pulled() if k["user_book_id"] == ids[7])
    assert changed["status_id"] == READ and changed["rating"] == 4.5
    assert changed["changed_fields"] == ["rating", "status_id"]
    # Nothing new: rows after the mark only, so the entry at it is not read again.
    world.hardcover.requests.clear()
    again = await pull(world.client, uid)
    assert again.entries == 0 and again.followed == []
    assert sum(r.charged for r in world.hardcover.requests) <= 3


async def test_a_change_on_hardcover_only_is_followed_and_not_pushed_back(world):
    book = world.add("a", status="reading", started="2026-08-01")
    await world.sync()  # the first push: the base
    entry = world.entry("a")
    read = world.reads("a")[-1]
    edit_entry(world.catalog, entry["id"], status_id=READ, rating=4.0)
    edit_read(world.catalog, read["id"], finished_at="2026-08-20")
    sent = len(world.hardcover.requests)
    await world.sync()  # Sync Now: the pull first, then the push
    reading = _reading(book)
    assert (reading.status, reading.rating, reading.finished) == ("read", 4.0, "2026-08-20")
    assert reading.finished_source == "hardcover"
    # Nothing of it is sent back; only the finished read's page count is filled in.
    writes = [r for r in world.hardcover.requests[sent:] if r.operation_type == "mutation"]
    assert [w.operation_name for w in writes] in ([], ["UpdateUserBookRead"])
    assert world.entry("a")["rating"] == 4.0 and world.entry("a")["status_id"] == READ
    assert (world.reads("a")[-1]["started_at"], world.reads("a")[-1]["finished_at"]) == (
        "2026-08-01",
        "2026-08-20",
    )
    assert set(store.followed(book)) >= {"status_id", "rating", "finished"}


async def test_a_field_changed_on_both_sides_is_a_conflict_until_the_user_picks(world):
    from bookorbit_desktop.hardcover.pull.conflicts import listing, resolve

    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    before = world.mutations()
    await world.sync()
    assert world.entry("a")["rating"] == 5.0  # not overwritten
    assert _reading(book).rating == 1.5  # nor here
    assert world.mutations() == before
    (conflict,) = listing()
    assert (conflict["field"], conflict["local"], conflict["hardcover"]) == ("rating", 1.5, 5.0)
    await world.sync()
    assert world.entry("a")["rating"] == 5.0 and len(listing()) == 1
    resolve(book, "rating", "local")
    await world.sync()
    assert world.entry("a")["rating"] == 1.5 and listing() == []


async def test_keeping_hardcovers_value_writes_it_here(world):
    from bookorbit_desktop.hardcover.pull.conflicts import listing, resolve

    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    await world.sync()
    resolve(book, "rating", "hardcover")
    assert _reading(book).rating == 5.0 and listing() == []
    before = world.mutations()
    await world.sync()
    assert world.mutations() == before and world.entry("a")["rating"] == 5.0


async def test_a_failed_pull_says_so_and_a_cut_full_pass_resumes(world):
    uid = world.hardcover.user_id
    for n in range(250):
        world.catalog.add_user_book(uid, world.catalog.add_book(f"C{n}"))

    def after(name):  # the first page arrives, then Hardcover goes away for a while
        if name == "PullUserBooks" and world.hardcover.after_operation is not None:
            world.hardcover.after_operation = None
            world.hardcover.fail_next(503, times=8)

    world.hardcover.after_operation = after
    first = await pull(world.client, uid, full=True)
    assert first.error and "try again" in first.error
    assert run.status()["resuming"] and len(store.pulled()) == 100
    world.hardcover._faults.clear()
    world.hardcover.requests.clear()
    second = await pull(world.client, uid)
    assert second.full and second.error is None and len(store.pulled()) == 250
    assert _pulls(world) == 2  # pages 2 and 3 only
    assert not run.status()["resuming"]


async def test_lists_are_pulled_past_the_row_cap(world):
    uid = world.hardcover.user_id
    books = [world.catalog.add_book(f"L{n}") for n in range(130)]
    add_list(world.catalog, uid, "Summer", tuple(books))
    add_list(world.catalog, uid, "Short", (books[0],))
    await pull(world.client, uid, full=True)
    lists = {item["name"]: item for item in store.pulled_lists()}
    assert lists["Summer"]["book_ids"] == books and lists["Short"]["book_ids"] == [books[0]]


async def test_lists_are_read_again_only_once_they_change(world):
    uid = world.hardcover.user_id
    books = [world.catalog.add_book(f"M{n}") for n in range(130)]
    add_list(world.catalog, uid, "Short", (books[0],))
    summer = add_list(world.catalog, uid, "Summer", tuple(books[:120]))  # the newest, > 100
    await pull(world.client, uid, full=True)
    world.hardcover.requests.clear()
    unchanged = await pull(world.client, uid)
    assert unchanged.lists == 0 and len(world.hardcover.requests) == 3  # entries, lists, reads
    add_to_list(world.catalog, summer, books[125])
    world.hardcover.requests.clear()
    changed = await pull(world.client, uid)
    assert changed.lists == 1
    assert [r.operation_name for r in world.hardcover.requests] == [
        "PullUserBooks",
        "PullLists",
        "PullListBooks",
        "PullReads",
    ]
    lists = {item["name"]: item for item in store.pulled_lists()}
    assert lists["Summer"]["book_ids"] == [*books[:120], books[125]]


async def test_a_conflict_ends_by_itself_once_both_sides_agree(world):
    from bookorbit_desktop.hardcover.pull.conflicts import listing

    world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    await world.sync()
    assert len(listing()) == 1
    world.edit("a", rating=5.0)  # the user takes Hardcover's value by hand
    edit_entry(world.catalog, world.entry("a")["id"], privacy_setting_id=3)  # any change there
    await world.sync()
    assert listing() == []
    assert world.entry("a")["rating"] == 5.0


async def test_an_entry_changed_during_a_full_pass_skips_no_other(world):
    uid = world.hardcover.user_id
    ids = [world.catalog.add_user_book(uid, world.catalog.add_book(f"D{n}")) for n in range(250)]

    def after(name):  # between the first and second page, an early entry changes on the site
        if name == "PullUserBooks" and world.hardcover.after_operation is not None:
            world.hardcover.after_operation = None
            edit_entry(world.catalog, ids[5], rating=2.0)

    world.hardcover.after_operation = after
    result = await pull(world.client, uid, full=True)
    kept = {k["user_book_id"]: k for k in store.pulled()}
    assert set(kept) == set(ids)  # with offsets, the row moved under the page edge was lost
    assert kept[ids[5]]["rating"] == 2.0 and result.entries == 251
