"""A whole session from LuaJIT + LuaSocket (KOReader's runtime), when they are installed.

The Lua device splits frames as KOReader does, on Lua byte strings, so a byte count that is
off by one anywhere (a non-ASCII title) shows up as a broken session here.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from asyncio.subprocess import PIPE
from pathlib import Path

import pytest

from bookorbit_desktop.library.store import devices as store
from tests.devices.conftest import PASSWORD
from tests.factories import add_book, make_epub

SCRIPT = Path(__file__).with_name("koreader_session.lua")


def _missing() -> str | None:
    if shutil.which("luajit") is None:
        return "luajit is not installed (Debian package luajit; `make test` installs it as root)"
    probe = subprocess.run(
        ["luajit", "-e", "require('socket'); require('bit')"], capture_output=True
    )
    if probe.returncode != 0:
        return "LuaSocket is not installed (Debian package lua-socket)"
    return None


async def _session(port: int, password: str, inbox: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        "luajit", str(SCRIPT), str(port), password, str(inbox), stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, out.decode(), err.decode()


async def test_a_lua_device_receives_a_non_ascii_book(device_server, tmp_path):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    title = "Ünïcödé — Ελληνικά 日本語"
    path = make_epub(tmp_path / "lib" / "u.epub", title, ("Zoë Ålund",))
    book = add_book(title, ("Zoë Ålund",), file=path)
    store.queue_books([book.id], now=1.0)
    code, out, err = await _session(device_server.status.port, PASSWORD, tmp_path)
    assert code == 0, err
    assert out.strip() == f"Zoë Ålund/{title}.epub"
    assert (tmp_path / "book.bin").read_bytes() == path.read_bytes()
    for _ in range(500):  # recorded once the server has read the device's answer
        if not store.queued_book_ids():
            break
        await asyncio.sleep(0.01)
    assert store.queued_book_ids() == []


async def test_a_lua_device_with_a_wrong_password_is_told(device_server, tmp_path):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    code, _, err = await _session(device_server.status.port, "not it", tmp_path)
    assert code == 3 and "wrong password" in err
