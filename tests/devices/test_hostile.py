"""A device that breaks the protocol or sends hostile values, against the real device port.

Each case is a KOReader-like client on 127.0.0.1: what it sends must end (at most) its own
session with one escaped log line and no traceback, leave the port free for the next device
within seconds, and never put an unchecked name or path into the library.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import replace

import pytest

from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.server import DeviceServer
from bookorbit_desktop.devices.session import Timing
from bookorbit_desktop.guards.throttle import LOGINS, Admission, LoginThrottle
from bookorbit_desktop.library.store import devices as store
from tests.devices.conftest import PASSWORD
from tests.devices.koreader_client import CALIBRE_BUSY, GET_BOOK_COUNT, KoreaderDevice
from tests.devices.test_session import connect, queue, until
from tests.factories import add_book

DEPTH = 100_000
HOSTILE_NAME = '<img src="file:///etc/passwd"><b>Evil</b>\n2026-01-01 INFO forged line\x1b[31m'


def _nested_frame() -> bytes:
    body = b'[12,{"a":' + b"[" * DEPTH + b"]" * DEPTH + b"}]"
    return str(len(body)).encode() + body


def _crashes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_deeply_nested_frame_ends_its_session_and_frees_the_port(
    device_server, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    device = await connect(device_server, tmp_path)
    await device.wait_for(GET_BOOK_COUNT)
    await until(lambda: device_server.status.device is not None)
    device.send_raw(_nested_frame())
    await asyncio.wait_for(device.closed.wait(), 3.0)
    await until(lambda: device_server.status.device is None, timeout=3.0)
    assert _crashes(caplog) == []
    assert any("nested" in r.getMessage() for r in caplog.records)
    second = await connect(device_server, tmp_path, name="second")
    await second.wait_for(GET_BOOK_COUNT, timeout=3.0)
    assert CALIBRE_BUSY not in second.ops()
    await second.disconnect()


async def test_a_nested_answer_to_the_handshake_is_refused_without_a_traceback(
    device_server, tmp_path, caplog
):
    device = KoreaderDevice(tmp_path, password=None)
    device._init_info = lambda _args: device.send_raw(_nested_frame())  # type: ignore[method-assign]
    await device.connect("127.0.0.1", device_server.status.port)
    await asyncio.wait_for(device.closed.wait(), 3.0)
    await asyncio.sleep(0.05)
    assert _crashes(caplog) == []
    second = await connect(device_server, tmp_path, name="second")
    await second.wait_for(GET_BOOK_COUNT, timeout=3.0)
    await second.disconnect()


BAD_LPATHS = [
    "../../../../etc/passwd",
    "books/../../escape.epub",
    "/etc/shadow",
    "\\\\server\\share\\x.epub",
    "C:\\Windows\\x.epub",
    "nul\x00byte.epub",
    "line\nbreak.epub",
    "long/" + "x" * 5000 + ".epub",
    "",
]


async def test_names_and_paths_a_device_sends_are_checked(device_server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    books = [
        {"uuid": f"u{n}", "lpath": lpath, "last_modified": "2026-01-01T00:00:00+00:00"}
        for n, lpath in enumerate(BAD_LPATHS)
    ]
    good = {"uuid": "good", "lpath": "Author/Good Book.epub", "title": "Good", "authors": ["A"]}
    odd_types = [
        {"uuid": ["not", "text"], "lpath": "Author/Odd.epub", "title": {"x": 1}, "authors": "A"},
        {"uuid": "x" * 10_000, "lpath": "Author/Long uuid.epub"},
    ]
    device = await connect(
        device_server, tmp_path, name="hostile", model="x", books=[*books, good, *odd_types]
    )
    device.name = HOSTILE_NAME + "y" * 1000
    await device.wait_for(GET_BOOK_COUNT)
    await until(lambda: bool(store.list_devices()) and bool(store.list_devices()[0].books))
    [known] = store.list_devices()
    assert "\n" not in known.name and "\x1b" not in known.name
    assert len(known.name) <= 100
    assert known.name.startswith('<img src="file:///etc/passwd"><b>Evil</b>')
    lpaths = sorted(book.lpath for book in known.books)
    assert lpaths == ["Author/Good Book.epub", "Author/Long uuid.epub", "Author/Odd.epub"]
    odd = next(book for book in known.books if book.lpath == "Author/Odd.epub")
    assert odd.uuid is None and odd.title is None
    long_uuid = next(book for book in known.books if book.lpath == "Author/Long uuid.epub")
    assert long_uuid.uuid is None
    assert device_server.status.device == known.name
    await device.disconnect()
    await asyncio.sleep(0.05)
    messages = [record.getMessage() for record in caplog.records]
    assert not [m for m in messages if "forged line" in m and ("\n" in m or "\x1b" in m)]
    assert _crashes(caplog) == []


@pytest.mark.parametrize(
    ("answer", "expected_free_space"),
    [
        ({"free_space_on_device": -5}, None),
        ({"free_space_on_device": 10**40}, None),
        ({"free_space_on_device": True}, None),
        ({"free_space_on_device": "12"}, None),
        ({"free_space_on_device": 123456}, 123456),
    ],
)
async def test_numbers_a_device_sends_are_kept_only_in_range(
    device_server, tmp_path, answer, expected_free_space
):
    device = await connect(device_server, tmp_path)
    original = device._handle

    def handle(op, args):
        if op == 5:  # FREE_SPACE
            device.send(0, answer)
            return
        original(op, args)

    device._handle = handle  # type: ignore[method-assign]
    await device.wait_for(GET_BOOK_COUNT)
    await until(lambda: bool(store.list_devices()))
    assert store.list_devices()[0].free_space == expected_free_space
    await device.disconnect()


@pytest.mark.parametrize("count", [-1, 10**12, "3\n", 2.5, None, {"a": 1}, "NESTED"])
async def test_an_impossible_book_count_ends_the_session_cleanly(
    device_server, tmp_path, caplog, count
):
    if count == "NESTED":  # as deep as the parser goes
        count = json.loads("[" * 900 + "]" * 900)
    device = await connect(device_server, tmp_path)
    original = device._handle

    def handle(op, args):
        if op == GET_BOOK_COUNT:
            device.send(0, {"count": count})
            return
        original(op, args)

    device._handle = handle  # type: ignore[method-assign]
    await asyncio.wait_for(device.closed.wait(), 5.0)
    await until(lambda: device_server.status.device is None, timeout=3.0)
    assert _crashes(caplog) == []


@pytest.mark.parametrize("given", ["ünïcode", "\x00" * 40, ["a"], 12])
async def test_an_odd_password_answer_is_a_wrong_password(device_server, tmp_path, caplog, given):
    device = KoreaderDevice(tmp_path, password=None)
    original = device._init_info

    def init_info(args):
        captured = []
        device.send = lambda op, answer: captured.append((op, answer))  # type: ignore[method-assign]
        original(args)
        del device.send  # the class's own again
        [(op, answer)] = captured
        device.send(op, {**answer, "passwordHash": given})

    device._init_info = init_info  # type: ignore[method-assign]
    await device.connect("127.0.0.1", device_server.status.port)
    await asyncio.wait_for(device.closed.wait(), 5.0)
    assert device.invalid_password
    assert _crashes(caplog) == []


async def test_a_device_that_stops_reading_mid_book_frees_the_port(library, tmp_path, caplog):
    server = DeviceServer(
        PASSWORD,
        DeviceRecords(),
        "127.0.0.1",
        0,
        discovery=False,
        timing=Timing(handshake=2.0, reply=1.0, keepalive=30.0, goodbye=0.3),
    )
    await server.start()
    path = tmp_path / "lib" / "big.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * (48 * 1024 * 1024))
    queue(add_book("Big", ("Ann",), file=path))
    stalled = await connect(server, tmp_path, stall_after_bytes=1024 * 1024, read_bytes=65536)
    try:
        await until(lambda: stalled.stalled)
        await until(lambda: server.status.device is None, timeout=5.0)
        second = await connect(server, tmp_path, name="second")
        await second.wait_for(GET_BOOK_COUNT, timeout=3.0)
        assert CALIBRE_BUSY not in second.ops()
        assert _crashes(caplog) == []
        await second.disconnect()
    finally:
        stalled._task.cancel()
        stalled.writer.close()
        await server.stop()


async def test_a_refused_device_that_keeps_talking_is_closed_soon(device_server, tmp_path):
    device = await connect(device_server, tmp_path)
    await until(lambda: device_server.status.device is not None)
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", device_server.status.port, local_addr=("127.0.0.2", 0)
    )
    try:
        started = asyncio.get_running_loop().time()
        while not reader.at_eof():
            writer.write(b'12[12,{"a":1}]')  # a NOOP with arguments: not a goodbye
            await writer.drain()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(65536), 0.05)
            assert asyncio.get_running_loop().time() - started < 3.0, "still held"
    except ConnectionError:
        pass  # closed while writing: also closed
    finally:
        writer.close()
    await device.disconnect()


def _padded_answer(device: KoreaderDevice, padding: int) -> None:
    """The device answers the handshake with the right password, padded to `padding` bytes."""
    original = device._init_info

    def init_info(args):
        captured = []
        device.send = lambda op, answer: captured.append((op, answer))  # type: ignore[method-assign]
        original(args)
        del device.send  # the class's own again
        [(op, answer)] = captured
        device.send(op, {**answer, "padding": "x" * padding})

    device._init_info = init_info  # type: ignore[method-assign]


async def test_a_large_frame_before_the_password_is_checked_ends_the_session(
    device_server, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    device = KoreaderDevice(tmp_path / "big", password=PASSWORD)
    _padded_answer(device, 64 * 1024)  # far more than any handshake answer, yet valid JSON
    await device.connect("127.0.0.1", device_server.status.port)
    await asyncio.wait_for(device.closed.wait(), 3.0)
    assert GET_BOOK_COUNT not in device.ops() and device_server.status.device is None
    lines = [record.getMessage() for record in caplog.records]
    assert any(
        "over the 8,192 allowed" in line and "before the password was checked" in line
        for line in lines
    ), lines
    assert _crashes(caplog) == []
    normal = KoreaderDevice(tmp_path / "normal", password=PASSWORD)
    _padded_answer(normal, 2048)  # a handshake answer a little larger than KOReader's
    await normal.connect("127.0.0.1", device_server.status.port)
    await normal.wait_for(GET_BOOK_COUNT, timeout=3.0)
    await normal.disconnect()


async def test_a_frame_declared_huge_before_the_password_is_not_waited_for(device_server):
    reader, writer = await asyncio.open_connection("127.0.0.1", device_server.status.port)
    try:
        await asyncio.wait_for(reader.read(4096), 3.0)  # GET_INITIALIZATION_INFO
        writer.write(b"1000000[0,{")  # a megabyte announced, a few bytes sent
        await writer.drain()
        async with asyncio.timeout(2.0):  # closed at once, not at the handshake's 5 s
            while await reader.read(4096):
                pass
    finally:
        writer.close()


async def test_a_global_guessing_flood_tells_a_device_busy_not_wrong_password(
    library, tmp_path, caplog
):
    caplog.set_level(logging.INFO)
    throttle = LoginThrottle(lambda: 0.0, replace(LOGINS, global_rate=0.0, global_burst=1))
    assert throttle.admit("10.9.9.9") is Admission.CHECK
    throttle.checked("10.9.9.9", False)  # strangers elsewhere spent every check there was
    server = DeviceServer(
        PASSWORD,
        DeviceRecords(),
        "127.0.0.1",
        0,
        discovery=False,
        timing=Timing(goodbye=0.3),
        throttle=throttle,
    )
    await server.start()
    try:
        device = await connect(server, tmp_path)
        await device.wait_for(CALIBRE_BUSY)
        await asyncio.wait_for(device.closed.wait(), 5)
        assert not device.invalid_password
        assert any("come back later" in record.getMessage() for record in caplog.records)
    finally:
        await server.stop()
