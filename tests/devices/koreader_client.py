"""A test device that speaks calibre's wireless protocol the way KOReader's client does.

Written from the behaviour of KOReader's `plugins/calibre.koplugin/wireless.lua` and
`metadata.lua`: it splits the stream at the first `[` and reads the decimal length before it
(bytes), answers each opcode as KOReader does (and leaves unanswered what KOReader leaves
unanswered), hashes the password as sha1(password .. challenge), switches to raw mode after
answering SEND_BOOK until `length` bytes arrived (any rest goes back to the JSON buffer), keeps
the slim book list KOReader keeps, and writes each book to `inbox/<lpath>` just as KOReader
does: unsanitised, so a test sees any path that would escape the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OK, SET_CALIBRE_DEVICE_INFO, GET_DEVICE_INFORMATION = 0, 1, 3
FREE_SPACE, GET_BOOK_COUNT, SEND_BOOK, GET_INITIALIZATION_INFO = 5, 6, 8, 9
NOOP, DELETE_BOOK, SEND_BOOK_METADATA, DISPLAY_MESSAGE = 12, 13, 16, 17
CALIBRE_BUSY, SET_LIBRARY_INFO, ERROR = 18, 19, 20
SLIM_KEYS = (
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
)


@dataclass
class Received:
    op: int
    args: dict[str, Any]
    at: float


@dataclass
class KoreaderDevice:
    inbox: Path
    password: str | None = None
    store_uuid: str | None = None
    model: str = "Kobo_test"
    name: str | None = None  # the name it gives itself; KOReader's "KOReader (model)" if None
    free_space: int = 1024 * 1024 * 1024
    books: list[dict[str, Any]] = field(default_factory=list)
    stop_after_bytes: int | None = None  # hang up in the middle of a book
    stall_after_bytes: int | None = None  # stop reading in the middle of a book, socket open
    read_bytes: int = 65536
    log: list[Received] = field(default_factory=list)
    sent: list[tuple[int, dict[str, Any], float]] = field(default_factory=list)
    invalid_password: bool = False
    disconnected_by_server: bool = False
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    activity: asyncio.Event = field(default_factory=asyncio.Event)
    received_books: list[str] = field(default_factory=list)

    async def connect(self, host: str, port: int) -> None:
        self.reader, self.writer = await asyncio.open_connection(host, port)
        self.buffer = b""
        self.raw: tuple[Path, int, dict[str, Any], Any] | None = None
        self.stalled = False
        self._task = asyncio.create_task(self._receive())

    async def _receive(self) -> None:
        try:
            while True:
                if self.stalled:
                    await asyncio.Event().wait()  # until the test cancels it
                data = await self.reader.read(self.read_bytes)
                if not data:
                    break
                self.activity.set()
                if self.raw is not None:
                    data = self._raw(data)
                    if self.raw is not None:
                        continue
                self.buffer += data
                if not self._json():
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            self.closed.set()

    def _raw(self, data: bytes) -> bytes:
        """Book bytes; returns what follows the book (JSON again)."""
        assert self.raw is not None
        path, left, metadata, handle = self.raw
        part = data[:left]
        handle.write(part)
        left -= len(part)
        if self.stop_after_bytes is not None and handle.tell() >= self.stop_after_bytes:
            handle.close()
            self.writer.close()
            raise ConnectionResetError("device hung up mid-book")
        if self.stall_after_bytes is not None and handle.tell() >= self.stall_after_bytes:
            self.stalled = True
        if left:
            self.raw = (path, left, metadata, handle)
            return b""
        handle.close()
        self.raw = None
        self._add_book(metadata)
        self.received_books.append(metadata["lpath"])
        return data[len(part) :]

    def _json(self) -> bool:
        while self.buffer:
            index = self.buffer.find(b"[")
            if index < 0:
                return True
            size = int(self.buffer[:index])
            if len(self.buffer) < index + size:
                return True
            body, self.buffer = self.buffer[index : index + size], self.buffer[index + size :]
            op, args = json.loads(body)
            self.log.append(Received(op, args, time.monotonic()))
            self._handle(op, args)
            if self.raw is not None:
                rest, self.buffer = self.buffer, b""
                rest = self._raw(rest) if rest else rest
                self.buffer = rest
        return True

    def device_name(self) -> str:
        return f"KOReader ({self.model})" if self.name is None else self.name

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: a frame no KOReader would send."""
        self.writer.write(data)

    def send(self, op: int, args: dict[str, Any]) -> None:
        body = json.dumps([op, args]).encode()
        self.sent.append((op, args, time.monotonic()))
        self.writer.write(str(len(body)).encode() + body)

    def _handle(self, op: int, args: dict[str, Any]) -> None:
        handler = {
            GET_INITIALIZATION_INFO: self._init_info,
            GET_DEVICE_INFORMATION: self._device_info,
            SET_CALIBRE_DEVICE_INFO: lambda a: self.send(OK, {}),
            FREE_SPACE: lambda a: self.send(OK, {"free_space_on_device": self.free_space}),
            SET_LIBRARY_INFO: lambda a: self.send(OK, {}),
            GET_BOOK_COUNT: self._book_count,
            SEND_BOOK: self._send_book,
            SEND_BOOK_METADATA: lambda a: None,
            DELETE_BOOK: self._delete,
            DISPLAY_MESSAGE: self._message,
            NOOP: self._noop,
        }.get(op)
        if handler is not None:
            handler(args)

    def _init_info(self, args: dict[str, Any]) -> None:
        version = args["calibre_version"]  # KOReader indexes it as a list of numbers
        assert len(version) == 3 and all(isinstance(v, int) for v in version)
        challenge = args.get("passwordChallenge")
        digest = ""
        if self.password is not None and challenge is not None:
            digest = hashlib.sha1((self.password + challenge).encode()).hexdigest()
        self.send(
            OK,
            {
                "appName": "KOReader",
                "acceptedExtensions": ["epub", "pdf", "cbz", "fb2", "mobi", "txt"],
                "cacheUsesLpaths": True,
                "canAcceptLibraryInfo": True,
                "canDeleteMultipleBooks": True,
                "canReceiveBookBinary": True,
                "canSendOkToSendbook": True,
                "canStreamBooks": True,
                "canStreamMetadata": True,
                "canUseCachedMetadata": True,
                "ccVersionNumber": "v2025.10",
                "coverHeight": 240,
                "deviceKind": self.model,
                "deviceName": self.device_name(),
                "extensionPathLengths": {"epub": 37},
                "passwordHash": digest,
                "maxBookContentPacketLen": 4096,
                "useUuidFileNames": False,
                "versionOK": True,
            },
        )

    def _device_info(self, args: dict[str, Any]) -> None:
        self.send(
            OK,
            {
                "device_info": {
                    "device_store_uuid": self.store_uuid,
                    "device_name": self.device_name(),
                },
                "version": "v2025.10",
                "device_version": "v2025.10",
            },
        )

    def _book_count(self, args: dict[str, Any]) -> None:
        self.send(OK, {"willStream": True, "willScan": True, "count": len(self.books)})
        for index, book in enumerate(self.books, start=1):
            self.send(
                OK,
                {
                    "priKey": index,
                    **{k: book.get(k) for k in ("uuid", "lpath")},
                    "last_modified": book.get("last_modified"),
                },
            )

    def _send_book(self, args: dict[str, Any]) -> None:
        if self.free_space < args["length"] + 128 * 1024:
            self.send(ERROR, {"message": "No space left on device"})
            return
        path = self.inbox / args["lpath"]  # as KOReader: unsanitised
        path.parent.mkdir(parents=True, exist_ok=True)
        self.raw = (path, args["length"], args["metadata"], path.open("wb"))
        self.send(OK, {})
        if args["length"] == 0:
            self.raw = None

    def _add_book(self, metadata: dict[str, Any]) -> None:
        slim = {key: metadata.get(key) for key in SLIM_KEYS}
        self.books = [b for b in self.books if b["lpath"] != slim["lpath"]] + [slim]

    def _delete(self, args: dict[str, Any]) -> None:
        self.send(OK, {})
        for lpath in args["lpaths"]:
            found = [b for b in self.books if b["lpath"] == lpath]
            with contextlib.suppress(FileNotFoundError):
                (self.inbox / lpath).unlink()
            self.books = [b for b in self.books if b["lpath"] != lpath]
            self.send(OK, {"uuid": found[0]["uuid"] if found else "none"})

    def _message(self, args: dict[str, Any]) -> None:
        if args.get("messageKind") == 1:
            self.invalid_password = True

    def _noop(self, args: dict[str, Any]) -> None:
        if args.get("ejecting"):
            self.send(OK, {})
            self.disconnected_by_server = True
            return
        if "count" in args:
            return
        if "priKey" in args:
            self.send(OK, self.books[args["priKey"] - 1])
            return
        self.send(OK, {})

    async def disconnect(self, parting_noop: bool = True) -> None:
        """The user's Disconnect: a parting NOOP, then the socket closes."""
        if parting_noop:
            self.send(NOOP, {})
        with contextlib.suppress(OSError):
            await self.writer.drain()
        self.writer.close()
        await self.closed.wait()

    def ops(self) -> list[int]:
        return [entry.op for entry in self.log]

    async def wait_for(self, op: int, timeout: float = 10.0, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        while self.ops().count(op) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no opcode {op} within {timeout} s: {self.ops()}")
            await asyncio.sleep(0.01)
