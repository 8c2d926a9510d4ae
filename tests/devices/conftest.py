"""A device server on loopback over a real library, and a helper to connect test devices."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.server import DeviceServer
from bookorbit_desktop.devices.session import Timing

PASSWORD = "s3cret ünïcode"


@pytest.fixture
async def device_server(library) -> AsyncIterator[DeviceServer]:
    server = DeviceServer(
        PASSWORD,
        DeviceRecords(),
        "127.0.0.1",
        0,
        discovery=False,
        timing=Timing(handshake=5.0, reply=10.0, keepalive=30.0, goodbye=0.5),
    )
    await server.start()
    yield server
    await server.stop()
