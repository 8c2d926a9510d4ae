"""The XMNote receiver on 127.0.0.1: in process for the refusals, and inside a real
`bookorbit-desktop serve` for what KOReader sends."""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import socket
import time

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.guards.rate import AddressRate
from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.highlights.receiver import (
    HighlightsReceiver,
    ReceiverOptions,
    ReceiverStartError,
)
from bookorbit_desktop.server.workers import DbWorkers
from tests.factories import add_book
from tests.server.highlights.test_guard_and_payload import KOREADER_BODY
from tests.server.serve_process import start_serve

OK = {"code": 200, "message": "Received"}


def post(port, body, *, headers=None, path="/send", host=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    sent = {"Content-Type": "application/json", "Host": host or f"127.0.0.1:{port}"}
    sent.update(headers or {})
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        connection.request("POST", path, body=data, headers=sent)
        reply = connection.getresponse()
        raw = reply.read()
        assert reply.getheader("Content-Type").startswith("application/json")
        assert len(raw) < 2048  # older KOReader crashes on a longer reply
        return reply.status, json.loads(raw)
    finally:
        connection.close()


def _declared(port, length):
    """The answer to a head declaring a body of `length` bytes, of which a little is sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
            + b"x" * 1000
        )
        return sock.recv(4096)


def _read_until(process, start):
    for line in process.stdout:
        if line.startswith(start):
            return line
    raise AssertionError(f"no line starting {start!r}: {process.stderr.read()}")


@pytest.fixture
def serving(tmp_path):
    data = tmp_path / "data"
    open_database(resolve_paths(data).db_file)
    add_book("Dune", ["Frank Herbert", "Brian Herbert"], status="reading")
    close_database()
    process, _ = start_serve(data, extra_args=("--highlights-port", "0"))
    try:
        line = _read_until(process, "Highlights receiver on port ")
        yield process, int(line.split()[4].rstrip(".")), data
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
        close_database()


def test_what_koreader_sends_is_stored_once_and_edits_update(serving):
    process, port, data = serving
    assert post(port, KOREADER_BODY) == (200, OK)
    assert _read_until(process, "2 highlights for 'Dune' from 127.0.0.1").strip() == (
        "2 highlights for 'Dune' from 127.0.0.1 (2 new, 0 updated); KOReader proposes a reading "
        "status for you to confirm"
    )
    assert post(port, KOREADER_BODY) == (200, OK)  # a re-send
    _read_until(process, "2 highlights for 'Dune' from 127.0.0.1 (0 new, 0 updated)")
    edited = json.loads(json.dumps(KOREADER_BODY))
    edited["entries"][1]["note"] = "edited on the device"
    del edited["entries"][0]  # a filtered export: what it leaves out stays
    assert post(port, edited) == (200, OK)
    _read_until(process, "1 highlight for 'Dune' from 127.0.0.1 (0 new, 1 updated)")
    unknown = dict(KOREADER_BODY, title="Not In The Library")
    assert post(port, unknown) == (200, OK)  # the same reply for a book we do not know
    _read_until(process, "2 highlights for 'Not In The Library' from 127.0.0.1 (2 new, 0 updated)")

    assert _declared(port, 17 * 1024 * 1024).startswith(b"HTTP/1.1 413")  # answered unread
    assert post(port, b"{not json")[0] == 400
    assert post(port, KOREADER_BODY, headers={"Origin": "http://evil.example"})[0] == 403
    assert post(port, KOREADER_BODY, host="evil.example:8080")[0] == 403
    assert post(port, KOREADER_BODY, headers={"Content-Type": "text/plain"})[0] == 415
    assert post(port, KOREADER_BODY, path="/other")[0] == 404

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    assert process.returncode == 0
    open_database(resolve_paths(data).db_file)
    (dune,) = {row.book_id for row in Highlight.select() if row.book_id}
    rows = store.for_book(dune)
    assert [(r.entry.text, r.entry.note) for r in rows] == [
        ("Fear is the mind-killer.", ""),
        ("No chapter, no page", "edited on the device"),
    ]
    assert [(w.title, w.highlights) for w in store.waiting()] == [("Not In The Library", 2)]
    assert [(p.status, p.source) for p in proposals.waiting()] == [("read", "xmnote")]


@pytest.fixture
async def receiver(library):
    workers = DbWorkers(checkpoints=False)
    workers.start()
    made = []

    async def make(**options):
        running = HighlightsReceiver(ReceiverOptions(workers=workers, **options), "127.0.0.1", 0)
        await running.start()
        made.append(running)
        return running

    yield make
    for running in made:
        await running.stop()
    await workers.stop()


async def _post(port, body, **kwargs):
    return await asyncio.to_thread(post, port, body, **kwargs)


@pytest.mark.asyncio
async def test_a_source_outside_the_home_network_is_refused(receiver):
    running = await receiver(allow_source=lambda address: False)
    assert (await _post(running.port, KOREADER_BODY))[0] == 403
    assert Highlight.select().count() == 0


@pytest.mark.asyncio
async def test_the_rate_limit_and_the_pairing_secret(receiver):
    now = [0.0]
    rate = AddressRate(1.0, 3.0, total_rate=1.0, total_burst=3.0, clock=lambda: now[0])
    running = await receiver(secret="s3cret", rate=rate)
    assert (await _post(running.port, KOREADER_BODY))[0] == 403
    assert (await _post(running.port, KOREADER_BODY, path="/send?k=s3cret:8080/send"))[0] == 200
    assert (await _post(running.port, KOREADER_BODY, path="/send?k=s3cret"))[0] == 200
    status, body = await _post(running.port, KOREADER_BODY, path="/send?k=s3cret")
    assert (status, body["code"]) == (429, 429)


@pytest.mark.asyncio
async def test_a_taken_port_names_calibre(receiver, library):
    workers = DbWorkers(checkpoints=False)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        running = HighlightsReceiver(ReceiverOptions(workers=workers), "127.0.0.1", port)
        with pytest.raises(ReceiverStartError, match="calibre's content server"):
            await running.start()
    assert not running.running


@pytest.mark.asyncio
async def test_stalled_bodies_hold_only_their_own_connections(receiver, monkeypatch):
    from bookorbit_desktop.guards import bodies

    monkeypatch.setattr(bodies, "BODY_SECONDS", 2.0)
    running = await receiver()
    stalled = []
    for number in range(3):  # a few half-sent posts: headers, part of the body, then silence
        source = ("127.0.9." + str(number + 1), 0)  # each from a device of its own
        reader, writer = await asyncio.open_connection("127.0.0.1", running.port, local_addr=source)
        writer.write(
            b"POST /send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n{"
        )
        await writer.drain()
        stalled.append((reader, writer))
    started = time.monotonic()
    status, _ = await _post(running.port, KOREADER_BODY)
    assert status == 200
    assert time.monotonic() - started < 1.0  # served at once, not after the stalled bodies
    for reader, writer in stalled:
        head = await asyncio.wait_for(reader.read(64), 5.0)
        assert head.startswith(b"HTTP/1.1 408")  # each cut at the body time limit
        writer.close()
