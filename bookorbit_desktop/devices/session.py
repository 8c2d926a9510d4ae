"""One device's TCP session, driven from the desktop as calibre drives it.

The order KOReader expects (it gives up when a step is late):

| step | we send | the device answers | device's limit |
|---|---|---|---|
| 1 | GET_INITIALIZATION_INFO (challenge, calibre_version) | OK with the password hash | 5 s |
| 2 | GET_DEVICE_INFORMATION | OK, its store uuid (we make one if none) | 1 s after 1 |
| 2' | (wrong hash) DISPLAY_MESSAGE kind 1, then we close | its parting NOOP | 1 s after 1 |
| 2'' | (too many wrong passwords from everywhere) CALIBRE_BUSY, then we close | its NOOP | |
| 3 | SET_CALIBRE_DEVICE_INFO, FREE_SPACE, SET_LIBRARY_INFO | OK each | |
| 4 | GET_BOOK_COUNT | OK {count}, then one OK per book | |
| 5 | NOOP {count}, NOOP {priKey} per unknown book | (nothing), one OK per priKey | |
| 6 | SEND_BOOK, waits for OK (or ERROR: full), then the bytes | | |
| - | NOOP every `keepalive` seconds while idle | OK | 5 min of silence |
| - | DELETE_BOOK {lpaths} | OK, then OK {uuid} per lpath | |
| end | NOOP {ejecting} | OK, then it hangs up | |

Until the password is right a frame may be at most `PRE_AUTH_FRAME_BYTES` (8 KiB): a
stranger gets nothing larger decoded. A NOOP the device sends on its own is its goodbye.
Sending itself lives in `transfer.py`. Every value the session keeps from the device passes
`checks` first; a frame that breaks the protocol ends the session with its reason
(`SessionEnded`), which the server logs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bookorbit_desktop.devices import checks
from bookorbit_desktop.devices.protocol import (
    CALIBRE_VERSION,
    MAX_FRAME_BYTES,
    MESSAGE_PASSWORD_ERROR,
    PRE_AUTH_FRAME_BYTES,
    Frame,
    FrameError,
    Op,
    book_count_request,
    encode,
    initialization_info,
    password_hash,
    read_frame,
)
from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.guards.connections import peer_address
from bookorbit_desktop.guards.throttle import Admission
from bookorbit_desktop.library.store.devices import ListedBook
from bookorbit_desktop.log_text import for_log

log = logging.getLogger(__name__)

LIBRARY_NAME = "BookOrbit"
INBOX_FRAMES = 16
BOOK_EXTENSIONS = ["epub", "kepub", "pdf", "cbz", "fb2", "mobi", "azw3", "djvu", "txt"]


class SessionEnded(Exception):
    """The device went away, broke the protocol or did not answer in time."""


@dataclass
class Timing:
    handshake: float = 10.0  # for the answer to GET_INITIALIZATION_INFO
    reply: float = 60.0  # for any other answer (a device may be slow writing its lists), and
    # for a device to take what was written (1 MiB of a book: slower than 17 kB/s is gone)
    keepalive: float = 10.0  # idle NOOP interval, far inside KOReader's 5 minutes
    goodbye: float = 2.0  # how long a refused device may take to hang up


@dataclass
class DeviceInfo:
    name: str = ""
    store_uuid: str = ""
    address: str | None = None
    extensions: list[str] = field(default_factory=list)
    free_space: int | None = None
    device_id: int = 0


class Session:
    """Speaks to one connected device; `handshake()`, then `sync()`, then `idle()`."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        password: str,
        records: DeviceRecords,
        timing: Timing | None = None,
        admit: Callable[[str], Admission] = lambda _address: Admission.CHECK,
        checked: Callable[[str, bool], None] = lambda _address, _ok: None,
        note: Callable[[str, str], None] | None = None,
    ) -> None:
        self.reader, self.writer = reader, writer
        self.password = password
        self._admit = admit  # asked before the password is checked ...
        self._report = checked  # ... and told how the check ended (a success costs nothing)
        # (address, line): a refusal's log line, within the server's budget for the address
        self._note = note or (lambda _address, line: log.info("%s", line))
        self.records = records
        self.timing = timing or Timing()
        self.info = DeviceInfo()
        self.info.address = peer_address(writer)
        self.listing: dict[str, ListedBook] = {}
        self.library_uuid = ""
        # Bounded: a peer that sends faster than the session reads waits on TCP, not in memory.
        self._inbox: asyncio.Queue[Frame | None] = asyncio.Queue(INBOX_FRAMES)
        self._ended = False
        self._broken: str | None = None  # why the peer's bytes stopped being frames
        self._frame_limit = PRE_AUTH_FRAME_BYTES  # until the device proved the password
        self._pump = asyncio.create_task(self._read_frames())

    async def _read_frames(self) -> None:
        try:
            while (frame := await read_frame(self.reader, lambda: self._frame_limit)) is not None:
                await self._inbox.put(frame)
        except (FrameError, OSError) as error:
            before = self._frame_limit < MAX_FRAME_BYTES
            self._broken = f"{error}{', before the password was checked' if before else ''}"
        finally:
            self._ended = True
            with contextlib.suppress(asyncio.QueueFull):
                self._inbox.put_nowait(None)  # a full queue: `_next` sees `_ended` once drained

    async def _next(self) -> Frame | None:
        if self._ended and self._inbox.empty():
            return None
        return await self._inbox.get()

    async def send(self, op: Op, args: dict[str, Any]) -> None:
        self.writer.write(encode(op, args))
        await self.flush()

    async def flush(self) -> None:
        """Wait until the device has taken what was written. One that stops reading for
        `timing.reply` seconds ends the session: it would otherwise hold the port for ever."""
        try:
            async with asyncio.timeout(self.timing.reply):
                await self.writer.drain()
        except TimeoutError:
            raise SessionEnded("the device stopped reading") from None
        except OSError as error:
            raise SessionEnded(f"the device went away ({error})") from None

    async def receive(self, timeout: float | None = None) -> Frame:
        try:
            async with asyncio.timeout(timeout or self.timing.reply):
                frame = await self._next()
        except TimeoutError:
            raise SessionEnded("the device did not answer in time") from None
        return self._checked(frame)

    def _checked(self, frame: Frame | None) -> Frame:
        if frame is None:
            raise SessionEnded(self._broken or "the device closed the connection")
        if frame.op == Op.NOOP and not frame.args:
            raise SessionEnded("the device disconnected")
        return frame

    async def call(self, op: Op, args: dict[str, Any], timeout: float | None = None) -> Frame:
        await self.send(op, args)
        return await self.receive(timeout)

    async def expect_ok(self, op: Op, args: dict[str, Any]) -> dict[str, Any]:
        frame = await self.call(op, args)
        if frame.op != Op.OK:
            raise SessionEnded(f"the device answered {op.name} with {frame.op.name}")
        return frame.args

    async def handshake(self) -> bool:
        """Steps 1-2: True when the device knows the password (the session may go on)."""
        self.library_uuid = await self.records.library_uuid()
        challenge = secrets.token_hex(16)
        args = initialization_info(challenge, LIBRARY_NAME, self.library_uuid, BOOK_EXTENSIONS)
        reply = await self.call(Op.GET_INITIALIZATION_INFO, args, self.timing.handshake)
        if reply.op != Op.OK:
            raise SessionEnded(f"the device answered the handshake with {reply.op.name}")
        admission = self._admit(self.info.address or "")
        if admission is Admission.ADDRESS_LIMIT:
            self._note(
                self.info.address or "",
                f"Device at {self.info.address} tries passwords too fast: refused",
            )
            await self.refuse()
            return False
        if admission in (Admission.BUSY, Admission.GUESSING):  # "busy", not "wrong password"
            self._note(
                self.info.address or "",
                f"Device at {self.info.address} told to come back later: too many wrong "
                "passwords from several addresses at once",
            )
            await self.busy()
            return False
        expected = password_hash(self.password, challenge)
        given = reply.args.get("passwordHash")
        # As bytes: compare_digest refuses text with non-ASCII letters (any device may send it)
        offered = given.lower().encode("utf-8", errors="replace") if isinstance(given, str) else b""
        right = hmac.compare_digest(offered, expected.encode())
        self._report(self.info.address or "", right)
        if not right:
            self._note(
                self.info.address or "", f"Device at {self.info.address} gave a wrong password"
            )
            await self.refuse()
            return False
        self._frame_limit = MAX_FRAME_BYTES
        if not reply.args.get("canSendOkToSendbook") or not reply.args.get("canStreamBooks"):
            raise SessionEnded("the device cannot receive books the way this server sends them")
        self.info.extensions = checks.extensions(reply.args.get("acceptedExtensions"))
        kind = checks.device_name(reply.args.get("deviceKind"), "")
        self.info.name = checks.device_name(reply.args.get("deviceName"), kind)
        await self._device_information()
        return True

    async def _device_information(self) -> None:
        answer = await self.expect_ok(Op.GET_DEVICE_INFORMATION, {})
        info = answer.get("device_info")
        info = info if isinstance(info, dict) else {}
        self.info.store_uuid = checks.store_uuid(info.get("device_store_uuid")) or str(uuid.uuid4())
        self.info.name = checks.device_name(info.get("device_name"), self.info.name or "KOReader")

    async def refuse(self) -> None:
        """Tell KOReader its password is wrong, and let it hang up first."""
        with contextlib.suppress(SessionEnded):
            await self.send(
                Op.DISPLAY_MESSAGE,
                {
                    "messageKind": MESSAGE_PASSWORD_ERROR,
                    "currentLibraryName": LIBRARY_NAME,
                    "currentLibraryUUID": self.library_uuid,
                },
            )
            await self.hear_goodbye()
        await self.close()

    async def busy(self, other_device: str = "") -> None:
        """Tell the device calibre is busy (as calibre does), and let it hang up first."""
        with contextlib.suppress(SessionEnded):
            await self.send(Op.CALIBRE_BUSY, {"otherDevice": other_device})
            await self.hear_goodbye()
        await self.close()

    async def hear_goodbye(self) -> None:
        """Let a refused device hang up first (it reconnects at once if we do), for at most
        `timing.goodbye` seconds whatever it keeps sending."""
        with contextlib.suppress(SessionEnded, TimeoutError):
            async with asyncio.timeout(self.timing.goodbye):
                while True:
                    await self.receive(self.timing.goodbye)

    async def sync(self) -> None:
        """Steps 3-5: tell the device who we are, then learn what it holds."""
        now = datetime.now(UTC).isoformat()
        driveinfo = {
            "device_store_uuid": self.info.store_uuid,
            "device_name": self.info.name,
            "location_code": "main",
            "last_library_uuid": self.library_uuid,
            "calibre_version": ".".join(map(str, CALIBRE_VERSION)),
            "date_last_connected": now,
            "prefix": "",
        }
        await self.expect_ok(Op.SET_CALIBRE_DEVICE_INFO, driveinfo)
        space = (await self.expect_ok(Op.FREE_SPACE, {})).get("free_space_on_device")
        self.info.free_space = checks.number(space, checks.MAX_BYTES)
        library = {"libraryName": LIBRARY_NAME, "libraryUuid": self.library_uuid}
        await self.expect_ok(Op.SET_LIBRARY_INFO, {**library, "fieldMetadata": {}, "otherInfo": {}})
        self.info.device_id = await self.records.connected(
            self.info.store_uuid, self.info.name, self.info.address, self.info.free_space
        )
        await self.read_book_list()

    async def read_book_list(self) -> None:
        answer = await self.expect_ok(Op.GET_BOOK_COUNT, book_count_request())
        count = checks.number(answer.get("count"), checks.MAX_BOOKS)
        if count is None:
            sent = answer.get("count")
            shown = for_log(sent) if isinstance(sent, int | float | str) else type(sent).__name__
            raise SessionEnded(f"the device sent no book count ({shown})")
        entries = [(await self.receive()).args for _ in range(count)]
        known = await self.records.known(self.info.device_id)
        books: dict[str, ListedBook] = {}
        unknown: list[int] = []
        for entry in entries:
            lpath, book_uuid = checks.lpath(entry.get("lpath")), checks.text(entry.get("uuid"))
            if lpath is None:
                continue
            modified = checks.text(entry.get("last_modified"))
            seen = known.get(lpath)
            if seen is not None and seen.uuid == book_uuid and seen.last_modified == modified:
                books[lpath] = seen
                continue
            books[lpath] = ListedBook(lpath, book_uuid, modified)
            pri_key = checks.number(entry.get("priKey"), checks.MAX_BOOKS)
            if pri_key is not None:
                unknown.append(pri_key)
        if len(books) < len(entries):
            self._note(
                self.info.address or "",
                f"Device {for_log(self.info.name)} listed {len(entries) - len(books)} books "
                "with a path that is not safe or twice: left out",
            )
        if unknown:
            await self.send(Op.NOOP, {"count": len(unknown)})
            for pri_key in unknown:
                await self.send(Op.NOOP, {"priKey": pri_key})
            for _ in unknown:
                self._add_details(books, (await self.receive()).args)
        self.listing = books
        await self.records.listing(self.info.device_id, list(books.values()))

    @staticmethod
    def _add_details(books: dict[str, ListedBook], meta: dict[str, Any]) -> None:
        lpath = checks.lpath(meta.get("lpath"))
        if lpath is None or lpath not in books:
            return
        listed = books[lpath]
        title, names = checks.text(meta.get("title")), checks.authors(meta.get("authors"))
        books[lpath] = ListedBook(lpath, listed.uuid, listed.last_modified, title, names)

    async def keepalive(self) -> None:
        await self.expect_ok(Op.NOOP, {})

    async def next_unsolicited(self) -> Frame:
        """Wait, without a limit, for the device to speak on its own: its goodbye (or the
        connection's end) raises SessionEnded; anything else is returned to be ignored."""
        return self._checked(await self._next())

    async def delete(self, lpaths: list[str]) -> None:
        await self.expect_ok(Op.DELETE_BOOK, {"lpaths": lpaths})
        for _ in lpaths:
            await self.receive()
        for lpath in lpaths:
            self.listing.pop(lpath, None)
        await self.records.deleted(self.info.device_id, lpaths)

    async def eject(self) -> None:
        with contextlib.suppress(SessionEnded):
            await self.expect_ok(Op.NOOP, {"ejecting": True})
        await self.close()

    async def close(self) -> None:
        self._pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):  # its reason is `_broken`
            await self._pump
        if self.writer.transport.get_write_buffer_size():
            self.writer.transport.abort()  # a device that stopped reading never takes the rest
        else:
            self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()
