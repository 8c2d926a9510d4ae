"""Your shelves on KOReader (Devices menu) in the real window: each saved search, tag and series
with the catalog address the running server answers at, Copy, a QR code of it, and Send to
device sending the shelf's books to a KOReader-like device over the wireless connection."""

from __future__ import annotations

import time

import aiohttp
import pytest
import segno
from PySide6.QtGui import QGuiApplication

from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.devices import queued_book_ids
from bookorbit_desktop.library.tags.store import set_book_tags
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.services.library.saved_searches import save_search
from bookorbit_desktop.ui.devices.shelf_addresses import (
    CATALOG_OFF,
    NOTHING_TO_SEND,
    ShelfAddressesDialog,
)
from tests.devices.koreader_client import KoreaderDevice
from tests.factories import add_book, make_epub
from tests.server.opds.support import AUTH_HEADERS, PASSWORD, USER
from tests.ui.assembled import local_desktop
from tests.ui.devices.test_send_want_to_read import until, wait_for

DEVICE_PASSWORD = "kobo-pass"


@pytest.fixture
def desktop(library, qtbot, qloop):
    desktop = local_desktop(library, devices=True, shown=True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def _books(folder) -> dict[str, int]:
    books = {}
    for title, tags, series in (
        ("Anathem", ["beach"], None),
        ("Excession", ["beach", "space"], "Culture"),
        ("Dhalgren", [], None),
    ):
        file = make_epub(folder / f"{title}.epub", title)
        book = add_book(title, ["Some Author"], file=file, series=series)
        set_book_tags(book.id, tags, time.time())
        books[title] = book.id
    save_search("Beach reads", "tags:beach")
    return books


def _open(desktop) -> ShelfAddressesDialog:
    desktop.devices.shelves_action.trigger()
    dialogs = desktop.window.findChildren(ShelfAddressesDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    return dialogs[0]


def _titles(dialog: ShelfAddressesDialog) -> list[str]:
    return [dialog.list.item(row).text() for row in range(dialog.list.count())]


def test_each_shelf_shows_the_address_the_catalog_answers_at(desktop, qloop, tmp_path):
    _books(tmp_path)
    set_account(USER, key_for_password(PASSWORD))
    desktop.hub.update(base_urls=(), opds_enabled=True)  # no server yet: no address
    dialog = _open(desktop)
    assert _titles(dialog) == ["Beach reads", "Tag: beach", "Tag: space", "Series: Culture"]
    assert dialog.address.text() == "" and not dialog.copy_button.isEnabled()
    assert dialog.message.text() == CATALOG_OFF and dialog.qr.pixmap().isNull()
    dialog.close()

    info = qloop.run_until_complete(desktop.server.start())
    desktop.controller.apply_server_info(info)
    dialog = _open(desktop)
    address = f"{info.base_urls[0]}/opds/shelves/search?name=Beach%20reads"
    assert dialog.address.text() == address and not dialog.message.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == address
    # The code holds the address: a QR code of it, four pixels a module, a quiet zone of four.
    size = segno.make(address, error="m", micro=False).symbol_size(scale=4, border=4)
    assert (dialog.qr.pixmap().width(), dialog.qr.pixmap().height()) == size
    dialog.list.setCurrentRow(3)
    assert dialog.address.text() == f"{info.base_urls[0]}/opds/shelves/series?name=Culture"

    async def fetched(url: str) -> str:
        async with aiohttp.ClientSession(headers=AUTH_HEADERS) as session, session.get(url) as got:
            assert got.status == 200
            return await got.text()

    feed = qloop.run_until_complete(fetched(address))
    assert "Anathem" in feed and "Excession" in feed and "Dhalgren" not in feed
    desktop.hub.update(opds_enabled=False)  # the catalog switched off: no address to give
    dialog.reload()
    assert dialog.address.text() == "" and dialog.message.text() == CATALOG_OFF


def test_send_to_device_sends_the_books_of_a_saved_search(desktop, qloop, tmp_path):
    books = _books(tmp_path)
    dialog = _open(desktop)
    dialog.send_button.click()  # the wireless connection is off: they wait
    assert sorted(queued_book_ids()) == sorted([books["Anathem"], books["Excession"]])
    assert dialog.message.text().startswith("2 books queued: switch on the wireless")
    desktop.devices.page.unqueue_button.click()
    inbox.hold([books["Anathem"], books["Excession"]])  # waiting for approval: none to send
    dialog.send_button.click()
    assert dialog.message.text() == f"Beach reads: {NOTHING_TO_SEND}" and not queued_book_ids()
    inbox.approve([books["Anathem"], books["Excession"]])

    controller = desktop.devices
    controller._password_chosen(DEVICE_PASSWORD)
    controller.page.wireless.setChecked(True)
    wait_for(qloop, lambda: controller.devices.state().running)
    (tmp_path / "inbox").mkdir()
    device = KoreaderDevice(tmp_path / "inbox", password=DEVICE_PASSWORD)

    async def connected() -> None:
        await device.connect("127.0.0.1", controller.devices.state().port)
        await until(lambda: controller.devices.state().device is not None)

    qloop.run_until_complete(connected())
    dialog.list.setCurrentRow(2)  # Tag: space

    async def sent() -> None:  # clicked while the loop runs, as in the window
        dialog.send_button.click()
        await until(lambda: len(device.received_books) == 1)

    qloop.run_until_complete(sent())
    assert device.received_books == ["Some Author/Excession.epub"]
    assert dialog.message.text() == "Sending 1 book to KOReader (Kobo_test)."
    assert desktop.window.statusBar().currentMessage() == dialog.message.text()
    qloop.run_until_complete(device.disconnect())


def test_the_dialog_opens_wide_enough_and_with_no_shelf_says_how_to_make_one(library, qtbot):
    """A typical address shows whole; with no shelf there is nothing to paste or send, and the
    dialog says how a shelf is made."""
    from bookorbit_desktop.ui.devices.shelf_addresses import NO_SHELVES, TYPICAL_ADDRESS

    dialog = ShelfAddressesDialog(lambda: "http://192.168.178.120:8765", lambda _ids: "")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message.text() == NO_SHELVES and dialog.message.isVisible()
    hidden = (dialog.how_to, dialog.list, dialog.address, dialog.copy_button, dialog.send_button)
    assert not any(part.isVisible() for part in hidden)
    save_search("Science Fiction", "tags:sf")
    dialog.reload()
    assert all(part.isVisible() for part in hidden) and not dialog.message.isVisible()
    typical = dialog.address.fontMetrics().horizontalAdvance(TYPICAL_ADDRESS)
    assert dialog.address.width() >= typical  # the whole address is in view
