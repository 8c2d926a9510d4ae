"""What a stranger on the Wi-Fi can and cannot do to the highlights receiver, on 127.0.0.1.

Each device has its own loopback address (127.0.x.y), as each has its own on a real network.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import aiohttp
import pytest

from bookorbit_desktop.guards.throttle import LOGINS
from bookorbit_desktop.library.highlights import store, versions, waiting_cap
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.server.highlights.guard import REQUESTS_BURST, request_rate
from bookorbit_desktop.server.highlights.payload import MAX_ENTRIES
from bookorbit_desktop.server.highlights.receiver import HighlightsReceiver, ReceiverOptions
from bookorbit_desktop.server.workers import DbWorkers
from tests.factories import add_book
from tests.guards.wire import (
    FORGED,
    RAW_CONTROLS,
    attacker,
    connect,
    exchange,
    http_head,
    http_request,
)

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.skipif(sys.platform != "linux", reason="uses 127.0.x.y source addresses"),
]

JSON = {"Content-Type": "application/json"}
T = 1_700_000_000


def export(title: str = "Dune", entries: list[dict[str, object]] | None = None) -> bytes:
    body = {
        "title": title,
        "author": "Frank Herbert",
        "type": 1,
        "locationUnit": 1,
        "source": "KOReader",
        "entries": entries if entries is not None else [{"text": "Fear.", "note": "", "time": T}],
    }
    return json.dumps(body).encode()


def entries(count: int, note: str = "") -> list[dict[str, object]]:
    return [{"text": f"Highlight {n}", "note": note, "time": T + n} for n in range(count)]


@pytest.fixture
async def receiver(library):
    workers = DbWorkers(checkpoints=False)
    workers.start()
    made: list[HighlightsReceiver] = []

    async def make(**options: object) -> HighlightsReceiver:
        running = HighlightsReceiver(ReceiverOptions(workers=workers, **options), "127.0.0.1", 0)
        await running.start()
        made.append(running)
        return running

    yield make
    for running in made:
        await running.stop()
    await workers.stop()


async def send(port: int, body: bytes, *, source: str = "127.0.0.1", path: str = "/send"):
    return await exchange(port, http_request("POST", path, JSON, body), source=source, timeout=30)


async def test_a_stranger_replacing_a_note_keeps_the_users_text_with_its_address(receiver):
    book = add_book("Dune", ["Frank Herbert"])
    running = await receiver()
    mine = [{"text": "Fear.", "note": "my own thought", "time": T}]
    assert (await send(running.port, export(entries=mine))).status == 200
    theirs = [{"text": "Fear.", "note": "defaced", "time": T}]
    assert (await send(running.port, export(entries=theirs), source=attacker(7))).status == 200

    (row,) = store.for_book(book.id)
    assert row.entry.note == "defaced"
    (kept,) = versions.for_highlight(row.id)
    assert (kept.text, kept.note, kept.origin) == ("Fear.", "my own thought", "127.0.0.1")
    assert kept.replaced_by == attacker(7)
    versions.restore(kept.id, now=kept.replaced_at + 5.0)
    assert store.for_book(book.id)[0].entry.note == "my own thought"
    assert versions.for_highlight(row.id)[0].note == "defaced"  # the restore kept it too


async def test_posts_for_one_book_at_once_never_duplicate_nor_lose_a_text(receiver):
    book = add_book("Dune", ["Frank Herbert"])
    running = await receiver()
    posts = [
        send(running.port, export(entries=entries(800, f"note {n}")), source=attacker(n))
        for n in range(4)
    ]
    assert [answer.status for answer in await asyncio.gather(*posts)] == [200] * 4
    rows = store.for_book(book.id)
    assert len(rows) == 800
    (last,) = {row.entry.note for row in rows}  # one post's notes, whole, went last
    earlier = {version.note for version in versions.for_highlight(rows[0].id)}
    assert earlier | {last} == {f"note {n}" for n in range(4)}  # every other one is kept


async def test_wrong_secrets_are_throttled_per_address(receiver):
    secret = "k" * 24
    running = await receiver(secret=secret)
    guesses = [
        (await send(running.port, export(), source=attacker(1), path=f"/send?k=guess{n}")).status
        for n in range(14)
    ]
    assert guesses[0] == 403 and guesses[-1] == 429  # refused outright before long
    assert (
        await send(running.port, export(), source=attacker(1), path=f"/send?k={secret}")
    ).status == 429
    right = await send(running.port, export(), source=attacker(2), path=f"/send?k={secret}")
    assert right.status == 200  # another device with the secret is not held up


async def test_bodies_held_in_memory_at_once_are_bounded(receiver, monkeypatch):
    from bookorbit_desktop.server.highlights import receiver as module

    monkeypatch.setattr(module, "IN_FLIGHT_BYTES", 3000)
    running = await receiver()
    half = [await connect(running.port, attacker(n)) for n in (1, 2)]
    for _reader, writer in half:  # two posts under way, 2,000 bytes declared together
        writer.write(http_head("POST", "/send", JSON, length=1000) + b"{")
        await writer.drain()
    await asyncio.sleep(0.1)
    again = await send(running.port, export(), source=attacker(1))
    assert (again.status, again.json()["message"]) == (429, "Send one book at a time.")
    over = await send(running.port, b" " * 1001 + export(), source=attacker(3))
    assert over.status == 503  # no room for 1,000 more bytes: refused at once, unread
    assert (await send(running.port, export(), source=attacker(4))).status == 200
    for _reader, writer in half:
        writer.close()


async def test_exports_for_unknown_titles_past_the_cap_are_refused_whole(receiver, monkeypatch):
    monkeypatch.setattr(waiting_cap, "ADDRESS_HIGHLIGHTS", 25)
    monkeypatch.setattr(waiting_cap, "MAX_HIGHLIGHTS", 35)
    book = add_book("Dune", ["Frank Herbert"])
    running = await receiver()
    assert (await send(running.port, export("Dune", entries(30)))).status == 200
    stranger = attacker(1)
    for number in range(2):
        body = export(f"Unknown {number}", entries(10))
        assert (await send(running.port, body, source=stranger)).status == 200
    over = await send(running.port, export("Unknown 2", entries(10)), source=stranger)
    assert over.status == 429 and "from this device" in over.json()["message"]
    again = await send(running.port, export("Unknown 0", entries(10)), source=stranger)
    assert again.status == 200  # the same export sent again adds nothing: never refused
    mine = await send(running.port, export("Mine", entries(10)))  # the device's own share
    assert mine.status == 200
    other = await send(running.port, export("Unknown 3", entries(10)), source=attacker(2))
    assert other.status == 429 and "in all" in other.json()["message"]
    waiting = {w.title: w.highlights for w in store.waiting()}
    assert waiting == {"Unknown 0": 10, "Unknown 1": 10, "Mine": 10}  # nothing dropped
    assert len(store.for_book(book.id)) == 30  # a library book's highlights never count


async def test_re_posting_edited_notes_fills_the_same_share(receiver, monkeypatch):
    """Each edit keeps the text it replaces (`versions`): those count for the address too, so
    a stranger re-posting edited notes for one unknown title cannot grow the library either."""
    monkeypatch.setattr(waiting_cap, "ADDRESS_BYTES", 2_000)
    running = await receiver()
    stranger = attacker(1)
    statuses = []
    for n in range(10):
        body = export("Unknown", entries(10, f"note {n:02d} " + "x" * 20))
        statuses.append((await send(running.port, body, source=stranger)).status)
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    assert waiting_cap.usage(stranger).bytes <= 2_000


async def test_a_strangers_big_posts_for_unknown_titles_do_not_grow_the_folder(library):
    """Row: 60 posts of about 1 MB for unknown titles, each answered 200, grew the data folder
    by 108 MB. Now what waits is capped before it is written: the folder grows by what the
    cap holds (plus the library's pages and log for it), and the device's own export within
    the cap is kept."""
    workers = DbWorkers()  # with the checkpointer, as the server runs
    workers.start()
    running = HighlightsReceiver(ReceiverOptions(workers=workers), "127.0.0.1", 0)
    await running.start()
    try:
        folder = library.data_dir

        def used() -> int:
            return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())

        before = used()
        mine = await send(running.port, export("My Own Notes", entries(200, "mine")))
        assert mine.status == 200
        big = [{"text": "x" * 1000 + str(n), "note": "", "time": T + n} for n in range(1000)]
        statuses = []
        for number in range(60):
            body = export(f"Unknown {number}", big)
            answer = await send(running.port, body, source=attacker(1 + number % 6))
            statuses.append(answer.status)
        grown = used() - before
    finally:
        await running.stop()
        await workers.stop()
    assert set(statuses) == {200, 429}
    assert grown < 20 * 1024 * 1024, grown
    assert waiting_cap.usage().bytes <= waiting_cap.MAX_BYTES
    waiting = {w.title: w.highlights for w in store.waiting()}
    assert waiting["My Own Notes"] == 200


async def test_more_highlights_than_one_statement_takes_are_stored(receiver, monkeypatch):
    monkeypatch.setattr(waiting_cap, "MAX_HIGHLIGHTS", MAX_ENTRIES)
    monkeypatch.setattr(waiting_cap, "ADDRESS_HIGHLIGHTS", MAX_ENTRIES)
    running = await receiver()
    # An unknown title: 13 values a highlight, past SQLite's limit on one statement's values
    # (32,766) in one export.
    count = 32_766 // 13 + 80
    answer = await send(running.port, export("Not Here", entries(count)))
    assert answer.status == 200, answer.body
    assert [(w.title, w.highlights) for w in store.waiting()] == [("Not Here", count)]
    book = add_book("Not Here Either", ["Someone"])
    assert store.link_waiting("Not Here", "Frank Herbert", book.id, now=1.0).added == count


async def test_more_than_the_documented_count_gets_413_saying_so(receiver):
    running = await receiver()
    answer = await send(running.port, export(entries=entries(MAX_ENTRIES + 1)))
    assert answer.status == 413
    assert "at most 20,000" in answer.json()["message"]
    assert Highlight.select().count() == 0


async def test_deeply_nested_json_gets_the_usual_400(receiver):
    running = await receiver()
    answer = await send(running.port, b'{"entries": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    assert answer.status == 400
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["code"] == 400 and "nested too deeply" in answer.json()["message"]


async def test_network_text_is_escaped_and_refusals_keep_to_the_log_budget(receiver, caplog):
    caplog.set_level(logging.INFO)
    running = await receiver()
    assert (await send(running.port, export(FORGED))).status == 200
    for _ in range(20):
        assert (await send(running.port, b"{", source=attacker(3))).status == 400
    lines = [record.getMessage() for record in caplog.records]
    assert not [line for line in lines if any(char in line for char in RAW_CONTROLS)]
    assert any("forged line" in line for line in lines)
    refusals = [line for line in lines if "refused" in line]
    assert len(refusals) == 1, refusals  # one line an address a minute, then a summary


async def _flood_until_refused(port: int, source: str) -> int:
    """Posts a stranger's page would make (refused after the rate check), until a 429."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    headers = {**JSON, "Origin": "http://evil.example"}
    async with aiohttp.ClientSession(connector=connector) as session:
        for sent in range(1, int(REQUESTS_BURST) + 2):
            async with session.post(f"http://127.0.0.1:{port}/send", headers=headers) as reply:
                if reply.status == 429:
                    return sent
    raise AssertionError(f"{source} was never refused")


async def test_two_strangers_flooding_leave_the_device_served(receiver):
    running = await receiver(rate=request_rate(clock=lambda: 0.0))  # no refill meanwhile
    for n in (1, 2):
        assert await _flood_until_refused(running.port, attacker(n)) == REQUESTS_BURST + 1
    answer = await send(running.port, export())  # the device, from an address of its own
    assert (answer.status, answer.json()) == (200, {"code": 200, "message": "Received"})


async def test_the_same_wrong_secret_counts_once_and_the_wait_says_its_length(receiver):
    running = await receiver(secret="k" * 24)
    for _ in range(3 * LOGINS.failures):  # KOReader posting book after book, wrong secret
        answer = await send(running.port, export(), source=attacker(1), path="/send?k=old")
        assert answer.status == 403
    for n in range(LOGINS.failures):
        await send(running.port, export(), source=attacker(1), path=f"/send?k=guess{n}")
    answer = await send(running.port, export(), source=attacker(1), path="/send?k=more")
    assert answer.status == 429
    assert f"wait {LOGINS.block:.0f} seconds" in answer.json()["message"]


async def test_a_post_waits_a_bounded_time_for_the_merge_before_it(receiver, monkeypatch):
    from bookorbit_desktop.server.highlights import receiver as module

    monkeypatch.setattr(module, "MERGE_WAIT_SECONDS", 0.3)
    running = await receiver()
    assert running._runner is not None
    merges = running._runner.app[module.MERGES]
    async with merges:  # an export that takes long to merge
        answer = await send(running.port, export())
    assert answer.status == 503 and answer.headers["content-type"] == "application/json"
    assert answer.json()["code"] == 503 and int(answer.headers["retry-after"]) > 0
    assert (await send(running.port, export())).status == 200  # once it is merged


async def test_a_fault_of_ours_answers_json_and_logs_its_cause_within_a_budget(library, caplog):
    from bookorbit_desktop.server.highlights.lines import FAILURE_LINES_PER_MINUTE

    caplog.set_level(logging.INFO)
    stopped = DbWorkers(checkpoints=False)  # never started: every merge fails
    running = HighlightsReceiver(ReceiverOptions(workers=stopped), "127.0.0.1", 0)
    await running.start()
    try:
        for _ in range(FAILURE_LINES_PER_MINUTE + 5):
            answer = await send(running.port, export())
            assert answer.status == 500
            assert answer.headers["content-type"] == "application/json"
            assert answer.json()["code"] == 500
    finally:
        await running.stop()
    failed = [record for record in caplog.records if "failed" in record.getMessage()]
    assert len(failed) == FAILURE_LINES_PER_MINUTE
    assert all(record.exc_info for record in failed)  # each with its traceback


async def test_stored_exports_are_logged_within_a_budget(receiver, caplog):
    from bookorbit_desktop.server.highlights.lines import RECEIVED_LINES_PER_MINUTE

    caplog.set_level(logging.INFO)
    running = await receiver()
    for number in range(RECEIVED_LINES_PER_MINUTE + 10):  # a shelf exported book by book
        assert (await send(running.port, export(f"Book {number}"))).status == 200
    stored = [record for record in caplog.records if "highlight for" in record.getMessage()]
    assert len(stored) == RECEIVED_LINES_PER_MINUTE
