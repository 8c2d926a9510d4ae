"""What exports may add to the library, books in it included, on a real receiver on 127.0.0.1
with no pairing secret: a stranger's big exports are refused whole with a 429 that says so,
per address and in all, before anything is written; a device's export of a whole book, and
of a whole library, arrives whole (and again)."""

from __future__ import annotations

import json
import sys

import pytest

from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.server.highlights import growth
from bookorbit_desktop.server.highlights.receiver import HighlightsReceiver, ReceiverOptions
from bookorbit_desktop.server.workers import DbWorkers
from tests.factories import add_book
from tests.guards.wire import attacker
from tests.server.highlights.test_strangers import receiver, send  # noqa: F401

on_linux = pytest.mark.skipif(sys.platform != "linux", reason="uses 127.0.x.y source addresses")

T = 1_700_000_000


def export(title: str, entries: list[dict[str, object]], author: str = "Frank Herbert") -> bytes:
    """An export as KOReader's XMNote exporter writes it."""
    body = {
        "title": title,
        "author": author,
        "type": 1,
        "locationUnit": 1,
        "source": "KOReader",
        "readingStatus": 3,
        "readingStatusChangedDate": T,
        "entries": entries,
        "fuzzyReadingDurations": {},
    }
    return json.dumps(body).encode()


def flood(count: int, number: int) -> list[dict[str, object]]:
    """`count` new long made-up highlights (their own creation times), about 650 bytes each."""
    start = T + number * 100_000
    return [{"text": f"{n} " + "z" * 600, "note": "", "time": start + n} for n in range(count)]


def book_highlights(count: int, book: int = 0) -> list[dict[str, object]]:
    """A reader's highlights of one book: sentences, some with a note, chapters and pages."""
    return [
        {
            "text": f"Book {book}, passage {n}: " + "the words a reader marked on a page. " * 5,
            "note": f"What I thought of passage {n}." if n % 4 == 0 else "",
            "chapter": f"Chapter {n // 40 + 1}",
            "time": T + n * 60,
            "page": n // 3 + 1,
        }
        for n in range(count)
    ]


@on_linux
async def test_a_strangers_exports_for_a_library_book_are_capped_before_they_are_written(library):
    """Row: four 8 MB posts of 12,000 entries each, for a book in the library, were stored whole
    and grew the library from 0.6 MB to 40 MB in 3 s. Now each is refused whole, and exports
    that fit one at a time stop at each address's share and at the budget for all."""
    add_book("Dune", ["Frank Herbert"])
    workers = DbWorkers()  # with the checkpointer, as the server runs
    workers.start()
    running = HighlightsReceiver(ReceiverOptions(workers=workers), "127.0.0.1", 0)
    await running.start()
    folder = library.data_dir

    def used() -> int:
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())

    try:
        before = used()
        stranger = attacker(1)
        big = []
        for number in range(4):
            body = export("Dune", flood(12_000, number))
            assert len(body) > 7_800_000
            big.append(await send(running.port, body, source=stranger))
        assert [answer.status for answer in big] == [429] * 4
        assert big[0].json()["message"].startswith("This export would add 9.9 MiB of highlights")
        assert (
            "more than the 8 MiB a day from this device that are taken"
            in (big[0].json()["message"])
        )
        assert Highlight.select().count() == 0  # nothing of them was written
        after_big = used()

        # 6,000 at a time (about 5 MiB each): one from each address, until all addresses' budget
        answers = []
        sources = [stranger, stranger, attacker(2), attacker(3), attacker(4)]
        for number, source in enumerate(sources):
            body = export("Dune", flood(6_000, 10 + number))
            answers.append(await send(running.port, body, source=source))
        grown = used() - before
    finally:
        await running.stop()
        await workers.stop()
    assert after_big - before < 1024 * 1024, after_big - before
    assert [answer.status for answer in answers] == [200, 429, 200, 200, 429]
    share = answers[1]
    assert share.json()["message"].startswith(
        "Highlights are taken up to 8 MiB a day from this device; export again in "
    )
    assert 0 < int(share.headers["retry-after"]) <= growth.REFILL_SECONDS
    assert "up to 16 MiB a day in all" in answers[4].json()["message"]
    assert Highlight.select().count() == 18_000
    assert grown < 3 * growth.TOTAL_BYTES, grown


@on_linux
async def test_a_devices_whole_book_and_whole_library_arrive_whole_and_again(receiver):  # noqa: F811
    books = [add_book(f"Book {n}", ["Ann Author"]) for n in range(40)]
    dune = add_book("Dune", ["Frank Herbert"])
    emma = add_book("Emma", ["Jane Austen"])
    running = await receiver()
    whole_book = export("Dune", book_highlights(4_000))
    for _ in range(2):  # sent again, it adds nothing and is never refused
        answer = await send(running.port, whole_book)
        assert (answer.status, answer.json()) == (200, {"code": 200, "message": "Received"})
    assert len(store.for_book(dune.id)) == 4_000
    for n, book in enumerate(books):  # KOReader's export of every book, one after another
        body = export(f"Book {n}", book_highlights(100, n), "Ann Author")
        assert (await send(running.port, body)).status == 200
        assert len(store.for_book(book.id)) == 100
    stranger = attacker(1)
    for number in range(2):
        body = export("Dune", flood(6_000, 10 + number))
        await send(running.port, body, source=stranger)
    mine = await send(running.port, export("Emma", book_highlights(3_000), "Jane Austen"))
    assert mine.status == 200  # a stranger's share spent, the device's own is still there
    assert len(store.for_book(emma.id)) == 3_000


def test_the_budget_per_address_and_in_all_refills_over_a_day():
    now = [0.0]
    budget = growth.growth_budget(clock=lambda: now[0])
    mib = growth.MIB
    growth.spend(budget, "a", 6 * mib)
    growth.spend(budget, "a", 0)  # what adds nothing is never refused
    with pytest.raises(growth.GrowthRefused) as mine:
        growth.spend(budget, "a", 3 * mib)
    assert str(mine.value) == (
        "Highlights are taken up to 8 MiB a day from this device; export again in 3 hours."
    )
    assert mine.value.retry_after == 3 * 3600
    growth.spend(budget, "b", 8 * mib)
    with pytest.raises(growth.GrowthRefused, match="up to 16 MiB a day in all") as all_:
        growth.spend(budget, "c", 3 * mib)
    assert all_.value.retry_after == 5400  # 1 MiB short, of 16 a day
    with pytest.raises(growth.GrowthRefused) as never:
        growth.spend(budget, "d", 9 * mib)
    assert never.value.retry_after is None
    assert str(never.value) == (
        "This export would add 9.0 MiB of highlights, more than the 8 MiB a day from this "
        "device that are taken."
    )
    now[0] = 3 * 3600.0 + 1  # a refused export spent nothing: three hours give room for it
    growth.spend(budget, "a", 3 * mib)
    now[0] = growth.REFILL_SECONDS * 2
    growth.spend(budget, "c", 8 * mib)
    growth.spend(budget, "d", 8 * mib)
