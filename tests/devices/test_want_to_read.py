""" "Send my Want to Read books": the library books on the Hardcover Want to Read shelf that the
connected device did not list are queued and sent; what it has, what is not on the shelf and
what waits in the Inbox stay home."""

from __future__ import annotations

from bookorbit_desktop.cli import main
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull import store as pulled
from bookorbit_desktop.library.store import devices as store
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.services.devices import service as devices
from tests.devices.test_session import connect, until
from tests.factories import add_book, make_epub

WANT, READING = 1, 2


def _shelved(tmp_path) -> dict[str, int]:
    """Books linked to Hardcover books 1… with their statuses there, pulled."""
    books, rows = {}, []
    for hc_id, title, status in (
        (1, "Anathem", WANT),  # already on the device
        (2, "Blindsight", WANT),
        (3, "Cryptonomicon", READING),  # not on Want to Read
        (4, "Dhalgren", WANT),  # waits in the Inbox
        (5, "Excession", WANT),
    ):
        path = make_epub(tmp_path / "lib" / f"{hc_id}.epub", title)
        book = add_book(title, ("Some Author",), file=path)
        pin(book.id, hc_id, edition_id=None, edition_pages=None, reason="picked")
        rows.append(pulled.PulledRow(100 + hc_id, hc_id, {"status_id": status}, None, title=title))
        books[title] = book.id
    pulled.save_page(rows, 1, {})
    inbox.hold([books["Dhalgren"]])
    return books


def _listed(book_id: int, title: str) -> dict:
    return {
        "uuid": store.book_uuid(store.library_uuid(), book_id),
        "lpath": f"Some Author/{title}.epub",
        "last_modified": "2026-01-01T00:00:00+00:00",
        "title": title,
        "authors": ["Some Author"],
    }


async def test_want_to_read_books_the_device_lacks_are_sent(device_server, tmp_path):
    books = _shelved(tmp_path)
    device = await connect(
        device_server, tmp_path, store_uuid="dev-1", books=[_listed(books["Anathem"], "Anathem")]
    )
    await until(lambda: device_server.status.device is not None)
    await until(lambda: [b.title for d in store.list_devices() for b in d.books] == ["Anathem"])
    result = devices.queue_want_to_read(device_server.status.device_uuid)
    assert sorted(result.queued) == sorted([books["Blindsight"], books["Excession"]])
    assert result.device == "KOReader (Kobo_test)" and "Queued 2 Want to Read books" in (
        result.message
    )
    assert device_server.send_queued()
    await until(lambda: len(device.received_books) == 2)
    assert sorted(device.received_books) == [
        "Some Author/Blindsight.epub",
        "Some Author/Excession.epub",
    ]
    await until(lambda: store.queued_book_ids() == [])
    # Asked again: everything is there.
    again = devices.queue_want_to_read(device_server.status.device_uuid)
    assert again.queued == [] and "Every Want to Read book" in again.message
    await device.disconnect()


async def test_the_command_line_compares_with_the_device_seen_last(device_server, tmp_path, capsys):
    books = _shelved(tmp_path)
    assert main(["devices", "send", "--want-to-read"]) == 0
    assert "Queued 3 Want to Read books (no device has connected yet)" in capsys.readouterr().out
    assert store.unqueue_books() == 3
    device = await connect(
        device_server, tmp_path, store_uuid="dev-1", books=[_listed(books["Anathem"], "Anathem")]
    )
    await until(lambda: [b.title for d in store.list_devices() for b in d.books] == ["Anathem"])
    await device.disconnect()
    await until(lambda: device_server.status.device is None)
    assert main(["device", "send", "--want-to-read"]) == 0
    out = capsys.readouterr().out
    assert "Queued 2 Want to Read books not on KOReader (Kobo_test)." in out
    assert sorted(store.queued_book_ids()) == sorted([books["Blindsight"], books["Excession"]])
