"""The LAN server as the window runs it: real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.server import DesktopServer


async def healthcheck(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /kosync/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = await reader.read()
    writer.close()
    return data


async def test_starts_with_the_saved_settings_and_lists_its_urls(library):
    set_setting("server.host", "0.0.0.0")
    set_setting("server.port", 0)
    server = DesktopServer(library, addresses=lambda host: ["192.168.1.20", "10.0.0.5"])
    info = await server.start()
    try:
        assert info.running and info.opds_enabled
        assert info.base_urls == (
            f"http://192.168.1.20:{info.port}",
            f"http://10.0.0.5:{info.port}",
        )
        assert (await healthcheck(info.port)).startswith(b"HTTP/1.1 200")
        assert await server.start() is info  # already running: nothing changes
    finally:
        await server.stop()
    assert not server.info.running


async def test_a_taken_port_is_reported_not_raised(library):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", port)
        info = await DesktopServer(library).start()
    assert not info.running
    assert info.problem_title == "Port already in use"
    assert f"Port {port} is already in use" in info.problem
    assert "choose another port in Settings" in info.problem


async def test_restart_applies_new_settings(library):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    server = DesktopServer(library)
    await server.start()
    set_setting("server.opds_enabled", False)
    second = await server.restart()
    try:
        assert second.running and not second.opds_enabled
        assert second.base_urls == (f"http://127.0.0.1:{second.port}",)
        assert (await healthcheck(second.port)).startswith(b"HTTP/1.1 200")
    finally:
        await server.stop()


async def test_https_port_setting_serves_https_and_gives_the_fingerprint(library):
    import ssl

    from bookorbit_desktop.server.tls import ensure_certificate, tls_folder

    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    set_setting("server.https_port", 0)
    server = DesktopServer(library, addresses=lambda host: ["127.0.0.1"])
    info = await server.start()
    try:
        assert info.running and info.https_port not in (None, 0, info.port)
        assert info.https_urls == (f"https://127.0.0.1:{info.https_port}",)
        expected = ensure_certificate(tls_folder(library.data_dir)).fingerprint
        assert info.certificate_fingerprint == expected
        client = ssl.create_default_context()
        client.check_hostname, client.verify_mode = False, ssl.CERT_NONE
        reader, writer = await asyncio.open_connection("127.0.0.1", info.https_port, ssl=client)
        writer.write(b"GET /kosync/healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert (await reader.read()).startswith(b"HTTP/1.1 200")
        writer.close()
    finally:
        await server.stop()


async def test_without_the_https_setting_no_fingerprint_is_shown(library):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    server = DesktopServer(library)
    info = await server.start()
    try:
        assert (info.https_port, info.https_urls, info.certificate_fingerprint) == (None, (), None)
    finally:
        await server.stop()
