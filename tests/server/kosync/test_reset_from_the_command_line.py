"""A reset made by `bookorbit-desktop progress reset` reaches the pulls of a running
`bookorbit-desktop serve`: two real processes on one library, KOReader's requests over
127.0.0.1. The server learns of the reset from the library (the reset's own progress event),
as it learns of one made in the window: nothing tells it directly."""

from __future__ import annotations

import asyncio
import signal
import sys
import time

import aiohttp
import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE, RESET_ID
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias
from bookorbit_desktop.server.accounts import set_account
from bookorbit_desktop.server.kosync.routes import RESET_POLL_SECONDS
from tests.factories import add_book
from tests.server.kosync.support import KEY, KOREADER_HEADERS, USER
from tests.server.serve_process import start_serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")

DOC = "59d481d168cca6267322f150c5f6a2a3"
HEADERS = {**KOREADER_HEADERS, "x-auth-user": USER, "x-auth-key": KEY}


async def cli(data_dir, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


@pytest.mark.parametrize("device", [None, "KOBO-1"])
async def test_a_reset_from_the_command_line_reaches_the_next_pull(tmp_path, device):
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    set_account(USER, KEY)
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document=DOC, kind=ALIAS_CONTENT, book=book, created_at=time.time())
    close_database()
    process, port = start_serve(data_dir)
    url = f"http://127.0.0.1:{port}/syncs/progress"
    try:
        async with aiohttp.ClientSession() as session:

            async def push(percentage: float, name: str, device_id: str) -> None:
                body = {
                    "document": DOC,
                    "progress": f"/body/DocFragment[20]/body/p[{int(percentage * 100)}]",
                    "percentage": percentage,
                    "device": name,
                    "device_id": device_id,
                }
                async with session.put(url, json=body, headers=HEADERS) as response:
                    assert response.status == 200

            async def pull() -> dict:
                async with session.get(f"{url}/{DOC}", headers=HEADERS) as response:
                    assert response.status == 200
                    return await response.json(content_type="application/json")

            await push(0.31, "Kobo", "KOBO-1")
            await push(0.62, "Phone", "PHONE-1")  # synced after the Kobo
            assert (await pull())["percentage"] == 0.62  # answered from the server's memory
            code, out = await cli(
                data_dir,
                "progress", "reset", str(book.id), "--yes",
                *(["--device", device] if device else []),
            )  # fmt: skip
            assert code == 0, out
            assert "the next sync offers the start" in out
            if device is not None:  # the phone reads the same copy: it goes back too, and is told
                assert "Phone [PHONE-1] reads the same copy of the book" in out
            # The server looks at the library for resets every RESET_POLL_SECONDS.
            deadline = time.monotonic() + 2 * RESET_POLL_SECONDS + 5
            answer = await pull()
            while answer["percentage"] != 0.0 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
                answer = await pull()
            assert answer == {
                "document": DOC,
                "percentage": 0.0,
                "progress": "/body/DocFragment[1]",
                "device": RESET_DEVICE,
                "device_id": RESET_ID if device is None else f"{RESET_ID}:{device}",
                "timestamp": answer["timestamp"],
            }
            await asyncio.sleep(RESET_POLL_SECONDS + 0.5)
            assert (await pull()) == answer  # and stays so until a device reads on
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
