"""A reset made beside the running server reaches the next pull, and a push carrying KOReader's
`metadata` object proposes the library book its file name names (the real server on 127.0.0.1,
a real SQLite library)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bookorbit_desktop.library.reading import device_positions as dp
from bookorbit_desktop.library.reading.link_proposal import BY_FILENAME, Proposal
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, BookFile, DocumentAlias
from bookorbit_desktop.server.kosync import routes
from bookorbit_desktop.services.library import device_positions as service
from tests.factories import add_book
from tests.server.kosync.support import START, kosync_fixture  # noqa: F401

DOC = "0b229176d4e8db7f6e0da3b1a2c1e9b1"


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(routes, "RESET_POLL_SECONDS", 0.05)


def linked_book():
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document=DOC, kind=ALIAS_CONTENT, book=book, created_at=time.time())
    return book


async def test_the_pull_after_a_reset_is_the_start_from_the_library(kosync):
    book = linked_book()
    assert (await kosync.push(DOC, 0.42)).status == 200
    assert (await kosync.pull(DOC)).json["percentage"] == 0.42  # answered from memory
    # The window (or the command line, another process) resets the book on its own connection.
    await asyncio.to_thread(service.reset, book.id, None, clock=lambda: START + 60)
    for _ in range(100):
        reply = await kosync.pull(DOC)
        if reply.json["percentage"] == 0:
            break
        await asyncio.sleep(0.02)
    expected = {
        "document": DOC,
        "percentage": 0.0,
        "progress": "/body/DocFragment[1]",
        "device": dp.RESET_DEVICE,
        "timestamp": int(START) + 60,
        "device_id": dp.RESET_ID,
    }
    assert reply.raw == json.dumps(expected, separators=(",", ":")).encode()
    # A device reading on from the start is the newest again, answered as before.
    kosync.clock.now = START + 120
    assert (await kosync.push(DOC, 0.01)).status == 200
    assert (await kosync.pull(DOC)).json["percentage"] == 0.01


async def test_a_push_with_koreaders_metadata_proposes_the_book_of_that_file(kosync):
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    BookFile.create(
        book=book, path="/books/Whitman/leaves.epub", format="epub", size=10, mtime=0,
        partial_md5="feedface", added_at=0,
    )  # fmt: skip
    # The body in the order and shape KOReader's kosync plugin sends it (send_metadata on).
    body = (
        '{"document":"' + DOC + '","metadata":{"filename":"leaves.epub","title":"Leaves",'
        '"authors":"W. W."},"progress":"/body/DocFragment[4]/body/p[2]/text().0",'
        '"percentage":0.1,"device":"Kobo_clara","device_id":"C64C9F5BF0C1520EFC308725F518CB1F"}'
    )
    reply = await kosync.request("PUT", "/kosync/syncs/progress", body=body)
    assert (reply.status, reply.raw) == (
        200,
        b'{"document":"%s","timestamp":%d}' % (DOC.encode(), int(START)),
    )
    assert DocumentAlias.select().count() == 0  # a file name is only ever proposed
    assert await service.proposal_later(DOC) == Proposal(book.id, BY_FILENAME)


async def test_a_push_without_metadata_proposes_nothing_and_answers_as_before(kosync):
    add_book("Leaves of Grass", ("Walt Whitman",))
    reply = await kosync.push(DOC, 0.1)
    assert (reply.status, reply.raw) == (
        200,
        b'{"document":"%s","timestamp":%d}' % (DOC.encode(), int(START)),
    )
    assert await service.proposal_later(DOC) is None
    pulled = (await kosync.pull(DOC)).json
    assert "metadata" not in pulled and pulled["percentage"] == 0.1
