"""Dates on Hardcover come with their evidence or the user's word: history dates are proposals
shown beside Hardcover's, sent only once approved (the window's review or the CLI's flag), kept
by every trigger after that; a read is split from the history; started ≤ finished; a finish goes
out with its real date in one write."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import ReadingState, SyncOutbox
from tests.factories import add_book, make_epub
from tests.fakes.hardcover_catalog import EBOOK
from tests.hardcover.sync.test_trust import service
from tests.library.history.koreader_file import KoBook, write_statistics

pytestmark = pytest.mark.asyncio
NOON = dt.datetime(2024, 10, 4, 12, 0).timestamp()  # local noon: the same date in any zone
MARCH = dt.datetime(2024, 3, 2, 12, 0).timestamp()
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


def give_history(tmp_path, key: str, epub, rows=None) -> None:
    """KOReader's statistics for the book: by default read from 2024-10-04 to 2024-10-14."""
    rows = rows or [(1, int(NOON), 600, 300), (300, int(NOON) + 10 * DAY, 600, 300)]
    book = KoBook(f"Book {key}", "Ann Author", partial_md5(epub), 300, rows)
    import_statistics(write_statistics(tmp_path / f"{key}.sqlite3", [book]))


def read_without_dates(world, tmp_path, key: str, status: str = "read") -> None:
    epub = linked_with_file(world, tmp_path, key, status=status, started=None, finished=None)
    give_history(tmp_path, key, epub)


def dates(world, key: str) -> list[tuple[str | None, str | None]]:
    return [(r["started_at"], r["finished_at"]) for r in world.reads(key)]


async def test_history_dates_are_proposals_a_plain_sync_never_sends(world, tmp_path):
    read_without_dates(world, tmp_path, "a")
    dry = await world.sync(dry_run=True)
    (book,) = dry.books
    shown = {(p.proposal.name, p.proposal.value, p.hardcover) for p in book.proposals}
    assert shown == {("started", "2024-10-04", None), ("finished", "2024-10-14", None)}
    assert world.mutations() == 0
    await world.sync()
    assert world.entry("a")["status_id"] == 3
    assert dates(world, "a") == [(None, None)]  # Hardcover's "today" is not left either


async def test_a_finished_read_on_hardcover_without_dates_is_never_filled_without_a_yes(
    world, tmp_path
):
    read_without_dates(world, tmp_path, "u")
    hc_entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["u"], status_id=3
    )
    world.catalog.add_read(hc_entry)  # the user's finished read, without dates
    await world.sync()
    assert dates(world, "u") == [(None, None)]
    dry = await world.sync(dry_run=True)
    assert {p.proposal.value for p in dry.books[0].proposals} == {"2024-10-04", "2024-10-14"}


async def test_the_cli_flag_approves_the_history_dates_and_they_go_out(world, tmp_path):
    read_without_dates(world, tmp_path, "f")
    await world.sync(accept_history_dates=True)
    assert dates(world, "f") == [("2024-10-04", "2024-10-14")]
    state = ReadingState.get(ReadingState.book == world.books["f"])
    assert (state.started, state.finished) == ("2024-10-04", "2024-10-14")  # the user's now


async def test_a_book_read_twice_proposes_the_latest_read_not_one_spanning_both(world, tmp_path):
    epub = linked_with_file(world, tmp_path, "t", status="read", started=None, finished=None)
    march = [(1, int(MARCH), 600, 300), (300, int(MARCH) + 5 * DAY, 600, 300)]
    october = [(1, int(NOON), 600, 300), (300, int(NOON) + 10 * DAY, 600, 300)]
    give_history(tmp_path, "t", epub, march + october)
    await world.sync()
    assert dates(world, "t") == [(None, None)]  # never one read from March to October
    dry = await world.sync(dry_run=True)
    assert {(p.proposal.name, p.proposal.value) for p in dry.books[0].proposals} == {
        ("started", "2024-10-04"),
        ("finished", "2024-10-14"),
    }
    await world.sync(accept_history_dates=True)
    assert dates(world, "t") == [("2024-10-04", "2024-10-14")]


