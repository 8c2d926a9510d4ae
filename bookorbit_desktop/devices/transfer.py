"""Sending queued books to a connected device, byte for byte.

Each book goes as SEND_BOOK (lpath, length, slim metadata, its place in the batch); the bytes
follow only after the device's OK. An ERROR (no space) stops the batch and the rest stay
queued. The file is read in a worker thread in `CHUNK_BYTES` pieces and written as the socket
drains, so a large book never holds up the event loop (or the window on it). A book that
vanished from disk stays queued with a reason; a device that leaves mid-book leaves that book
queued too: it is recorded as sent only once the device answered a NOOP sent after its last
byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from bookorbit_desktop.devices import checks
from bookorbit_desktop.devices.lpath import make_lpath
from bookorbit_desktop.devices.metadata import slim_metadata, timestamp
from bookorbit_desktop.devices.protocol import Op
from bookorbit_desktop.devices.session import Session, SessionEnded
from bookorbit_desktop.library.store.devices import ListedBook, SendItem
from bookorbit_desktop.log_text import for_log

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Progress:
    """Where a batch stands: book `done` of `total`, and the title being sent."""

    done: int
    total: int
    title: str


@dataclass
class BatchResult:
    sent: list[int] = field(default_factory=list)  # library book ids
    problems: list[str] = field(default_factory=list)  # one line per book left in the queue


def choose_lpath(item: SendItem, taken: dict[str, str | None]) -> str:
    """The book's safe path; a suffix when another book already has that path on the device."""
    lpath = make_lpath(item.title, item.authors, item.format)
    owner = taken.get(lpath, item.uuid)
    if owner == item.uuid:
        return lpath
    return make_lpath(item.title, item.authors, item.format, suffix=f" ({item.book_id})")


async def send_queue(
    session: Session, on_progress: Callable[[Progress], None] | None = None
) -> BatchResult:
    """Send every queued book the device can read; what went and what stayed queued."""
    items, unsendable = await session.records.queued(session.info.extensions)
    result = BatchResult()
    result.problems += [
        f"Book {book_id}: no file in a format the device reads" for book_id in unsendable
    ]
    for index, item in enumerate(items):
        if on_progress is not None:
            on_progress(Progress(index, len(items), item.title))
        try:
            handle = await asyncio.to_thread(open, item.path, "rb")
        except OSError as error:
            result.problems.append(f"{item.title}: the file cannot be read ({error.strerror})")
            continue
        try:
            sent = await _send_one(session, item, handle, index, len(items), result)
        finally:
            await asyncio.to_thread(handle.close)
        if not sent:
            break
        result.sent.append(item.book_id)
    if on_progress is not None:
        on_progress(Progress(len(items), len(items), ""))
    return result


async def _send_one(
    session: Session, item: SendItem, handle: BinaryIO, index: int, total: int, result: BatchResult
) -> bool:
    """One book; False when the device refused it (the batch stops)."""
    stat = os.fstat(handle.fileno())
    length, modified = stat.st_size, timestamp(stat.st_mtime)
    taken = {lpath: book.uuid for lpath, book in session.listing.items()}
    lpath = choose_lpath(item, taken)
    reply = await session.call(
        Op.SEND_BOOK,
        {
            "lpath": lpath,
            "length": length,
            "metadata": slim_metadata(item, lpath, length, modified),
            "thisBook": index,
            "totalBooks": total,
            "willStreamBooks": True,
            "willStreamBinary": True,
            "wantsSendOkToSendbook": True,
            "canSupportLpathChanges": True,
        },
    )
    if reply.op == Op.ERROR:
        message = checks.text(reply.args.get("message"))  # shown in the window
        result.problems.append(f"{item.title}: the device refused it ({message or 'no space'})")
        return False
    if reply.op != Op.OK:
        raise SessionEnded(f"the device answered SEND_BOOK with {reply.op.name}")
    await _stream(session, handle, length)
    # The protocol has no receipt for a book; a NOOP answered after the last byte is one (the
    # device reads in order), so a device that left mid-book never counts the book as sent.
    await session.keepalive()
    await session.records.sent(session.info.device_id, item, lpath, modified)
    session.listing[lpath] = ListedBook(lpath, item.uuid, modified, item.title, item.authors)
    log.info("Sent book %d to %s as %s", item.book_id, for_log(session.info.name), for_log(lpath))
    return True


async def _stream(session: Session, handle: BinaryIO, length: int) -> None:
    """Exactly `length` bytes; a file that shrank meanwhile ends the session (the device
    would read the next frame as book bytes otherwise). The next piece is read while the
    last one drains, so the disk and the network work at the same time."""
    left = length
    writer = session.writer
    reading = asyncio.ensure_future(asyncio.to_thread(handle.read, min(CHUNK_BYTES, left)))
    try:
        while left > 0:
            chunk = await reading
            if not chunk:
                await session.close()
                raise SessionEnded("the book's file changed while it was being sent")
            left -= len(chunk)
            if left > 0:
                reading = asyncio.ensure_future(
                    asyncio.to_thread(handle.read, min(CHUNK_BYTES, left))
                )
            writer.write(chunk)
            await session.flush()
    finally:
        if not reading.done():
            with contextlib.suppress(Exception):
                await reading  # the read ends before the caller closes the file
