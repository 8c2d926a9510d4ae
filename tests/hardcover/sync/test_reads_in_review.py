"""A read deleted or edited in the library is shown by Sync Now's review as the write it is,
and the user's word holds for it: Cancel keeps it from Hardcover through the background
worker's passes, Send makes it. Against the fake Hardcover on 127.0.0.1 with a real account."""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.library.reads.edits import add_read, edit_read, remove_read
from bookorbit_desktop.library.reads.store import book_reads
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import SyncOutbox
from bookorbit_desktop.services.hardcover.sync_worker import POLL_SECONDS, SyncWorker
from tests.fakes.clock import VirtualClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover
from tests.hardcover.sync.idle_states import library_in


def _reads(fake: FakeHardcover, user_id: int, hc_book: int) -> list[tuple]:
    entry = fake.catalog.user_book_for(user_id, hc_book)
    return sorted(
        (r["id"], r["started_at"], r["finished_at"]) for r in fake.catalog.reads_of(entry["id"])
    )


def _changes(report, book_id: int) -> list[str]:
    (book,) = [b for b in report.books if b.book_id == book_id]
    return [change for action in book.actions for change in action["changes"]]


async def test_a_deleted_and_an_edited_read_wait_for_the_users_word(tmp_path: Path) -> None:
    clock = VirtualClock()
    fake = FakeHardcover(Catalog(), clock=clock)
    await fake.start()
    open_database(tmp_path / "library.sqlite3")
    try:
        async with library_in(fake, tmp_path / "keyring.json", clock) as idle:
            service, worker = idle.service, SyncWorker(idle.service, sleep=clock.sleep)
            book = idle.synced[0]
            (candidate,) = store.candidates([book])
            hc_book = candidate.local.hc_book_id
            assert (await service.sync(dry_run=True)).shown == []  # nothing waits: none shown
            add_read(book, started="2026-03-01", finished="2026-03-09")  # a re-read
            await service.sync()
            (first, _), (second, _) = [(r.hardcover_read_id, r) for r in book_reads(book)]
            assert [r[0] for r in _reads(fake, idle.user_id, hc_book)] == [first, second]

            earlier, _latest = book_reads(book)
            remove_read(earlier.id)
            review = await service.sync(dry_run=True)
            assert book in review.shown
            assert _changes(review, book) == [f"delete read {first} (2024-01-10 to 2024-02-03)"]
            service.decline(review.shown)  # Cancel
            for _ in range(3):  # the background worker's passes, every change long due
                SyncOutbox.update(kinds={"status": 0.0}).execute()
                await worker.run_once()
                await clock.sleep(POLL_SECONDS)
            assert [r[0] for r in _reads(fake, idle.user_id, hc_book)] == [first, second]

            await service.sync()  # Send
            assert [r[0] for r in _reads(fake, idle.user_id, hc_book)] == [second]

            add_read(book, started="2026-05-01", finished="2026-05-10")  # another re-read
            await service.sync()
            middle = book_reads(book)[0]
            edit_read(middle.id, finished="2026-03-12")
            review = await service.sync(dry_run=True)
            assert f"read {second}" in _changes(review, book)
            assert (second, "2026-03-01", "2026-03-09") in _reads(fake, idle.user_id, hc_book)
            await service.sync()
            assert (second, "2026-03-01", "2026-03-12") in _reads(fake, idle.user_id, hc_book)
    finally:
        close_database()
        await fake.close()
