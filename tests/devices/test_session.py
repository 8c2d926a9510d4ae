"""The device server driven by a device that behaves like KOReader's calibre client."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sys
import time

import pytest

from bookorbit_desktop.devices.session import Timing
from bookorbit_desktop.guards.connections import DEVICE_CONNECTIONS
from bookorbit_desktop.library.store import devices as store
from bookorbit_desktop.library.store.models import DocumentAlias
from tests.devices.conftest import PASSWORD
from tests.devices.koreader_client import (
    CALIBRE_BUSY,
    DISPLAY_MESSAGE,
    FREE_SPACE,
    GET_BOOK_COUNT,
    GET_DEVICE_INFORMATION,
    GET_INITIALIZATION_INFO,
    NOOP,
    OK,
    SEND_BOOK,
    SET_CALIBRE_DEVICE_INFO,
    SET_LIBRARY_INFO,
    KoreaderDevice,
)
from tests.factories import add_book, make_epub


async def connect(server, tmp_path, name="reader", **options) -> KoreaderDevice:
    inbox = tmp_path / name / "inbox"
    inbox.mkdir(parents=True)
    device = KoreaderDevice(inbox, **{"password": PASSWORD, **options})
    await device.connect("127.0.0.1", server.status.port)
    return device


async def until(condition, timeout=10.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


def queue(*books) -> None:
    store.queue_books([book.id for book in books], now=1.0)


async def test_the_handshake_follows_calibres_order_and_timing(device_server, tmp_path):
    device = await connect(device_server, tmp_path)
    await device.wait_for(GET_BOOK_COUNT)
    assert device.ops()[:6] == [
        GET_INITIALIZATION_INFO,
        GET_DEVICE_INFORMATION,
        SET_CALIBRE_DEVICE_INFO,
        FREE_SPACE,
        SET_LIBRARY_INFO,
        GET_BOOK_COUNT,
    ]
    challenge = device.log[0].args["passwordChallenge"]
    assert challenge
    answered = device.sent[0][2]
    assert device.log[1].at - answered < 1.0  # KOReader since 2025.08 waits 1 s at most
    store_uuid = device.log[2].args["device_store_uuid"]  # made for a device that had none
    assert store_uuid
    await until(lambda: device_server.status.device == "KOReader (Kobo_test)")
    [known] = store.list_devices()
    assert (known.store_uuid, known.name, known.free_space) == (
        store_uuid,
        "KOReader (Kobo_test)",
        device.free_space,
    )
    await device.disconnect()


@pytest.mark.parametrize("given", ["wrong", None])
async def test_a_wrong_or_missing_password_is_told_and_closed(device_server, tmp_path, given):
    device = await connect(device_server, tmp_path, password=given)
    await device.wait_for(DISPLAY_MESSAGE)
    assert device.log[1].args["messageKind"] == 1
    assert device.log[1].at - device.sent[0][2] < 1.0
    assert device.invalid_password
    assert GET_DEVICE_INFORMATION not in device.ops()
    device.send(NOOP, {})  # KOReader's parting NOOP, then its disconnect
    await asyncio.wait_for(device.closed.wait(), 5)
    assert store.list_devices() == []
    assert device_server.status.device is None


async def test_queued_books_arrive_byte_identical_under_safe_paths(device_server, tmp_path):
    first = make_epub(tmp_path / "lib" / "one.epub", "Ünïcödé — Ελληνικά 日本語", ("Zoë Ålund",))
    evil = make_epub(tmp_path / "lib" / "two.epub", "../../etc/passwd", ("/root",))
    a = add_book(
        "Ünïcödé — Ελληνικά 日本語", ("Zoë Ålund",), file=first, series="S", series_index=2
    )
    b = add_book("../../etc/passwd", ("/root",), file=evil)
    aliases = DocumentAlias.select().count()
    queue(a, b)
    device = await connect(device_server, tmp_path)
    await until(lambda: len(device.received_books) == 2)
    for lpath, source in zip(device.received_books, (first, evil), strict=True):
        assert not lpath.startswith("/") and ".." not in lpath.split("/")
        written = device.inbox / lpath
        assert written.resolve().is_relative_to(device.inbox.resolve())
        assert written.read_bytes() == source.read_bytes()
    sends = [entry.args for entry in device.log if entry.op == SEND_BOOK]
    assert [s["thisBook"] for s in sends] == [0, 1] and {s["totalBooks"] for s in sends} == {2}
    meta = sends[0]["metadata"]
    assert meta["lpath"] == sends[0]["lpath"] and meta["uuid"]
    assert set(meta) <= {
        "uuid",
        "lpath",
        "last_modified",
        "size",
        "title",
        "authors",
        "author_sort",
        "tags",
        "series",
        "series_index",
    }
    assert (meta["title"], meta["authors"], meta["series"]) == (a.title, ["Zoë Ålund"], "S")
    await until(lambda: store.queued_book_ids() == [])
    [known] = store.list_devices()
    assert sorted(book.book_id for book in known.books) == sorted([a.id, b.id])
    assert store.devices_holding(a.id) == ["KOReader (Kobo_test)"]
    assert DocumentAlias.select().count() == aliases  # nothing new for kosync
    await device.disconnect()


async def test_a_five_megabyte_book(device_server, tmp_path):
    path = tmp_path / "lib" / "big.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(bytes(range(256)) * (5 * 1024 * 1024 // 256) + b"tail")
    queue(add_book("Big", ("Author",), file=path))
    device = await connect(device_server, tmp_path)
    await until(lambda: device.received_books)
    digest = hashlib.sha256((device.inbox / device.received_books[0]).read_bytes()).hexdigest()
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    await device.disconnect()


async def test_the_book_list_asks_details_only_for_books_it_does_not_know(device_server, tmp_path):
    book = add_book("Mine", ("Me",))
    mine = store.book_uuid(store.library_uuid(), book.id)
    listed = [
        {
            "uuid": mine,
            "lpath": "Me/Mine.epub",
            "last_modified": "2026-01-01T00:00:00+00:00",
            "title": "Mine",
            "authors": ["Me"],
        },
        {
            "uuid": "other",
            "lpath": "x/Else.epub",
            "last_modified": "2026-01-02T00:00:00+00:00",
            "title": "Else",
            "authors": ["Other"],
        },
    ]
    device = await connect(device_server, tmp_path, store_uuid="dev-1", books=list(listed))
    await until(
        lambda: [b.title for d in store.list_devices() for b in d.books] == ["Mine", "Else"]
    )
    noops = [entry.args for entry in device.log if entry.op == NOOP]
    assert noops == [{"count": 2}, {"priKey": 1}, {"priKey": 2}]
    [known] = store.list_devices()
    assert [(b.lpath, b.book_id) for b in known.books] == [
        ("Me/Mine.epub", book.id),
        ("x/Else.epub", None),
    ]
    await device.disconnect()
    await until(lambda: device_server.status.device is None)
    again = await connect(device_server, tmp_path, "again", store_uuid="dev-1", books=listed)
    await again.wait_for(GET_BOOK_COUNT)
    await asyncio.sleep(0.2)
    assert [entry.args for entry in again.log if entry.op == NOOP] == []
    await again.disconnect()


async def test_delete_removes_the_file_and_the_record(device_server, tmp_path):
    path = make_epub(tmp_path / "lib" / "d.epub", "Gone", ("Ann",))
    queue(add_book("Gone", ("Ann",), file=path))
    device = await connect(device_server, tmp_path)
    await until(lambda: device.received_books)
    lpath = device.received_books[0]
    await device_server.delete([lpath])
    assert not (device.inbox / lpath).exists()
    assert [b.lpath for d in store.list_devices() for b in d.books] == []
    await device.disconnect()


async def test_keepalive_noops_while_idle(library, tmp_path):
    from bookorbit_desktop.devices.records import DeviceRecords
    from bookorbit_desktop.devices.server import DeviceServer

    timing = Timing(keepalive=0.2, goodbye=0.5)
    server = DeviceServer(PASSWORD, DeviceRecords(), "127.0.0.1", 0, discovery=False, timing=timing)
    await server.start()
    try:
        device = await connect(server, tmp_path)
        await device.wait_for(GET_BOOK_COUNT)
        before = device.ops().count(NOOP)
        await asyncio.sleep(1.0)
        assert device.ops().count(NOOP) - before >= 3
        assert not device.closed.is_set()
        await device.disconnect()
    finally:
        await server.stop()


async def test_a_second_device_hears_busy(device_server, tmp_path):
    first = await connect(device_server, tmp_path, "first", store_uuid="kobo-1")
    await first.wait_for(GET_BOOK_COUNT)
    await until(lambda: device_server.status.device is not None)
    second = await connect(device_server, tmp_path, "second", model="Other", store_uuid="k-2")
    await second.wait_for(CALIBRE_BUSY)
    [busy] = [entry.args for entry in second.log if entry.op == CALIBRE_BUSY]
    assert busy == {"otherDevice": "KOReader (Kobo_test)"}
    assert SET_CALIBRE_DEVICE_INFO not in second.ops()  # nothing told, nothing sent
    await asyncio.wait_for(second.closed.wait(), 5)
    assert not first.closed.is_set()
    await first.disconnect()


async def test_a_device_from_another_address_hears_busy_at_once(device_server, tmp_path):
    first = await connect(device_server, tmp_path, "first")
    await until(lambda: device_server.status.device is not None)
    device_server._active.info.address = "192.168.1.50"  # as if it had connected from there
    second = await connect(device_server, tmp_path, "second")
    await second.wait_for(CALIBRE_BUSY)
    assert second.ops()[0] == CALIBRE_BUSY  # no challenge offered to guess against
    await asyncio.wait_for(second.closed.wait(), 5)
    await first.disconnect()


async def test_a_bare_probe_blocks_nobody(device_server, tmp_path):
    _, writer = await asyncio.open_connection("127.0.0.1", device_server.status.port)
    writer.close()
    device = await connect(device_server, tmp_path)
    await device.wait_for(GET_BOOK_COUNT)
    assert CALIBRE_BUSY not in device.ops()
    await device.disconnect()


async def test_a_device_leaving_mid_book_keeps_it_queued(device_server, tmp_path):
    path = tmp_path / "lib" / "half.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * (3 * 1024 * 1024))
    book = add_book("Half", ("Ann",), file=path)
    queue(book)
    device = await connect(device_server, tmp_path, stop_after_bytes=1024 * 1024)
    await asyncio.wait_for(device.closed.wait(), 10)
    await until(lambda: device_server.status.device is None)
    assert store.queued_book_ids() == [book.id]
    again = await connect(device_server, tmp_path, "again")
    await until(lambda: again.received_books)
    assert (again.inbox / again.received_books[0]).read_bytes() == path.read_bytes()
    await until(lambda: store.queued_book_ids() == [])
    await again.disconnect()


async def test_a_full_device_refuses_and_the_books_stay_queued(device_server, tmp_path):
    book = add_book("Full", ("Ann",), file=make_epub(tmp_path / "lib" / "f.epub", "Full"))
    queue(book)
    device = await connect(device_server, tmp_path, free_space=10)
    await device.wait_for(SEND_BOOK)
    await until(lambda: device_server.status.problems != [])
    assert "refused" in device_server.status.problems[0]
    assert store.queued_book_ids() == [book.id]
    assert device.received_books == []
    await device.disconnect()


async def test_eject_says_goodbye_and_frees_the_place(device_server, tmp_path):
    device = await connect(device_server, tmp_path)
    await until(lambda: device_server.status.device is not None)
    await device_server.eject()
    await asyncio.wait_for(device.closed.wait(), 5)
    assert device.log[-1].op == NOOP and device.log[-1].args == {"ejecting": True}
    assert device.sent[-1][0] == OK and device.disconnected_by_server
    await until(lambda: device_server.status.device is None)


async def test_books_queued_while_connected_go_when_asked(device_server, tmp_path):
    device = await connect(device_server, tmp_path)
    await until(lambda: device_server.status.device is not None)
    path = make_epub(tmp_path / "lib" / "later.epub", "Later")
    queue(add_book("Later", ("Ann",), file=path))
    assert device_server.send_queued()
    await until(lambda: device.received_books)
    assert (device.inbox / device.received_books[0]).read_bytes() == path.read_bytes()
    await device.disconnect()


async def test_password_guesses_are_limited_per_address(library, tmp_path):
    from dataclasses import replace

    from bookorbit_desktop.devices.records import DeviceRecords
    from bookorbit_desktop.devices.server import DeviceServer
    from bookorbit_desktop.guards.throttle import LOGINS, LoginThrottle

    throttle = LoginThrottle(lambda: 0.0, replace(LOGINS, failures=2))
    timing = Timing(goodbye=0.3)
    server = DeviceServer(
        PASSWORD, DeviceRecords(), "127.0.0.1", 0, discovery=False, timing=timing, throttle=throttle
    )
    await server.start()
    try:
        for attempt, password in enumerate(["guess1", "guess2", PASSWORD]):
            device = await connect(server, tmp_path, f"d{attempt}", password=password)
            await device.wait_for(DISPLAY_MESSAGE)  # the right one too: out of guesses
            await asyncio.wait_for(device.closed.wait(), 5)
        assert throttle.refused == 1
    finally:
        await server.stop()


async def test_calibres_port_or_the_next_free_one(library):
    import socket

    from bookorbit_desktop.devices.records import DeviceRecords
    from bookorbit_desktop.devices.server import DeviceServer

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 9090))
        holder.listen()
    except OSError:
        pass  # another program has it: the same situation
    server = DeviceServer(PASSWORD, DeviceRecords(), "127.0.0.1", None, discovery=False)
    try:
        await server.start()
        assert 9091 <= server.status.port <= 9099
    finally:
        await server.stop()
        holder.close()


async def test_the_same_device_coming_back_takes_over_its_dead_connection(device_server, tmp_path):
    first = await connect(device_server, tmp_path, "first", store_uuid="kobo-1")
    await first.wait_for(GET_BOOK_COUNT)
    await until(lambda: device_server.status.device is not None)
    # It slept: its side of the connection is gone, but no FIN ever reached the server.
    again = await connect(device_server, tmp_path, "again", store_uuid="kobo-1")
    await again.wait_for(GET_BOOK_COUNT)
    assert CALIBRE_BUSY not in again.ops()
    await asyncio.wait_for(first.closed.wait(), 5)  # the server let go of the old one
    assert device_server.status.device == "KOReader (Kobo_test)"
    other = await connect(device_server, tmp_path, "other", store_uuid="kobo-2")
    await other.wait_for(CALIBRE_BUSY)  # same address, another device: still busy
    await again.disconnect()


async def test_a_book_whose_file_vanished_stays_queued_with_a_reason(device_server, tmp_path):
    path = make_epub(tmp_path / "lib" / "gone.epub", "Vanished")
    book = add_book("Vanished", ("Ann",), file=path)
    queue(book)
    path.unlink()
    device = await connect(device_server, tmp_path)
    await until(lambda: device_server.status.problems != [])
    assert device_server.status.problems == [
        "Vanished: the file cannot be read (No such file or directory)"
    ]
    assert store.queued_book_ids() == [book.id] and SEND_BOOK not in device.ops()
    await device.disconnect()


async def test_a_library_error_ends_the_session_not_the_server(library, tmp_path):
    from peewee import OperationalError

    from bookorbit_desktop.devices.records import DeviceRecords
    from bookorbit_desktop.devices.server import DeviceServer

    class LockedLibrary(DeviceRecords):
        async def listing(self, device_id, books):
            raise OperationalError("database is locked")  # another program holds the library

    server = DeviceServer(PASSWORD, LockedLibrary(), "127.0.0.1", 0, discovery=False)
    await server.start()
    try:
        device = await connect(server, tmp_path)
        await asyncio.wait_for(device.closed.wait(), 5)
        assert server.status.problems and server.status.device is None
        again = await connect(server, tmp_path, "again")  # still serving
        await again.wait_for(GET_BOOK_COUNT)
        await asyncio.wait_for(again.closed.wait(), 5)
    finally:
        await server.stop()


@pytest.mark.skipif(sys.platform != "linux", reason="uses 127.0.x.y source addresses")
async def test_silent_strangers_hold_no_more_than_the_ports_share(device_server, tmp_path):
    """300 connections that never answer the handshake, from 60 addresses, hold at most the
    port's cap of descriptors, and a real device connecting afterwards gets through."""
    silent = []
    for n in range(300):
        _, writer = await asyncio.open_connection(
            "127.0.0.1", device_server.status.port, local_addr=(f"127.0.1.{1 + n // 5}", 0)
        )
        silent.append(writer)
    # The oldest are closed to make room; each one's task leaves the count a few turns of the
    # loop later (on a busy machine, more than 0.2 s later): wait for them, up to 5 s.
    deadline = asyncio.get_running_loop().time() + 5
    await asyncio.sleep(0.2)
    while len(device_server._connections) > DEVICE_CONNECTIONS:
        if asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.05)
    held = len(device_server._connections)
    device = await connect(device_server, tmp_path)
    await device.wait_for(GET_BOOK_COUNT)
    for writer in silent:
        writer.transport.abort()
    await device.disconnect()
    assert held <= DEVICE_CONNECTIONS
    assert CALIBRE_BUSY not in device.ops()


@pytest.mark.parametrize("pause", [0.0, 0.05], ids=["just-asked", "asked-a-while-ago"])
async def test_stopping_while_a_device_is_asked_for_its_password_is_at_once(
    device_server, pause, caplog
):
    # A device that opened the connection and was just sent the challenge: stopping the
    # server ends its session now, not when the handshake's time runs out (5 s here).
    reader, writer = await asyncio.open_connection("127.0.0.1", device_server.status.port)
    try:
        assert (await reader.read(100)).split(b"[")[0].isdigit()  # the challenge's frame
        if pause:  # else at once: the server is still taking back the challenge's send
            await asyncio.sleep(pause)
        started = time.monotonic()
        await device_server.stop()
        assert time.monotonic() - started < 1.0
        assert device_server.status.device is None
        await asyncio.sleep(0.05)
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    finally:
        writer.close()
