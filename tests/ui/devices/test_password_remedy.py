"""A device connection that cannot start for want of a password says so as a typed remedy:
the Devices page turns it into its own words (press Set password), never a command, while
the server's message itself names no front end (real device service and keyring file, the
page's real widgets offscreen)."""

from __future__ import annotations

from bookorbit_desktop.errors import SET_DEVICE_PASSWORD
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.devices.service import DeviceService
from bookorbit_desktop.ui.devices.page import NEEDS_PASSWORD, DevicesPage
from tests.fakes.file_keyring import FileKeyring


def test_the_page_asks_for_the_password_from_the_errors_remedy(qtbot, qloop, library, tmp_path):
    set_setting("devices.calibre_port", 0)
    set_setting("devices.discovery", False)
    service = DeviceService(library, backend=FileKeyring(tmp_path / "keyring.json"))
    state = qloop.run_until_complete(service.start("127.0.0.1", force=True))
    assert not state.running and state.remedy == SET_DEVICE_PASSWORD
    (problem,) = state.problems
    assert "bookorbit-desktop" not in problem and "`" not in problem
    page = DevicesPage()
    qtbot.addWidget(page)
    page.show_state(state)  # the page alone: no controller told it a password is missing
    assert page.status_label.text() == NEEDS_PASSWORD
    assert "Press Set password" in page.status_label.text()
    assert "bookorbit-desktop" not in page.status_label.text()
