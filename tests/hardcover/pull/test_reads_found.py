"""A read added, changed or deleted on hardcover.app reaches the library at the next pull, by
its id, also when Hardcover leaves the entry's `updated_at` as it was; a sync afterwards keeps
every read there."""

from __future__ import annotations

from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store.models import ReadingState
from tests.fakes.hardcover_shelves import add_read, delete_read, edit_read

FIRST = ("2024-01-10", "2024-02-03")
AGAIN = ("2026-10-01", "2026-11-20")


def _dates(book_id: int) -> tuple[str | None, str | None, str]:
    reading = ReadingState.get_by_id(book_id)
    return reading.started, reading.finished, reading.status


def _stored_reads(world) -> list[tuple[str | None, str | None]]:
    (entry,) = [e for e in store.pulled() if e["hc_book_id"] == world.hc_books["a"]]
    return [(r["started"], r["finished"]) for r in entry["reads"]]


def _hardcover_reads(world) -> list[tuple[str | None, str | None]]:
    return [(r["started_at"], r["finished_at"]) for r in world.reads("a")]


async def _pull(world):
    sent = len(world.hardcover.requests)
    result = await pull(world.client, world.hardcover.user_id)
    assert result.error is None and not result.full
    reads = [r for r in world.hardcover.requests[sent:] if r.operation_name == "PullReads"]
    return result, sum(r.charged for r in reads)


async def _read_book(world) -> int:
    book = world.add("a", status="read", started=FIRST[0], finished=FIRST[1])
    await world.sync()  # the first push, and the pull before it (full: the first)
    assert _hardcover_reads(world) == [FIRST]
    await pull(world.client, world.hardcover.user_id)  # reads the push's own change back
    return book


async def test_a_reread_entered_on_hardcover_without_moving_the_entry_comes_home(world):
    book = await _read_book(world)
    entry = world.entry("a")
    stamp = entry["updated_at"]
    again = add_read(
        world.catalog, entry["id"], touch=False, started_at=AGAIN[0], finished_at=AGAIN[1]
    )
    assert world.entry("a")["updated_at"] == stamp
    result, cost = await _pull(world)
    assert result.entries == 0 and result.reads == 1
    assert cost <= 2
    assert (book, "started") in result.followed and (book, "finished") in result.followed
    assert _dates(book) == (*AGAIN, "read")
    assert _stored_reads(world) == [FIRST, AGAIN]
    # A sync afterwards leaves both reads on Hardcover as they are.
    await world.sync()
    assert _hardcover_reads(world) == [FIRST, AGAIN]
    assert world.entry("a")["status_id"] == 3
    await pull(world.client, world.hardcover.user_id)
    # Edited there: the library follows the read it tracks now.
    edit_read(world.catalog, again, touch=False, finished_at="2026-11-22")
    result, cost = await _pull(world)
    assert result.reads == 1 and cost <= 2
    assert _dates(book) == (AGAIN[0], "2026-11-22", "read")
    # Deleted there: the library goes back to the read that is left.
    delete_read(world.catalog, again, touch=False)
    result, cost = await _pull(world)
    assert result.reads == 1 and cost <= 2
    assert _dates(book) == (*FIRST, "read")
    assert _stored_reads(world) == [FIRST]
    await world.sync()
    assert _hardcover_reads(world) == [FIRST]


async def test_a_pull_after_no_change_finds_none_and_a_sweep_covers_many_reads(world):
    await _read_book(world)
    entry = world.entry("a")
    for n in range(150):  # old reads the full pull stored, each with its own id
        started = f"20{10 + n // 12:02d}-{n % 12 + 1:02d}-01"
        add_read(world.catalog, entry["id"], started_at=started, finished_at=started)
    await pull(world.client, world.hardcover.user_id, full=True)
    # An entry's nested reads stop at 100 (Hardcover's cap): the sweep brings the rest.
    for _ in range(2):
        await _pull(world)
    assert len(_stored_reads(world)) == 151
    first, cost = await _pull(world)
    assert first.reads == 0 and cost == 2  # two pages, no more
    oldest = min(r["id"] for r in world.reads("a"))
    edit_read(world.catalog, oldest, touch=False, started_at="2009-05-05", finished_at=None)
    found = 0
    for _ in range(2):  # the sweep reaches every read within two pulls
        result, cost = await _pull(world)
        assert cost <= 2
        found += result.reads
    assert found == 1
    assert ("2009-05-05", None) in _stored_reads(world)
