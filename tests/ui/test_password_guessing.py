"""The window says when someone guesses the KOReader password from many addresses.

Real parts: the app's own pieces (`Desktop.build`), its LAN server on 127.0.0.1, KOReader's
login over HTTP, and a guesser connecting from other loopback addresses (127.x.y.z, which only
Linux routes to the loopback interface).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import sys
import time
from dataclasses import replace

import pytest

from bookorbit_desktop.app import Desktop
from bookorbit_desktop.guards.login_rules import EVERYONE
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services import settings as settings_service
from bookorbit_desktop.ui.single_instance import SingleInstance
from bookorbit_desktop.ui.status import GUESSING_TIP

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses 127.x.y.z source addresses")

PASSWORD = "secret words"


@pytest.fixture
def desktop(library, qtbot, qloop):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", port)
    settings = settings_service.load_settings()
    settings_service.save_settings(replace(settings, username="reader"), PASSWORD)
    desktop = Desktop(library, SingleInstance(library.data_dir), started=time.monotonic())
    desktop.build()
    desktop.show(start_hidden=False)
    qloop.run_until_complete(desktop.fill())
    desktop.controller.apply_server_info(qloop.run_until_complete(desktop.server.start()))
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


async def login(port: int, password: str, source: str = "127.0.0.1") -> int:
    key = hashlib.md5(password.encode()).hexdigest()
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    writer.write(
        f"GET /kosync/users/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-user: reader\r\n"
        f"x-auth-key: {key}\r\nConnection: close\r\n\r\n".encode()
    )
    answer = await reader.read()
    writer.close()
    return int(answer.split()[1])


def test_the_status_bar_says_someone_is_guessing_from_how_many_addresses(desktop, qloop, qtbot):
    port = desktop.server.info.port
    label = desktop.window.server_label
    assert qloop.run_until_complete(login(port, PASSWORD)) == 200  # the e-reader, before
    assert "guessing" not in label.text()
    addresses = [f"127.0.{1 + n}.{1 + n}" for n in range(EVERYONE.failures + 10)]  # a /24 each

    async def guess() -> list[int]:
        statuses = []
        for n, source in enumerate(addresses):
            statuses.append(await login(port, f"guess {n}", source))
            await asyncio.sleep(0.15)  # within the checks a second all addresses share
        return statuses

    statuses = qloop.run_until_complete(guess())
    said = f"KOReader sync server: someone is guessing the password from {len(addresses)} addresses"
    qtbot.waitUntil(lambda: label.text() == said, timeout=5000)  # the count is read each second
    assert label.toolTip() == GUESSING_TIP
    assert set(statuses) == {401}
    assert qloop.run_until_complete(login(port, PASSWORD)) == 200  # the e-reader still gets in
    qloop.run_until_complete(desktop.server.stop())  # a stopped server: nobody is guessing
    qtbot.waitUntil(lambda: "guessing" not in label.text(), timeout=5000)
