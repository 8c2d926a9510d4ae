"""A value changed on hardcover.app is never pushed back by a later sync unless the user
changed it in the library since (then it is a conflict, held until the user picks).

Privacy and the edition have no field of their own in the reading state: privacy comes from
the sync settings, the edition from the book's link. Both are edited here on the fake as
hardcover.app would, then pulled, then several pushes run for other reasons.
"""

from __future__ import annotations

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.conflicts import listing, resolve
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from tests.fakes.hardcover_catalog import EBOOK
from tests.fakes.hardcover_shelves import edit_entry, edit_read

PRIVATE, FOLLOWERS, PUBLIC = 3, 2, 1


def _touching(world, since: int, *keys: str) -> list[dict]:
    """The mutations sent since request `since` whose variables name any of `keys`."""
    found = []
    for request in world.hardcover.requests[since:]:
        if request.operation_type != "mutation":
            continue
        text = repr(request.variables)
        if any(key in text for key in keys):
            found.append(request.variables)
    return found


async def test_privacy_changed_on_hardcover_is_not_pushed_back_by_later_syncs(world):
    sync_settings.save(privacy="public")
    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()  # created by BookOrbit: the push manages its privacy
    assert world.entry("a")["privacy_setting_id"] == PUBLIC
    edit_entry(world.catalog, world.entry("a")["id"], privacy_setting_id=PRIVATE)
    start = len(world.hardcover.requests)
    await world.sync()  # the pull sees it
    assert store.followed(book)["privacy_id"][0] == PRIVATE
    for rating in (4.0, 4.5):  # later syncs of other edits
        world.edit("a", rating=rating)
        await world.sync()
        await world.sync("a", due_only=True)
    assert world.entry("a")["rating"] == 4.5  # the other edits did go out
    assert world.entry("a")["privacy_setting_id"] == PRIVATE
    assert _touching(world, start, "privacy_setting_id") == []
    assert listing() == []


async def test_privacy_changed_on_both_sides_is_a_conflict_held_until_resolved(world):
    sync_settings.save(privacy="public")
    book = world.add("a", status="reading", started="2026-08-01")
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], privacy_setting_id=PRIVATE)
    sync_settings.save(privacy="followers")  # the user's own change, here, since that sync
    start = len(world.hardcover.requests)
    await world.sync()
    await world.sync()
    assert world.entry("a")["privacy_setting_id"] == PRIVATE
    assert _touching(world, start, "privacy_setting_id") == []
    (conflict,) = listing()
    assert (conflict["field"], conflict["local"], conflict["hardcover"]) == (
        "privacy",
        FOLLOWERS,
        PRIVATE,
    )
    resolve(book, "privacy", "local")
    await world.sync()
    assert world.entry("a")["privacy_setting_id"] == FOLLOWERS and listing() == []


async def test_a_privacy_setting_changed_after_the_pull_is_the_users_word(world):
    sync_settings.save(privacy="public")
    world.add("a", status="reading", started="2026-08-01")
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], privacy_setting_id=PRIVATE)
    await world.sync()
    sync_settings.save(privacy="followers")  # later than Hardcover's edit, and seen by it
    await world.sync()
    assert world.entry("a")["privacy_setting_id"] == FOLLOWERS and listing() == []


async def test_an_edition_picked_on_hardcover_is_not_pushed_back(world):
    world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    other = world.catalog.add_edition(world.hc_books["a"], pages=280, reading_format_id=EBOOK)
    edit_entry(world.catalog, world.entry("a")["id"], edition_id=other)
    start = len(world.hardcover.requests)
    for rating in (4.0, 4.5, 5.0):
        world.edit("a", rating=rating)
        await world.sync()
    assert world.entry("a")["rating"] == 5.0
    assert world.entry("a")["edition_id"] == other
    assert [v for v in _touching(world, start, "edition_id") if "'rating'" not in repr(v)] == []


async def test_dates_changed_on_hardcover_are_not_pushed_back(world):
    book = world.add("a", status="read", started="2026-08-01", finished="2026-08-09")
    await world.sync()
    read = world.reads("a")[-1]
    edit_read(world.catalog, read["id"], started_at="2026-07-30", finished_at="2026-08-11")
    for rating in (4.0, 4.5):
        world.edit("a", rating=rating)
        await world.sync()
    last = world.reads("a")[-1]
    assert (last["started_at"], last["finished_at"]) == ("2026-07-30", "2026-08-11")
    assert store.followed(book)["finished"][0] == "2026-08-11"
