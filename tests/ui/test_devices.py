"""The Devices page and "Send to device" in the real window, with a KOReader-like device."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.library.store.devices import (
    DeviceBookRow,
    DeviceSummary,
    queued_book_ids,
)
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.devices.service import DeviceList, DeviceState
from bookorbit_desktop.ui.asyncqt import running_tasks, signal_future
from bookorbit_desktop.ui.devices.on_device import OnDeviceLabel, on_devices_text
from bookorbit_desktop.ui.devices.page import DevicesPage
from tests.devices.koreader_client import KoreaderDevice
from tests.factories import add_book, make_epub
from tests.ui.assembled import local_desktop
from tests.ui.test_main_window import show_all

PASSWORD = "kobo-pass"


@pytest.fixture
def desktop(library, qtbot, qloop):
    desktop = local_desktop(library, devices=True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_the_page_shows_the_address_to_type_and_who_is_connected(qtbot):
    page = DevicesPage()
    qtbot.addWidget(page)
    assert "Off" in page.status_label.text() and not page.wireless.isChecked()
    page.show_state(
        DeviceState(enabled=True, running=True, port=9090, addresses=("192.168.1.20:9090",))
    )
    assert "192.168.1.20:9090" in page.address_label.text()
    assert "Waiting for KOReader on port 9090" in page.status_label.text()
    assert not page.eject_button.isEnabled()
    page.show_state(
        DeviceState(
            enabled=True,
            running=True,
            port=9090,
            device="Kobo",
            device_uuid="u",
            sending="1 of 2: X",
        )
    )
    assert page.status_label.text() == "Connected: Kobo. Sending 1 of 2: X"
    assert page.eject_button.isEnabled()
    page.show_devices(DeviceList([], [3], ["Dune"]))
    assert page.queue_label.text() == "Waiting for the next device: Dune"


HOSTILE = '<img src="file:///etc/passwd"><b>Evil</b> & <a href="x">click</a>'


def test_text_a_device_sends_is_shown_as_plain_text(qtbot):
    """A device names itself, and lists its books' titles and paths: none of it is drawn as
    HTML (Qt's automatic format would draw `<img src=…>` as an image)."""
    page = DevicesPage()
    qtbot.addWidget(page)
    state = DeviceState(
        enabled=True,
        running=True,
        port=9090,
        addresses=("192.168.1.20:9090",),
        device=HOSTILE,
        device_uuid="u",
        sending=f"1 of 2: {HOSTILE}",
    )
    page.show_state(state)
    for label in (page.status_label, page.address_label, page.queue_label):
        assert label.textFormat() == Qt.TextFormat.PlainText, label
    assert page.status_label.text() == f"Connected: {HOSTILE}. Sending 1 of 2: {HOSTILE}"
    page.show_state(DeviceState(enabled=True, running=True, problems=(f"{HOSTILE}: refused",)))
    assert page.status_label.text() == f"{HOSTILE}: refused"
    book = DeviceBookRow(f"{HOSTILE}.epub", "b", HOSTILE, (HOSTILE,), None)
    device = DeviceSummary(1, "u", HOSTILE, "127.0.0.1", None, 0.0, (book,))
    page.show_devices(DeviceList([device], [3], [HOSTILE]))
    assert page.queue_label.text() == f"Waiting for the next device: {HOSTILE}"
    top = page.tree.topLevelItem(0)
    child = top.child(0)
    assert (top.text(0), child.text(0), child.text(1)) == (HOSTILE, HOSTILE, f"{HOSTILE}.epub")
    for item in (top, child):
        for column in range(page.tree.columnCount()):
            assert item.toolTip(column) in ("", item.text(column))


def test_the_book_panel_names_devices_as_plain_text(qtbot):
    label = OnDeviceLabel(lambda _book_id: [HOSTILE])
    qtbot.addWidget(label)
    label.show_book(1)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == f"On {HOSTILE}"


def run(qloop, coro, timeout=10.0):
    return qloop.run_until_complete(asyncio.wait_for(coro, timeout))


async def until(condition, timeout=10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_send_to_device_queues_when_off_and_sends_when_connected(desktop, qloop, tmp_path):
    show_all(desktop, start_hidden=False)
    path = make_epub(tmp_path / "dune.epub", "Dune", ("Frank Herbert",))
    dune = add_book("Dune", ("Frank Herbert",), file=path)
    desktop.controller.refresh()
    window, controller = desktop.window, desktop.devices
    assert window.library_view.select_book(dune.id)
    controller.send_action.trigger()
    assert queued_book_ids() == [dune.id]
    assert "switch on the wireless connection" in window.statusBar().currentMessage()

    controller._password_chosen(PASSWORD)
    controller.page.wireless.setChecked(True)  # saves the switch and starts the server
    run(qloop, until(lambda: controller.devices.state().running))
    state = controller.devices.state()
    assert state.addresses == (f"127.0.0.1:{state.port}",)
    assert f"127.0.0.1:{state.port}" in controller.page.address_label.text()

    device = KoreaderDevice(tmp_path / "inbox", password=PASSWORD)
    (tmp_path / "inbox").mkdir()
    run(qloop, device.connect("127.0.0.1", state.port))
    run(qloop, until(lambda: device.received_books))
    assert (device.inbox / device.received_books[0]).read_bytes() == path.read_bytes()
    run(qloop, until(lambda: queued_book_ids() == []))
    tree = controller.page.tree  # the device is listed at once, its books once recorded
    run(qloop, until(lambda: tree.topLevelItemCount() == 1 and tree.topLevelItem(0).childCount()))
    top = controller.page.tree.topLevelItem(0)
    assert top.text(0) == "KOReader (Kobo_test)" and top.child(0).text(2) == "Yes"
    # The book panel (showing Dune, the selected book) names the device that holds it.
    label = window.book_panel.findChild(OnDeviceLabel)
    assert label is controller.on_device and window.book_panel.book_id == dune.id
    assert label.text() == "On KOReader (Kobo_test)" and label.isVisibleTo(window.book_panel)

    controller.page.tree.setCurrentItem(top.child(0))
    assert controller.page.delete_button.isEnabled()
    controller.page.delete_button.click()
    run(qloop, until(lambda: controller.page.tree.topLevelItem(0).childCount() == 0))
    assert not (device.inbox / device.received_books[0]).exists()
    assert not label.isVisibleTo(window.book_panel)  # on no device any more
    run(qloop, device.disconnect())


def test_the_password_set_and_the_switch_turned_on_at_once_start_one_server(desktop, qloop):
    """Both ask for a restart before either has begun: one server starts, with both, and the
    page never shows one that is about to be replaced."""
    show_all(desktop, start_hidden=False)
    controller = desktop.devices
    controller._password_chosen(PASSWORD)
    controller.page.wireless.setChecked(True)
    run(qloop, until(lambda: controller.devices.state().running))
    first, shown = controller.devices.server, controller.page.address_label.text()
    run(qloop, until(lambda: not running_tasks()))  # every restart asked for has run
    assert controller.devices.server is first and controller.devices.state().running
    assert controller.page.address_label.text() == shown


def test_send_to_device_queues_every_selected_book(desktop, qtbot):
    show_all(desktop, start_hidden=False)
    dune = add_book("Dune", ("Frank Herbert",))
    emma = add_book("Emma", ("Jane Austen",))
    piranesi = add_book("Piranesi", ("Susanna Clarke",))
    desktop.controller.refresh()
    window, view = desktop.window, desktop.window.library_view
    for book_id, modifier in (
        (dune.id, Qt.KeyboardModifier.NoModifier),
        (emma.id, Qt.KeyboardModifier.ControlModifier),
    ):
        rect = view.table.visualRect(view.model.index(view.model.row_of(book_id), 0))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    assert window.book_panel.title_label.text() == "Emma"  # the panel shows the current book
    desktop.devices.send_action.trigger()
    assert sorted(queued_book_ids()) == sorted([dune.id, emma.id])
    assert window.statusBar().currentMessage().startswith("2 books queued")
    # In the cover grid, the book picked there is the one sent.
    desktop.devices.page.unqueue_button.click()
    view.show_grid(True)
    view.grid.setCurrentIndex(view.model.index(view.model.row_of(piranesi.id), 0))
    assert window.book_panel.title_label.text() == "Piranesi"
    assert desktop.devices.send_action in view.grid.actions()  # in its context menu too
    desktop.devices.send_action.trigger()
    assert queued_book_ids() == [piranesi.id]


@pytest.mark.parametrize(
    ("names", "text"),
    [
        ([], ""),
        (["Kobo Libra 2"], "On Kobo Libra 2"),
        (["Kobo", "PocketBook"], "On Kobo and PocketBook"),
        (["A", "B", "C"], "On A, B and C"),
    ],
)
def test_on_devices_text(names, text):
    assert on_devices_text(names) == text


async def open_settings(desktop):
    opened = signal_future(desktop.controller.settings_opened)
    task = desktop.controller.open_settings()
    (dialog,) = await opened
    return dialog, task


def test_the_device_password_is_set_in_settings_and_never_shown_again(desktop, qloop, tmp_path):
    set_setting("devices.wireless", True)
    show_all(desktop, start_hidden=False)
    controller = desktop.devices
    dialog, task = run(qloop, open_settings(desktop))
    box = dialog.device_password
    assert box is not None and box.isAncestorOf(box.password_edit)
    run(qloop, until(lambda: box.state_label.text().startswith("No password yet")))
    box.password_edit.setText("   ")  # rejected with a reason; the dialog stays open
    dialog.accept()
    assert dialog.isVisible() and "password is empty" in dialog.error_label.text()
    assert not controller.devices.has_password()
    box.password_edit.setText(PASSWORD)
    dialog.accept()
    run(qloop, task)
    assert controller.devices.has_password()
    # The connection started again with the new password: KOReader connects with it.
    run(qloop, until(lambda: controller.devices.state().running))
    device = KoreaderDevice(tmp_path / "inbox", password=PASSWORD)
    (tmp_path / "inbox").mkdir()
    run(qloop, device.connect("127.0.0.1", controller.devices.state().port))
    run(qloop, until(lambda: controller.devices.state().device is not None))
    run(qloop, device.disconnect())

    dialog, task = run(qloop, open_settings(desktop))  # saved: said, never shown
    box = dialog.device_password
    run(qloop, until(lambda: box.state_label.text().startswith("A password is saved")))
    assert box.password_edit.text() == "" and box.password_edit.placeholderText() == "unchanged"
    dialog.accept()  # left empty: the saved password stays
    run(qloop, task)
    assert controller.devices.passwords.load() == PASSWORD
