"""What the library knows about e-readers: the send queue and the books on each device.

Books wait in one queue (`device_queue`) for the next device that connects; a book sent is
recorded on that device (`device_book`, with the library book's id) and leaves the queue in
the same transaction. Each connection replaces the device's list with what the device itself
reported, so the list never claims a book the user deleted on the device. A library book's
uuid on a device is derived from the library's own uuid and the book id: stable, never stored
twice, and recognisable when another copy of the library sent it. Nothing here registers a
KOReader document: a sent file has the library's bytes, so its digest is the library's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.store.channel_tables import Device, DeviceBook, DeviceQueue
from bookorbit_desktop.library.store.models import Book, BookFile, database
from bookorbit_desktop.library.store.settings import get_private, set_setting
from bookorbit_desktop.library.store.typed import tuples

LIBRARY_UUID_KEY = "devices.library_uuid"
PREFERRED_FORMATS = ("epub", "kepub", "azw3", "mobi", "fb2", "pdf", "cbz", "djvu", "txt")


@dataclass(frozen=True)
class SendItem:
    """A queued book ready to go: the file to read and the metadata the device keeps."""

    book_id: int
    uuid: str
    path: Path
    format: str
    size: int
    mtime: float
    title: str
    authors: tuple[str, ...]
    series: str | None
    series_index: float | None


@dataclass(frozen=True)
class ListedBook:
    """One book as the device listed it."""

    lpath: str
    uuid: str | None
    last_modified: str | None
    title: str | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeviceSummary:
    id: int
    store_uuid: str
    name: str
    address: str | None
    free_space: int | None
    last_seen: float
    books: tuple[DeviceBookRow, ...]


@dataclass(frozen=True)
class DeviceBookRow:
    lpath: str
    uuid: str | None
    title: str | None
    authors: tuple[str, ...]
    book_id: int | None


def library_uuid() -> str:
    """This library's uuid (calibre's `currentLibraryUUID`), created on first use."""
    value = get_private(LIBRARY_UUID_KEY)
    if isinstance(value, str) and value:
        return value
    value = str(uuid.uuid4())
    set_setting(LIBRARY_UUID_KEY, value)
    return value


def book_uuid(library: str, book_id: int) -> str:
    return str(uuid.uuid5(uuid.UUID(library), f"book:{book_id}"))


def _book_ids_by_uuid(library: str) -> dict[str, int]:
    return {book_uuid(library, row.id): row.id for row in Book.select(Book.id)}


def queue_books(book_ids: Sequence[int], now: float) -> list[int]:
    """Queue books for the next device; the ids newly queued. Unknown ids: NotFoundError."""
    wanted = list(dict.fromkeys(book_ids))
    found = {row.id for row in Book.select(Book.id).where(Book.id.in_(wanted))}
    missing = [book_id for book_id in wanted if book_id not in found]
    if missing:
        raise NotFoundError(
            f"There is no book with id {', '.join(map(str, missing))}; nothing was queued. "
            "List the library's books to see the ids."
        )
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        queued = {row.book_id for row in DeviceQueue.select().where(DeviceQueue.book.in_(wanted))}
        added = [book_id for book_id in wanted if book_id not in queued]
        for offset, book_id in enumerate(added):
            DeviceQueue.create(book=book_id, queued_at=now + offset * 1e-6)
    return added


def unqueue_books(book_ids: Iterable[int] | None = None) -> int:
    """Take books (all of them when None) out of the queue; how many left it."""
    query = DeviceQueue.delete()
    if book_ids is not None:
        query = query.where(DeviceQueue.book.in_(list(book_ids)))
    return int(query.execute())


def queued_book_ids() -> list[int]:
    return [book_id for book_id, _title in queued_titles()]


def queued_titles() -> list[tuple[int, str]]:
    """The queue in order, as (book id, title)."""
    query = (
        DeviceQueue.select(DeviceQueue.book, Book.title).join(Book).order_by(DeviceQueue.queued_at)
    )
    return [(int(book_id), str(title)) for book_id, title in tuples(query)]


def _best_file(book_id: int, formats: frozenset[str] | None) -> BookFile | None:
    files = [
        f
        for f in BookFile.select().where(BookFile.book == book_id, ~BookFile.missing)
        if formats is None or f.format in formats
    ]

    def rank(f: BookFile) -> int:
        return PREFERRED_FORMATS.index(f.format) if f.format in PREFERRED_FORMATS else 99

    files.sort(key=rank)
    return files[0] if files else None


def queued_items(formats: Iterable[str] | None = None) -> tuple[list[SendItem], list[int]]:
    """The queue as files to send (a format the device takes), and the ids that have none."""
    allowed = None if formats is None else frozenset(f.lower() for f in formats)
    library = library_uuid()
    items: list[SendItem] = []
    unsendable: list[int] = []
    for book_id in queued_book_ids():
        book = Book.get_by_id(book_id)
        chosen = _best_file(book_id, allowed)
        if chosen is None:
            unsendable.append(book_id)
            continue
        items.append(
            SendItem(
                book_id=book_id,
                uuid=book_uuid(library, book_id),
                path=Path(chosen.path),
                format=chosen.format,
                size=chosen.size,
                mtime=chosen.mtime,
                title=book.title,
                authors=tuple(book.author_names()),
                series=book.series,
                series_index=book.series_index,
            )
        )
    return items, unsendable


def record_connection(
    store_uuid: str, name: str, address: str | None, free_space: int | None, now: float
) -> int:
    """Create or update the device named by its uuid; its id."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        device = Device.get_or_none(Device.store_uuid == store_uuid)
        if device is None:
            device = Device.create(
                store_uuid=store_uuid,
                name=name,
                address=address,
                free_space=free_space,
                last_seen=now,
            )
        else:
            device.name, device.address, device.last_seen = name, address, now
            device.free_space = free_space
            device.save()
    return int(device.id)


