"""Read dates from KOReader's reading history: they fill a gap on Hardcover, shown in the dry
run (the review) first, and never replace a date the user or Hardcover has, nor change a status."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync.model import FROM_HISTORY
from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book, make_epub
from tests.fakes.hardcover_catalog import EBOOK
from tests.library.history.koreader_file import KoBook, write_statistics

pytestmark = pytest.mark.asyncio
NOON = dt.datetime(2024, 10, 4, 12, 0).timestamp()  # local noon: the same date in any zone
DAY = 86_400


def linked_with_file(world, tmp_path, key: str, **reading) -> object:
    """A library book with its file, linked to its own Hardcover book, in `reading` state
    (set as given, without the rules: a book marked read long ago has no dates)."""
    epub = make_epub(tmp_path / f"{key}.epub", f"Book {key}", ("Ann Author",))
    book = add_book(f"Book {key}", ["Ann Author"], file=epub)
    hc_book = world.catalog.add_book(f"Book {key}", authors=["Ann Author"], users_count=3)
    edition = world.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="picked")
    ReadingState.update(progress=1.0, **reading).where(ReadingState.book == book.id).execute()
    outbox.note_change(book.id, ["status"])
    world.books[key], world.hc_books[key] = book.id, hc_book
    return epub


def give_history(tmp_path, key: str, epub) -> None:
    """KOReader's statistics for the book: read from 2024-10-04 to 2024-10-14."""
    sessions = [(1, int(NOON), 600, 300), (300, int(NOON) + 10 * DAY, 600, 300)]
    book = KoBook(f"Book {key}", "Ann Author", partial_md5(epub), 300, sessions)
    import_statistics(write_statistics(tmp_path / f"{key}.sqlite3", [book]))


def read_without_dates(world, tmp_path, key: str, status: str = "read") -> None:
    epub = linked_with_file(world, tmp_path, key, status=status, started=None, finished=None)
    give_history(tmp_path, key, epub)


async def test_a_read_book_without_dates_takes_them_from_its_history_shown_first(world, tmp_path):
    read_without_dates(world, tmp_path, "a")
    dry = await world.sync(dry_run=True)
    (book,) = dry.books
    assert FROM_HISTORY in book.notes
    changes = " · ".join(c for action in book.actions for c in action["changes"])
    assert "started 2024-10-04" in changes and "finished 2024-10-14" in changes
    assert world.mutations() == 0
    await world.sync()
    assert world.entry("a")["status_id"] == 3
    (read,) = world.reads("a")
    assert (read["started_at"], read["finished_at"]) == ("2024-10-04", "2024-10-14")


async def test_history_never_replaces_a_date_the_user_set_on_hardcover(world, tmp_path):
    epub = linked_with_file(world, tmp_path, "b", status="read", finished="2024-10-20")
    await world.sync()
    (read,) = world.reads("b")
    world.catalog.tables["user_book_reads"][read["id"]]["started_at"] = "2024-09-01"  # the user
    give_history(tmp_path, "b", epub)
    outbox.note_change(world.books["b"], ["status"])
    await world.sync()
    (read,) = world.reads("b")
    assert (read["started_at"], read["finished_at"]) == ("2024-09-01", "2024-10-20")


async def test_history_alone_never_changes_a_status(world, tmp_path):
    read_without_dates(world, tmp_path, "c", status="want_to_read")
    await world.sync()
    assert world.entry("c")["status_id"] == 1 and world.reads("c") == []


async def test_the_background_worker_never_sends_history_dates_by_itself(world, tmp_path):
    from bookorbit_desktop.library.store.models import SyncOutbox
    from bookorbit_desktop.library.store.settings import set_setting
    from bookorbit_desktop.services.sync import FIRST_SYNC_KEY, SyncService
    from bookorbit_desktop.services.sync_gate import PassGate
    from tests.hardcover.sync.test_trust import Account

    read_without_dates(world, tmp_path, "d")
    ReadingState.update(rating=4.0).where(ReadingState.book == world.books["d"]).execute()
    SyncOutbox.update(kinds={"rating": 0.0}).execute()  # a rating change, due at once
    set_setting(FIRST_SYNC_KEY, 0.0)
    world.clock.advance(10**6)
    await SyncService(Account(world), clock=world.clock, gate=PassGate()).push_due()
    assert world.entry("d")["rating"] == 4.0
    assert all(r["started_at"] is None for r in world.reads("d"))  # waits for the review
