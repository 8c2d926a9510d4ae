"""Sending a large book to a device over loopback: throughput and the event loop's longest stall.

    python benchmarks/device_send.py [--megabytes 100]

A real library gets one book of MEGABYTES (random bytes), queued. The device server runs on
this process's event loop (the loop the window shares in the app) on 127.0.0.1; a device that
answers as KOReader's calibre client does (tests/devices/koreader_client.py) runs in another
process, connects, and writes the book to disk. Timed: from SEND_BOOK to the device's last
byte on disk. A 5 ms ticker on the server's loop records the longest gap meanwhile (target
< 50 ms). For comparison, the same device receives the same number of bytes from a bare server
that sends them from memory with no protocol step between (what this receiver can take over
loopback), and a plain socket pair measures the loopback itself. Prints the rates in MB/s.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real one

PASSWORD = "bench"
CHUNK = 1024 * 1024


def _device(port: int, inbox: str, done: multiprocessing.Queue) -> None:
    from tests.devices.koreader_client import KoreaderDevice

    async def run() -> None:
        device = KoreaderDevice(Path(inbox), password=PASSWORD, read_bytes=4 * 1024 * 1024)
        await device.connect("127.0.0.1", port)
        while not device.received_books:
            await asyncio.sleep(0.005)
        done.put(time.perf_counter())
        await device.disconnect()

    asyncio.run(run())


def _bare_receiver(port: int, size: int, done: multiprocessing.Queue) -> None:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        left = size
        while left:
            left -= len(sock.recv(1024 * 1024))
    done.put(time.perf_counter())


async def _bare_sender(size: int, port_out: list[int], sent: asyncio.Event) -> asyncio.Server:
    """A server that sends SEND_BOOK, waits for OK, then `size` bytes from memory."""
    from bookorbit_desktop.devices.protocol import Op, encode

    payload = os.urandom(CHUNK)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        meta = {"lpath": "a/b.pdf", "uuid": "u"}
        writer.write(
            encode(
                Op.SEND_BOOK,
                {
                    "lpath": "a/b.pdf",
                    "length": size,
                    "metadata": meta,
                    "thisBook": 0,
                    "totalBooks": 1,
                },
            )
        )
        await reader.read(64)
        port_out.append(int(time.perf_counter() * 1e9))
        for _ in range(size // CHUNK):
            writer.write(payload)
            await writer.drain()
        sent.set()
        await reader.read()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def measure_device_limit(data_dir: Path, size: int) -> float:
    started: list[int] = []
    sent = asyncio.Event()
    server = await _bare_sender(size, started, sent)
    done: multiprocessing.Queue = multiprocessing.Queue()
    inbox = data_dir / "inbox-bare"
    inbox.mkdir()
    port = server.sockets[0].getsockname()[1]
    child = multiprocessing.Process(target=_device, args=(port, str(inbox), done))
    child.start()
    finished = await asyncio.to_thread(done.get)
    await asyncio.to_thread(child.join, 30)
    server.close()
    return finished - started[0] / 1e9


async def _ticker(gaps: list[float], stop: asyncio.Event) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last - 0.005)
        last = now


async def measure_protocol(data_dir: Path, book: Path) -> tuple[float, float]:
    from bookorbit_desktop.devices.records import DeviceRecords
    from bookorbit_desktop.devices.server import DeviceServer
    from bookorbit_desktop.library.store import devices as store
    from tests.factories import add_book

    store.queue_books([add_book("Big Book", ("Bench Author",), file=book).id], now=time.time())
    sending: list[float] = []

    def changed() -> None:
        if server.status.progress is not None and not sending:
            sending.append(time.perf_counter())  # just before SEND_BOOK

    server = DeviceServer(
        PASSWORD, DeviceRecords(), "127.0.0.1", 0, discovery=False, on_change=changed
    )
    await server.start()
    done: multiprocessing.Queue = multiprocessing.Queue()
    inbox = data_dir / "inbox"
    inbox.mkdir()
    gaps: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(gaps, stop))
    child = multiprocessing.Process(target=_device, args=(server.status.port, str(inbox), done))
    child.start()
    finished = await asyncio.to_thread(done.get)
    stop.set()
    await ticker
    await asyncio.to_thread(child.join, 30)
    await server.stop()
    return finished - sending[0], max(gaps)


def measure_bare(size: int) -> float:
    listener = socket.create_server(("127.0.0.1", 0))
    done: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=_bare_receiver, args=(listener.getsockname()[1], size, done)
    )
    child.start()
    conn, _ = listener.accept()
    payload = os.urandom(1024 * 1024)
    started = time.perf_counter()
    for _ in range(size // len(payload)):
        conn.sendall(payload)
    finished = done.get()
    child.join(30)
    conn.close()
    listener.close()
    return finished - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    size = args.megabytes * 1024 * 1024
    from bookorbit_desktop.library.store.db import close_database, open_database

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        book = data_dir / "big.pdf"
        with book.open("wb") as handle:
            for _ in range(args.megabytes):
                handle.write(os.urandom(1024 * 1024))
        open_database(data_dir / "library.sqlite3")
        try:
            seconds, stall = asyncio.run(measure_protocol(data_dir, book))
        finally:
            close_database()
        limit = asyncio.run(measure_device_limit(data_dir, size))
    bare = measure_bare(size)
    mb = size / 1e6
    print(f"Book of {args.megabytes} MiB sent to a KOReader-like device on loopback:")
    print(f"  library file -> device, protocol: {mb / seconds:8.1f} MB/s ({seconds:.2f} s)")
    print(f"  memory -> same device, no protocol: {mb / limit:8.1f} MB/s (the receiver's limit)")
    print(f"  plain loopback socket, no files: {mb / bare:8.1f} MB/s")
    print(f"  longest event loop stall while sending: {stall * 1000:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
