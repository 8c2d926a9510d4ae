"""The pairing secret can stop being required from the window, after a question saying that
KOReader then needs none; Cancel keeps it (the whole window at 1366x768, a real server on
127.0.0.1 answering KOReader's post)."""

from __future__ import annotations

import asyncio
import http.client
import json
import socket

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.highlights.receiver_box import NO_SECRET_HINT, SECRET_HINT
from tests.ui.highlights.test_reachable import _in_sight, _open_page
from tests.ui.test_main_window import desktop  # noqa: F401 (fixture)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(port: int) -> int:
    body = {"title": "Dune", "author": "", "entries": [{"text": "t", "note": "", "time": 1}]}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Content-Type": "application/json", "Host": f"127.0.0.1:{port}"}
        connection.request("POST", "/send", json.dumps(body).encode(), headers)
        return connection.getresponse().status
    finally:
        connection.close()


async def _answer(receiver, qtbot, press: str) -> QMessageBox:
    opened = signal_future(receiver.question_opened)
    receiver.stop_button.setFocus()
    qtbot.keyClick(receiver.stop_button, Qt.Key.Key_Space)
    (box,) = await opened
    if press == "cancel":
        box.button(QMessageBox.StandardButton.Cancel).click()
    else:
        next(b for b in box.buttons() if b.text() == "St&op Requiring").click()
    await receiver.task
    return box


def test_stop_requiring_the_secret_from_the_window(desktop, qloop, qtbot):  # noqa: F811
    set_setting("highlights.receiver", True)
    set_setting("highlights.port", _free_port())
    set_setting("highlights.secret", "a" * 24)
    window, page = _open_page(desktop, qloop)
    receiver = page.receiver
    assert receiver is not None
    qloop.run_until_complete(desktop.controller.restart_server())
    receiver.refresh()
    port = desktop.server.info.highlights_port
    assert port is not None and qloop.run_until_complete(asyncio.to_thread(_post, port)) == 403
    assert _in_sight(window, receiver.stop_button)
    assert receiver.stop_button.accessibleName() == "Stop requiring a pairing secret"

    box = qloop.run_until_complete(_answer(receiver, qtbot, "cancel"))
    assert "KOReader then needs no secret" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert get_setting("highlights.secret") == "a" * 24

    qloop.run_until_complete(_answer(receiver, qtbot, "stop"))
    assert get_setting("highlights.secret") is None
    assert receiver.secret_hint.text() == NO_SECRET_HINT != SECRET_HINT
    assert not receiver.stop_button.isVisible() and not receiver.secret_field.isVisible()
    assert receiver.status.text().startswith("Receiving on port")
    port = desktop.server.info.highlights_port
    assert port is not None and qloop.run_until_complete(asyncio.to_thread(_post, port)) == 200
