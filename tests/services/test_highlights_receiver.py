"""The window's server also runs the highlights receiver when the user switched it on."""

from __future__ import annotations

import asyncio
import socket

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.server import DesktopServer
from tests.factories import add_book
from tests.server.highlights.test_guard_and_payload import KOREADER_BODY
from tests.server.highlights.test_receiver import post


async def test_off_until_switched_on(library):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    server = DesktopServer(library)
    info = await server.start()
    try:
        assert info.running and info.highlights_port is None
    finally:
        await server.stop()


async def test_switched_on_it_receives_and_tells_the_window(library):
    add_book("Dune", ["Frank Herbert"])
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    set_setting("highlights.receiver", True)
    set_setting("highlights.port", 0)
    lines: list[str] = []
    server = DesktopServer(library, on_highlights=lines.append)
    info = await server.start()
    try:
        assert info.highlights_port
        status, body = await asyncio.to_thread(post, info.highlights_port, KOREADER_BODY)
        assert (status, body) == (200, {"code": 200, "message": "Received"})
        assert lines and lines[0].startswith("2 highlights for 'Dune' from 127.0.0.1 (2 new")
    finally:
        await server.stop()


async def test_a_taken_highlights_port_is_reported_and_the_server_still_runs(library):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", 0)
        set_setting("highlights.receiver", True)
        set_setting("highlights.port", taken.getsockname()[1])
        server = DesktopServer(library)
        info = await server.start()
        try:
            assert info.running and info.highlights_port is None
            assert "calibre's content server" in (info.highlights_problem or "")
        finally:
            await server.stop()