async def test_approved_dates_stay_when_the_background_worker_pushes_later(world, tmp_path):
    from bookorbit_desktop.services.hardcover.sync import approve_dates

    read_without_dates(world, tmp_path, "d")
    dry = await world.sync(dry_run=True)
    assert approve_dates(dry.books[0].proposals) == 2  # the review's Send with the dates ticked
    await world.sync()
    assert dates(world, "d") == [("2024-10-04", "2024-10-14")]
    ReadingState.update(rating=4.0).where(ReadingState.book == world.books["d"]).execute()
    outbox.note_change(world.books["d"], ["rating"])
    SyncOutbox.update(kinds={"rating": 0.0}).execute()
    world.clock.advance(10**6)
    await service(world).push_due()
    assert world.entry("d")["rating"] == 4.0
    assert dates(world, "d") == [("2024-10-04", "2024-10-14")]


async def test_the_background_worker_never_sends_history_dates_by_itself(world, tmp_path):
    read_without_dates(world, tmp_path, "w")
    ReadingState.update(rating=4.0).where(ReadingState.book == world.books["w"]).execute()
    SyncOutbox.update(kinds={"rating": 0.0}).execute()  # a rating change, due at once
    world.clock.advance(10**6)
    await service(world).push_due()
    assert world.entry("w")["rating"] == 4.0
    assert all(r["started_at"] is None for r in world.reads("w"))


async def test_history_alone_never_changes_a_status(world, tmp_path):
    read_without_dates(world, tmp_path, "c", status="want_to_read")
    await world.sync(accept_history_dates=True)
    assert world.entry("c")["status_id"] == 1 and world.reads("c") == []


async def test_a_start_after_the_finish_is_never_sent(world):
    world.add("s", status="read", started="2024-10-01", finished="2024-10-12")
    await world.sync()
    ReadingState.update(started="2024-10-20").where(
        ReadingState.book == world.books["s"]
    ).execute()  # a later push, an old import: the library's dates disagree
    outbox.note_change(world.books["s"], ["status"])
    result = await world.sync()
    assert dates(world, "s") == [("2024-10-01", "2024-10-12")]
    assert any("after the finish date" in n for n in result.books[0].notes)


async def test_a_start_after_a_finish_kept_on_hardcover_is_not_sent(world):
    world.add("k", status="reading", started="2024-10-01", progress=0.5)
    await world.sync()
    (read,) = world.reads("k")
    world.catalog.tables["user_book_reads"][read["id"]]["finished_at"] = "2024-10-05"  # the user
    world.catalog.user_book_for(world.hardcover.user_id, world.hc_books["k"])["status_id"] = 3
    world.edit("k", started="2024-10-09")
    await world.sync()
    for started, finished in dates(world, "k"):
        assert started is None or finished is None or started <= finished


async def test_a_finish_goes_out_with_its_date_even_when_the_token_is_revoked_midway(world):
    world.add("r", status="reading", started="2024-10-01", progress=0.5)
    await world.sync()
    world.edit("r", status="read", finished="2024-10-12")
    world.hardcover.fail_next(401, times=5, operation="UpdateUserBookRead")
    world.hardcover.fail_next(401, times=5, operation="UpdateUserBook")
    await world.sync()
    entry = world.entry("r")
    today = world.clock.today().isoformat()
    assert all(finished != today for _, finished in dates(world, "r"))
    if entry["status_id"] == 3:
        assert dates(world, "r")[-1][1] == "2024-10-12"


async def test_a_finish_is_one_write_carrying_its_real_date(world):
    world.add("o", status="reading", started="2024-10-01", progress=0.5)
    await world.sync()
    before = world.mutations()
    world.edit("o", status="read", finished="2024-10-12")
    await world.sync()
    assert world.mutations() - before == 1
    assert world.entry("o")["status_id"] == 3
    assert dates(world, "o") == [("2024-10-01", "2024-10-12")]


