"""The Devices page from the window alone: the wireless connection switched on and off with its
state shown, a missing password asked for (never a command to type), and library books named
without their database ids."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QWidget

from bookorbit_desktop.library.store.devices import DeviceBookRow, DeviceSummary
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.devices.service import DeviceList, DeviceState
from bookorbit_desktop.ui.devices.page import NEEDS_PASSWORD, DevicesPage
from tests.ui.assembled import local_desktop
from tests.ui.test_main_window import show_all


@pytest.fixture
def desktop(library, qtbot, qloop):
    desktop = local_desktop(library, devices=True)
    desktop.window.resize(1366, 768)
    show_all(desktop, start_hidden=False)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def wait_for(qloop, done, seconds: float = 10) -> None:
    async def until() -> None:
        while not done():
            await asyncio.sleep(0.02)

    qloop.run_until_complete(asyncio.wait_for(until(), seconds))


def user_texts(page: QWidget) -> str:
    return " ".join(label.text() for label in (page.status_label, page.address_label))


def click_switch(page: DevicesPage) -> None:
    """A click on the check box's box (the stretched widget is wider than what a click hits)."""
    QTest.mouseClick(
        page.wireless, Qt.MouseButton.LeftButton, pos=QPoint(8, page.wireless.height() // 2)
    )


def password_dialogs(desktop) -> list[QInputDialog]:
    return [d for d in desktop.window.findChildren(QInputDialog) if d.isVisible()]


def test_the_connection_is_switched_on_and_off_on_the_page_and_asks_for_its_password(
    desktop, qloop
):
    page = desktop.devices.page
    desktop.window.tabs.setCurrentWidget(page)
    assert not page.wireless.isChecked() and page.status_label.text().startswith("Off.")

    click_switch(page)  # on, but no password yet
    wait_for(qloop, lambda: page.status_label.text() == NEEDS_PASSWORD)
    assert page.wireless.isChecked() and "bookorbit-desktop" not in user_texts(page)
    (dialog,) = password_dialogs(desktop)

    dialog.setTextValue("kobo-pass")
    dialog.accept()
    wait_for(qloop, lambda: "Waiting for KOReader on port" in page.status_label.text())
    port = desktop.devices.devices.state().port
    assert port > 0 and f"port {port}" in page.status_label.text()

    click_switch(page)  # off again
    wait_for(qloop, lambda: page.status_label.text().startswith("Off."))
    assert not page.wireless.isChecked() and desktop.devices.devices.server is None


def test_switched_on_at_start_without_a_password_the_page_says_what_to_press(desktop, qloop):
    set_setting("devices.wireless", True)
    qloop.run_until_complete(desktop.devices.start())
    page = desktop.devices.page
    assert page.wireless.isChecked() and page.status_label.text() == NEEDS_PASSWORD
    QTest.mouseClick(page.password_button, Qt.MouseButton.LeftButton)
    assert len(password_dialogs(desktop)) == 1


def test_a_library_book_on_a_device_is_marked_without_its_id(qtbot):
    page = DevicesPage()
    qtbot.addWidget(page)
    page.show_state(DeviceState(enabled=True, running=True, port=9090, device_uuid="u"))
    ours = DeviceBookRow("Dune.epub", "b1", "Dune", ("Frank Herbert",), 417)
    theirs = DeviceBookRow("Emma.epub", "b2", "Emma", ("Jane Austen",), None)
    device = DeviceSummary(1, "u", "Kobo Libra 2", None, None, 0.0, (ours, theirs))
    page.show_devices(DeviceList([device]))
    top = page.tree.topLevelItem(0)
    rows = [[top.child(i).text(c) for c in range(3)] for i in range(top.childCount())]
    assert rows == [["Dune", "Dune.epub", "Yes"], ["Emma", "Emma.epub", "No"]]
    assert "417" in top.child(0).toolTip(2) and top.child(1).toolTip(2) == ""
