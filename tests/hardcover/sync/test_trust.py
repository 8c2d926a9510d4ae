"""The sync never lowers, deletes or invents anything on the profile: copies of one book,
changes that land during a push, Cancel, writes cut off half way, and what the background
worker may publish by itself."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest

from bookorbit_desktop.hardcover.api.client import RetryPolicy
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.sync import store
from bookorbit_desktop.hardcover.sync.results import CANCELLED, HANDED_OVER, PARTIAL
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, HardcoverSync, ReadingState, SyncOutbox
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY, SyncService
from bookorbit_desktop.services.hardcover.sync_gate import PassGate
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK
from tests.hardcover.sync.conftest import ADDED

pytestmark = pytest.mark.asyncio


@dataclass
class Account:
    world: object

    @asynccontextmanager
    async def open_client(self):
        yield self.world.client


def service(world) -> SyncService:
    set_setting(FIRST_SYNC_KEY, 0.0)  # the user has synced by hand before
    return SyncService(Account(world), clock=world.clock, gate=PassGate())


def copy_of(world, key: str, title: str, **reading) -> int:
    """Another local book (a second copy, a translation) linked to the same Hardcover book."""
    book = add_book(title, ["Ann Author"], added_at=ADDED)
    pin(book.id, world.hc_books[key], edition_id=world.editions[key], edition_pages=300,
        reason="picked")  # fmt: skip
    if reading:
        update_reading_state(book.id, **reading)
    return book.id


def due_now(world) -> None:
    world.clock.advance(10**6)
    SyncOutbox.update(kinds={"status": 0.0, "progress": 0.0}).execute()


async def test_a_second_copy_marked_want_to_read_never_lowers_a_finished_read(world):
    world.add("dune", status="read", started="2025-01-02", finished="2025-02-03", rating=4.5)
    await world.sync()
    before = world.entry("dune")
    assert (before["status_id"], before["rating"]) == (3, 4.5)
    copy_of(world, "dune", "Der Wüstenplanet", status="want_to_read")
    due_now(world)
    result = await service(world).push_due()  # the background worker
    entry = world.entry("dune")
    assert (entry["status_id"], entry["rating"]) == (3, 4.5)
    (read,) = world.reads("dune")
    assert (read["started_at"], read["finished_at"]) == ("2025-01-02", "2025-02-03")
    assert [b.notes for b in result.books] == [("2 copies linked: Read and Want to Read",)]
    assert outbox.queued() == []


async def test_copies_give_one_entry_the_furthest_status_and_the_current_read(world):
    world.add("hp", status="want_to_read")
    copy_of(world, "hp", "Harry Potter (German)", status="reading", started="2026-03-01",
            progress=0.5)  # fmt: skip
    report = await service(world).sync()
    assert len(report.books) == 1 and report.books[0].outcome == "sent"
    entry = world.entry("hp")
    assert entry["status_id"] == 2
    (read,) = world.reads("hp")
    assert (read["started_at"], read["progress_pages"]) == ("2026-03-01", 150)
    entries = [
        e for e in world.catalog.tables["user_books"].values() if e["book_id"] == entry["book_id"]
    ]
    assert len(entries) == 1


async def test_a_push_that_lands_while_its_book_is_being_pushed_is_not_lost(world):
    world.add("a", status="reading", started="2026-03-01", progress=0.3)
    await world.sync()
    world.edit("a", progress=0.5)
    landed = []

    def koreader_push(operation):
        if operation == "UpdateUserBookRead" and not landed:
            landed.append(operation)
            world.edit("a", progress=0.7)  # arrives while the worker's write is on the wire

    world.hardcover.after_operation = koreader_push
    due_now(world)
    mine = service(world)
    await mine.push_due()
    assert landed and [q.book_id for q in outbox.queued()] == [world.books["a"]]
    due_now(world)
    await mine.push_due()
    (read,) = world.reads("a")
    assert read["progress_pages"] == 210
    assert outbox.queued() == []


async def test_cancel_holds_the_books_not_reached_until_the_user_sends_them(world):
    for key in ("a", "b", "c"):
        world.add(key, status="want_to_read")
    cancel = asyncio.Event()
    mine = service(world)

    def progress(p) -> None:
        if p.done == 1:
            cancel.set()

    report = await mine.sync(progress=progress, cancel=cancel)
    assert report.stopped == CANCELLED
    assert [world.entry(k) is not None for k in "abc"] == [True, False, False]
    due_now(world)
    for _ in range(3):
        await mine.push_due()  # the worker does not send what the user cancelled
    assert world.entry("b") is None and world.entry("c") is None
    world.edit("b", rating=4.0)  # a change of one of those books does not lift the hold
    due_now(world)
    await mine.push_due()
    assert world.entry("b") is None and world.entry("c") is None
    await mine.sync()  # the user syncs again: their Send
    assert world.entry("b")["rating"] == 4 and world.entry("c") is not None


async def test_sync_now_takes_over_from_the_workers_pass_in_the_same_process(world):
    for key in ("a", "b", "c"):
        world.add(key, status="want_to_read")
    mine = service(world)
    due_now(world)
    started = asyncio.Event()

    def first_write(operation):
        if operation == "InsertUserBook":
            started.set()

    world.hardcover.after_operation = first_write
    worker = asyncio.create_task(mine.push_due())
    await started.wait()
    user = await mine.sync()
    background = await worker
    assert background.stopped == HANDED_OVER
    assert user.stopped is None
    hc_books = [e["book_id"] for e in world.catalog.tables["user_books"].values()]
    assert sorted(hc_books) == sorted(world.hc_books.values())  # each entry exactly once


async def test_the_worker_publishes_no_new_books_by_itself_when_more_than_five_wait(world):
    world.add("old", status="reading", started="2026-03-01", progress=0.2)
    await world.sync()
    for n in range(7):
        world.add(f"new{n}", status="reading", started="2026-03-01", progress=0.1)
    world.edit("old", progress=0.4)
    due_now(world)
    result = await service(world).push_due()
    assert result.awaiting_review == 7
    assert all(world.entry(f"new{n}") is None for n in range(7))
    assert world.reads("old")[0]["progress_pages"] == 120  # known books still go


async def test_an_idle_worker_sends_nothing_whatever_is_queued_for_unlinked_books(world):
    from bookorbit_desktop.hardcover.matching.store import exclude
    from bookorbit_desktop.library.store.models import HardcoverMatch

    excluded = world.add("x", status="reading", started="2026-03-01", progress=0.2)
    exclude(excluded)
    review = add_book("Waiting for a pick", ["Someone"])
    HardcoverMatch.insert(book=review.id, state="needs_review", pinned=False,
                          created_by_us=False, candidates=[], updated_at=0).execute()  # fmt: skip
    update_reading_state(review.id, status="reading", progress=0.3)
    nothing = add_book("No match", ["Nobody"])
    HardcoverMatch.insert(book=nothing.id, state="no_match", pinned=False,
                          created_by_us=False, candidates=[], updated_at=0).execute()  # fmt: skip
    update_reading_state(nothing.id, status="reading", progress=0.3)
    mine = service(world)
    world.hardcover.reset_counters()
    for _ in range(180):  # 30 minutes of a 10 s poll
        world.clock.advance(10)
        assert await mine.push_due() is None
    assert len(world.hardcover.requests) == 0
    assert len(outbox.queued()) >= 2  # the changes wait, they are not thrown away


async def test_the_worker_matches_a_book_started_after_the_first_sync_and_pushes_it(world):
    await service(world).sync()  # the first sync by hand, with nothing to send yet
    hc_book = world.catalog.add_book("Brave New World", authors=["Aldous Huxley"],
                                     users_count=50)  # fmt: skip
    world.catalog.add_edition(hc_book, isbn_13="9780060850524", pages=288)
    book = add_book("Brave New World", ["Aldous Huxley"], isbn13="9780060850524")
    update_reading_state(book.id, status="reading", started="2026-03-02", progress=0.25)
    Book.update(updated_at=world.clock()).where(Book.id == book.id).execute()  # the clock's
    mine = service(world)
    world.clock.advance(60)
    await mine.push_due()  # looks it up
    due_now(world)
    await mine.push_due()  # then pushes it like any linked book
    entry = world.catalog.user_book_for(world.hardcover.user_id, hc_book)
    assert entry is not None and entry["status_id"] == 2


async def test_a_book_left_half_written_is_repaired_without_taking_its_own_write_for_an_edit(
    world,
):
    world.add("a", status="reading", started="2026-03-01", progress=0.5)
    await world.sync()
    # Finished on the device with no finish date known here (set directly, as an import would).
    ReadingState.update(status="read", finished=None, progress=1.0).where(
        ReadingState.book == world.books["a"]
    ).execute()
    outbox.note_change(world.books["a"], ["status"])
    world.hardcover.fail_next(401, operation="UpdateUserBookRead")  # the token is revoked
    first = await world.sync()
    assert [b.outcome for b in first.books] == [PARTIAL]
    assert "partly written" in (first.books[0].error or "")
    assert world.entry("a")["status_id"] == 3  # Hardcover stamped today on the read...
    second = await world.sync()
    assert not second.failed
    (read,) = world.reads("a")
    assert read["finished_at"] is None  # ...which the repair clears: no invented finish date
    assert read["started_at"] == "2026-03-01"


@pytest.mark.parametrize("cut_after", ["InsertUserBook", "UpdateUserBookRead"])
async def test_a_connection_cut_after_any_write_of_a_new_entry_is_repaired(world, cut_after):
    world.add("a", status="read", started="2026-01-05", finished="2026-02-20", rating=4.0)
    operations = []

    def cut(operation):
        operations.append(operation)
        if operation == cut_after and operations.count(cut_after) == 1:
            world.hardcover.fail_next(503, times=3)  # everything after this write fails

    world.hardcover.after_operation = cut
    await world.sync()
    world.hardcover.after_operation = None
    world.clock.advance(4000)
    await world.sync()
    entry = world.entry("a")
    assert (entry["status_id"], entry["rating"]) == (3, 4.0)
    (read,) = world.reads("a")
    assert (read["started_at"], read["finished_at"]) == ("2026-01-05", "2026-02-20")
    assert outbox.queued() == []


async def test_a_dry_run_on_a_fresh_library_lists_what_the_real_sync_sends(world):
    for n, isbn in enumerate(("9780000000019", "9780000000026")):
        hc_book = world.catalog.add_book(f"Fresh {n}", authors=["Ann Author"], users_count=9)
        world.catalog.add_edition(hc_book, isbn_13=isbn, pages=200)
        book = add_book(f"Fresh {n}", ["Ann Author"], isbn13=isbn)
        update_reading_state(book.id, status="want_to_read")
    mine = service(world)
    dry = await mine.sync(dry_run=True)
    assert world.mutations() == 0
    real = await mine.sync()
    assert sorted(b.book_id for b in dry.books if b.outcome == "would_send") == sorted(
        b.book_id for b in real.books if b.outcome == "sent"
    )
    assert len(dry.books) == 2


async def test_the_worker_leaves_an_uncertain_match_for_the_user_and_says_so(world):
    from bookorbit_desktop.hardcover.matching.store import get_match
    from bookorbit_desktop.hardcover.sync import counts

    await service(world).sync()  # the first sync by hand
    for year in (1932, 1958):  # two books of that name: matching cannot tell which
        hc_book = world.catalog.add_book("Brave New World", authors=["Aldous Huxley"],
                                         release_year=year, users_count=50)  # fmt: skip
        world.catalog.add_edition(hc_book, pages=288)
    book = add_book("Brave New World", ["Aldous Huxley"])
    update_reading_state(book.id, status="reading", started="2026-03-02", progress=0.25)
    Book.update(updated_at=world.clock()).where(Book.id == book.id).execute()  # the clock's
    world.clock.advance(60)
    result = await service(world).push_due()
    assert get_match(book.id).state == "needs_review"
    assert result.needs_review == 1 and counts.current().to_pick == 1
    world.hardcover.reset_counters()
    world.clock.advance(60)
    assert await service(world).push_due() is None  # looked up once: not again every pass
    assert world.hardcover.requests == []


async def test_the_user_settles_a_conflict_by_choosing_the_copy_that_speaks(world):
    from bookorbit_desktop.hardcover.matching.actions import lead

    world.add("wind", status="read", started="2024-01-02", finished="2024-02-03", rating=4.5)
    german = copy_of(world, "wind", "Der Name des Windes", status="reading",
                     started="2026-03-01", progress=0.2)  # fmt: skip
    await world.sync()
    assert world.entry("wind")["status_id"] == 3  # the furthest status, nothing lowered
    message = lead(german)  # the user: this is a reread, in the translation
    assert "1 other copy" in message
    await world.sync()
    entry = world.entry("wind")
    assert (entry["status_id"], entry["rating"]) == (2, 4.5)
    open_reads = [r for r in world.reads("wind") if not r["finished_at"]]
    assert [r["started_at"] for r in open_reads] == ["2026-03-01"]
    finished = [r for r in world.reads("wind") if r["finished_at"]]
    assert [(r["started_at"], r["finished_at"]) for r in finished] == [
        ("2024-01-02", "2024-02-03")
    ]  # the finished read stays as it was


async def test_unlinking_the_copy_that_was_read_never_lowers_the_entry_unasked(world):
    from bookorbit_desktop.hardcover.matching.actions import lead
    from bookorbit_desktop.hardcover.matching.store import exclude

    world.add("wind", status="read", started="2024-01-02", finished="2024-02-03", rating=4.5)
    german = copy_of(world, "wind", "Der Name des Windes", status="want_to_read")
    await world.sync()
    assert world.entry("wind")["status_id"] == 3
    exclude(world.books["wind"])  # the finished copy leaves: only the unread one is linked
    report = await world.sync()
    assert world.entry("wind")["status_id"] == 3  # not lowered to Want to Read
    (book,) = [b for b in report.books if b.book_id == german]
    assert book.error and "no longer linked" in book.error
    lead(german)  # the user chooses: this copy counts now
    await world.sync()
    assert world.entry("wind")["status_id"] == 1


@pytest.mark.parametrize("answer", [503, "drop"])
async def test_a_read_stored_without_its_answer_is_not_added_twice(world, answer):
    world.add("a", status="reading", started="2026-03-01", progress=0.2)
    await world.sync()
    (gone,) = world.reads("a")
    world.catalog.delete_row("user_book_reads", gone["id"])  # deleted on hardcover.app
    update_reading_state(world.books["a"], progress=0.4)
    world.hardcover.lose_answer_after_write("InsertUserBookRead", 1, answer=answer)
    await world.sync()
    world.clock.advance(4000)
    assert not (await world.sync()).failed
    reads = [(r["started_at"], r["progress_pages"]) for r in world.reads("a")]
    assert reads == [("2026-03-01", 120)]


async def test_a_kill_between_opening_the_read_and_finishing_it_leaves_no_finish_of_today(world):
    """The first push to an entry the user made on hardcover.app (Want to Read): the process
    dies right after the first write. The read is opened with its start first and finished
    by the next write, so nothing of today is ever on the profile."""
    world.add("a", status="read", started="2026-01-05", finished="2026-02-20")
    entry = world.catalog.add_user_book(world.hardcover.user_id, world.hc_books["a"])
    pass_task = None

    def die(operation):
        if operation == "InsertUserBookRead":
            pass_task.cancel()  # the process ends here: nothing after this write is recorded

    world.hardcover.after_operation = die
    pass_task = asyncio.ensure_future(world.sync())
    with pytest.raises(asyncio.CancelledError):
        await pass_task
    world.hardcover.after_operation = None
    (opened,) = world.catalog.reads_of(entry)
    assert (opened["started_at"], opened["finished_at"]) == ("2026-01-05", None)
    await world.sync()
    (read,) = world.catalog.reads_of(entry)
    assert (read["started_at"], read["finished_at"]) == ("2026-01-05", "2026-02-20")
    assert world.entry("a")["status_id"] == 3


async def test_a_push_cut_off_after_the_edition_change_still_keeps_hardcovers_progress(world):
    """Hardcover's read is at the end of its 150-page edition; the library reads the 300-page
    one at 75 %. The pass that moves the entry to that edition is cut off before the read is
    corrected: the next pass still measures Hardcover's page in the edition it was read in."""
    world.add("a", pages=300, status="reading", started="2026-03-01", progress=0.75)
    short = world.catalog.add_edition(world.hc_books["a"], pages=150, reading_format_id=EBOOK)
    entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["a"], status_id=2, edition_id=short
    )
    world.catalog.add_read(entry, edition_id=short, started_at="2026-03-01", progress_pages=150)
    world.hardcover.fail_next(503, times=RetryPolicy().attempts, operation="UpdateUserBookRead")
    first = await world.sync()
    assert first.failed and world.entry("a")["edition_id"] == world.editions["a"]
    world.clock.advance(4000)
    await world.sync()
    (read,) = world.reads("a")
    assert (read["edition_id"], read["progress_pages"]) == (world.editions["a"], 300)


@pytest.mark.parametrize("about", ["this book", "the book linked before"])
async def test_a_cut_off_first_push_is_only_taken_up_for_its_own_hardcover_book(world, about):
    """A record left by a first push that died names its Hardcover book: after Re-match moved
    the link (which keeps the sync row while the entry stays), it is not applied to another."""
    world.add("a", status="read", started="2026-01-05", finished="2026-02-20")
    hc_book = world.hc_books["a"] if about == "this book" else world.hc_books["a"] + 1000
    step = {"user_book_id": 7, "seen_reads": [], "stamped_finish": True, "hc_book_id": hc_book}
    SyncOutbox.delete().execute()
    row = {"hc_book_id": world.hc_books["a"], "snapshot": {"step": step}, "state": "failed"}
    HardcoverSync.insert(book=world.books["a"], updated_at=1.0, **row).execute()
    (candidate,) = store.candidates([world.books["a"]])
    assert candidate.step == (step if about == "this book" else None)