async def finished_without_a_date(world, key: str) -> None:
    """A book synced while reading, then finished here with no date known."""
    world.add(key, status="reading", started="2024-10-01", progress=0.5)
    await world.sync()
    ReadingState.update(status="read", progress=1.0, finished=None).where(
        ReadingState.book == world.books[key]
    ).execute()
    outbox.note_change(world.books[key], ["status"])


# Where the process dies once Hardcover took our Read and stamped today on the read: before the
# status write's answer arrives (the correction never left), while the correction hangs, and
# while the entry is read back after the correction went unanswered (a gateway's 504).
KILLS = ["status_answer", "correction_hanging", "read_back"]


@pytest.mark.parametrize("kill", KILLS)
async def test_a_kill_after_setting_read_never_leaves_today_as_the_finish(world, kill):
    import asyncio

    await finished_without_a_date(world, "z")
    fake = world.hardcover
    push = asyncio.create_task(world.sync())

    def die_at(operation: str | None) -> None:
        if operation == {"status_answer": "UpdateUserBook", "read_back": "UserBookByBook"}[kill]:
            push.cancel()

    if kill == "correction_hanging":
        fake.on_fault = lambda fault: push.cancel()
    else:
        fake.after_operation = die_at
    if kill != "status_answer":
        fake.config.hang_seconds = 30 if kill == "correction_hanging" else 0.05
        fake.fail_next("hang", operation="UpdateUserBookRead")
    with pytest.raises(asyncio.CancelledError):
        await push  # the process dies there
    fake.on_fault = fake.after_operation = None
    assert fake.status_count(504) == (kill == "read_back")
    today = world.clock.today().isoformat()
    assert world.entry("z")["status_id"] == 3 and dates(world, "z") == [("2024-10-01", today)]
    await world.sync()
    assert dates(world, "z") == [("2024-10-01", None)]


@pytest.mark.parametrize("answer", [504, "hang"])
async def test_a_correction_left_unanswered_is_sent_again_by_the_next_sync(world, answer):
    await finished_without_a_date(world, "u")
    world.hardcover.config.hang_seconds = 0.05  # then a gateway's 504
    world.hardcover.fail_next(answer, operation="UpdateUserBookRead")
    (partial,) = (await world.sync()).books  # read back: today stamped, the correction not
    today = world.clock.today().isoformat()
    assert partial.outcome == "partial" and dates(world, "u") == [("2024-10-01", today)]
    await world.sync()
    assert dates(world, "u") == [("2024-10-01", None)]


async def test_a_date_of_sync_goes_out_and_historys_own_date_is_proposed_in_its_place(
    world, tmp_path
):
    from bookorbit_desktop.services.hardcover.sync import approve_dates

    # A push dated the day it arrived, before the history's last session: the statistics do
    # not date that finish (a last session before the arrival would replace the library's date,
    # `library.reading.finish_evidence`), so the date of sync stays and goes out.
    epub = linked_with_file(
        world, tmp_path, "k", status="read", started=None, finished="2024-10-12",
        finished_source="sync",
    )  # fmt: skip
    give_history(tmp_path, "k", epub)
    dry = await world.sync(dry_run=True)
    shown = {(p.proposal.name, p.proposal.value) for p in dry.books[0].proposals}
    assert shown == {("started", "2024-10-04"), ("finished", "2024-10-14")}
    await world.sync()
    assert dates(world, "k") == [(None, "2024-10-12")]
    assert approve_dates(dry.books[0].proposals) == 2
    await world.sync()
    assert dates(world, "k") == [("2024-10-04", "2024-10-14")]
    state = ReadingState.get(ReadingState.book == world.books["k"])
    assert (state.finished, state.finished_source) == ("2024-10-14", "user")


