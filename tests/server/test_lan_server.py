"""Starting and stopping the server on the running loop, and a clear error for a busy port."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.app import LanServer, PortInUseError, ServerStartError

pytestmark = pytest.mark.asyncio


async def test_start_serves_and_stop_frees_the_port(library):
    server = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", 0)
    await server.start()
    assert server.running and server.port > 0
    await server.start()  # starting twice is harmless
    url = f"http://127.0.0.1:{server.port}/kosync/healthcheck"
    async with aiohttp.ClientSession() as session, session.get(url) as reply:
        assert (reply.status, await reply.json()) == (200, {"state": "OK"})
    port = server.port
    await server.stop()
    await server.stop()
    assert not server.running
    again = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", port)
    await again.start()  # the port really was released
    await again.stop()


async def test_a_housekeeping_task_that_failed_does_not_stop_the_stop(library, caplog):
    server = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", 0)
    await server.start()

    async def failed() -> None:
        raise RuntimeError("no running event loop")  # as a task stepped while the loop stops

    if server._trimmer is not None:  # only on an allocator it can trim
        server._trimmer.cancel()
    server._trimmer = asyncio.create_task(failed())
    await asyncio.sleep(0)
    port = server.port
    await server.stop()
    assert not server.running
    assert "had ended with an error: RuntimeError" in caplog.text
    again = LanServer(ServerContext(library, opds_enabled=False), "127.0.0.1", port)
    await again.start()  # the port was released all the same
    await again.stop()


async def test_a_busy_port_is_a_clear_error(library):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = LanServer(ServerContext(library), "127.0.0.1", port)
        with pytest.raises(PortInUseError) as raised:
            await server.start()
    error = raised.value
    assert isinstance(error, BookOrbitError)
    assert f"Port {port} is already in use" in error.message
    assert "--port" in error.message and error.title == "Port already in use"
    assert not server.running


async def test_an_address_of_another_computer_is_a_clear_error(library):
    server = LanServer(ServerContext(library), "192.0.2.123", 0)  # TEST-NET: never local here
    with pytest.raises(ServerStartError, match="does not belong to this computer"):
        await server.start()
