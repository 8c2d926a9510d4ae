"""The Devices page's "Send my Want to Read books" in the real window with a KOReader-like
device: the Want to Read books the device lacks go to it, and the status bar says so."""

from __future__ import annotations

import asyncio

import pytest

from bookorbit_desktop.library.store import devices as store
from tests.devices.koreader_client import KoreaderDevice
from tests.devices.test_want_to_read import _listed, _shelved
from tests.ui.assembled import local_desktop
from tests.ui.test_main_window import show_all

PASSWORD = "kobo-pass"


@pytest.fixture
def desktop(library, qtbot, qloop):
    desktop = local_desktop(library, devices=True)
    show_all(desktop, start_hidden=False)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


async def until(done, seconds: float = 10) -> None:
    async def polled() -> None:
        while not done():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(polled(), seconds)


def wait_for(qloop, done, seconds: float = 10) -> None:
    qloop.run_until_complete(until(done, seconds))


def test_the_button_sends_the_want_to_read_books_the_device_lacks(desktop, qloop, tmp_path):
    books = _shelved(tmp_path)
    controller = desktop.devices
    page = controller.page
    desktop.window.tabs.setCurrentWidget(page)
    controller._password_chosen(PASSWORD)
    page.wireless.setChecked(True)
    wait_for(qloop, lambda: controller.devices.state().running)
    (tmp_path / "inbox").mkdir()
    device = KoreaderDevice(
        tmp_path / "inbox", password=PASSWORD, books=[_listed(books["Anathem"], "Anathem")]
    )

    async def connected() -> None:
        # In one turn of the loop: qasync handles the Qt events left when a turn ends outside
        # the loop, where the desktop's side of a connection accepted then could not start.
        await device.connect("127.0.0.1", controller.devices.state().port)
        await until(lambda: [b.title for d in store.list_devices() for b in d.books] == ["Anathem"])

    qloop.run_until_complete(connected())
    assert page.want_button.isEnabled() and page.want_button.text() == "Send my &Want to Read books"
    page.want_button.click()
    wait_for(qloop, lambda: len(device.received_books) == 2)
    assert sorted(device.received_books) == [
        "Some Author/Blindsight.epub",
        "Some Author/Excession.epub",
    ]
    message = desktop.window.statusBar().currentMessage()
    assert message == "Queued 2 Want to Read books not on KOReader (Kobo_test)."
    qloop.run_until_complete(device.disconnect())