async def test_a_date_the_library_took_from_the_history_is_only_proposed(world, tmp_path):
    epub = linked_with_file(
        world, tmp_path, "h", status="read", started=None, finished="2024-10-14",
        finished_source="history",
    )  # fmt: skip
    give_history(tmp_path, "h", epub)
    await world.sync()
    assert dates(world, "h") == [(None, None)]
    await world.sync(accept_history_dates=True)
    assert dates(world, "h") == [("2024-10-04", "2024-10-14")]


async def test_a_finish_stored_but_its_answer_lost_is_read_back_not_redone(world):
    world.add("l", status="reading", started="2024-10-01", progress=0.5)
    await world.sync()
    world.edit("l", status="read", finished="2024-10-12")
    world.hardcover.fail_next("drop_after", operation="UpdateUserBookRead")
    await world.sync()
    await world.sync()
    assert world.entry("l")["status_id"] == 3
    assert dates(world, "l") == [("2024-10-01", "2024-10-12")]


async def test_a_finished_read_without_dates_is_not_taken_for_an_open_one(world):
    world.add("n", status="read", started="2024-10-01", finished="2024-10-12")
    hc_entry = world.catalog.add_user_book(
        world.hardcover.user_id, world.hc_books["n"], status_id=3
    )
    world.catalog.add_read(hc_entry, progress_pages=120)  # the user's, without dates
    result = await world.sync()
    assert dates(world, "n") == [(None, None)]
    assert "Hardcover's finished read kept as it is" in result.books[0].notes


async def test_a_date_of_sync_already_sent_stays_when_the_history_takes_its_place(world):
    """The statistics arriving later turn the library's date into history's (a proposal):
    Hardcover keeps the date it has until the user approves the new one, never null."""
    world.add("s", status="read", started="2024-10-01", finished="2024-10-20")
    ReadingState.update(finished_source="sync").where(
        ReadingState.book == world.books["s"]
    ).execute()
    await world.sync()
    assert dates(world, "s") == [("2024-10-01", "2024-10-20")]
    ReadingState.update(finished="2024-10-14", finished_source="history").where(
        ReadingState.book == world.books["s"]
    ).execute()
    outbox.note_change(world.books["s"], ["status"])
    await world.sync()
    assert dates(world, "s") == [("2024-10-01", "2024-10-20")]


async def test_the_users_own_want_to_read_entry_gets_the_real_dates_not_todays(world):
    """The entry was the user's (Want to Read, no reads); the book was read 1 to 12 October.
    Setting Read makes Hardcover create a read stamped today: that read is the sync's own,
    so the real dates replace today's."""
    world.add("w", status="read", started="2024-10-01", finished="2024-10-12")
    world.catalog.add_user_book(world.hardcover.user_id, world.hc_books["w"])
    await world.sync()
    assert world.entry("w")["status_id"] == 3
    assert dates(world, "w") == [("2024-10-01", "2024-10-12")]


async def test_a_copy_marked_read_by_hand_gets_the_dates_of_the_copy_that_was_read(world, tmp_path):
    """The user read one file (its history) and marked another copy of the book read without
    dates; that copy gives the status, and the history of the read copy gives the dates."""
    epub = linked_with_file(world, tmp_path, "r", status="reading", started=None, finished=None)
    give_history(tmp_path, "r", epub)
    marked = add_book("Book r (second copy)", ["Ann Author"])
    pin(marked.id, world.hc_books["r"], edition_id=None, edition_pages=300, reason="picked")
    ReadingState.update(status="read", progress=1.0).where(ReadingState.book == marked.id).execute()
    ReadingState.update(updated_at=1.0).where(ReadingState.book == world.books["r"]).execute()
    dry = await world.sync(dry_run=True)
    (book,) = dry.books
    assert {(p.proposal.name, p.proposal.value) for p in book.proposals} == {
        ("started", "2024-10-04"),
        ("finished", "2024-10-14"),
    }
    await world.sync(accept_history_dates=True)
    assert dates(world, "r") == [("2024-10-04", "2024-10-14")]