def known_listing(device_id: int) -> dict[str, ListedBook]:
    """What the library last heard of the device's books, by lpath."""
    rows = DeviceBook.select().where(DeviceBook.device == device_id)
    return {
        row.lpath: ListedBook(
            row.lpath, row.uuid, row.last_modified, row.title, tuple(row.authors or ())
        )
        for row in rows
    }


def replace_listing(device_id: int, listed: Sequence[ListedBook]) -> None:
    """The device's books are exactly `listed` now; library books are recognised by uuid. A
    file still listed under the uuid it had keeps the book it was linked to: a book merged
    into another (`library.merge`) goes on naming the book it became."""
    by_uuid = _book_ids_by_uuid(library_uuid())
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        rows = list(DeviceBook.select().where(DeviceBook.device == device_id))
        sent = {row.lpath: row.sent_at for row in rows}
        linked = {(row.lpath, row.uuid): row.book_id for row in rows}
        DeviceBook.delete().where(DeviceBook.device == device_id).execute()
        for book in listed:
            DeviceBook.create(
                device=device_id,
                lpath=book.lpath,
                uuid=book.uuid,
                title=book.title,
                authors=list(book.authors),
                last_modified=book.last_modified,
                book=by_uuid.get(book.uuid or "") or linked.get((book.lpath, book.uuid)),
                sent_at=sent.get(book.lpath),
            )


def record_sent(device_id: int, item: SendItem, lpath: str, last_modified: str, now: float) -> None:
    """The book is on the device under `lpath` and leaves the queue (one transaction)."""
    with database.atomic():
        DeviceBook.delete().where(
            DeviceBook.device == device_id, DeviceBook.lpath == lpath
        ).execute()
        DeviceBook.create(
            device=device_id,
            lpath=lpath,
            uuid=item.uuid,
            title=item.title,
            authors=list(item.authors),
            last_modified=last_modified,
            book=item.book_id,
            sent_at=now,
        )
        DeviceQueue.delete().where(DeviceQueue.book == item.book_id).execute()


def record_deleted(device_id: int, lpaths: Iterable[str]) -> None:
    DeviceBook.delete().where(
        DeviceBook.device == device_id, DeviceBook.lpath.in_(list(lpaths))
    ).execute()


def device_id_for(store_uuid: str) -> int:
    device = Device.get_or_none(Device.store_uuid == store_uuid)
    if device is None:
        raise NotFoundError(f"No device with the id {store_uuid} has connected yet.")
    return int(device.id)


def list_devices() -> list[DeviceSummary]:
    """Every device with its books (by lpath), the one seen last first."""
    summaries = []
    for device in Device.select().order_by(Device.last_seen.desc()):
        rows = DeviceBook.select().where(DeviceBook.device == device.id).order_by(DeviceBook.lpath)
        books = tuple(
            DeviceBookRow(r.lpath, r.uuid, r.title, tuple(r.authors or ()), r.book_id) for r in rows
        )
        summaries.append(
            DeviceSummary(
                device.id,
                device.store_uuid,
                device.name,
                device.address,
                device.free_space,
                device.last_seen,
                books,
            )
        )
    return summaries


def devices_holding(book_id: int) -> list[str]:
    """The names of the devices that have this library book."""
    query = (
        Device.select(Device.name)
        .join(DeviceBook)
        .where(DeviceBook.book == book_id)
        .distinct()
        .order_by(Device.name)
    )
    return [row.name for row in query]
