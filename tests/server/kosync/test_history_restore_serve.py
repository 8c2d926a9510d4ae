"""Position history, the jump-back guard and Restore against a real `bookorbit-desktop serve`:
KOReader's PUT and GET over 127.0.0.1, the command line in another process on the same
library. The guard keeps a jump back out of the book's progress but the pull serves it as the
protocol says (last write wins); a restore reaches the next pull with a timestamp newer than
the jumped device's page turn, so KOReader offers it; undo and redo reach the pull too."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time

import aiohttp
import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE, RESTORE_ID
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from bookorbit_desktop.server.accounts import set_account
from bookorbit_desktop.server.kosync.routes import RESET_POLL_SECONDS
from tests.factories import add_book, make_epub
from tests.server.kosync.support import KEY, KOREADER_HEADERS, USER, kosync_fixture  # noqa: F401
from tests.server.kosync.test_reset_from_the_command_line import cli
from tests.server.serve_process import start_serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")

DOC = "59d481d168cca6267322f150c5f6a2a3"
HEADERS = {**KOREADER_HEADERS, "x-auth-user": USER, "x-auth-key": KEY}
PHONE = ("Phone", "PHONE-1")
KOBO = ("Kobo Clara", "KOBO-1")


async def test_history_guard_and_restore_against_a_real_server(tmp_path):
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

            async def push(percentage: float, device: tuple[str, str]) -> dict:
                body = {
                    "document": DOC,
                    "progress": f"/body/DocFragment[{int(percentage * 40) + 1}]/body/p[2]",
                    "percentage": percentage,
                    "device": device[0],
                    "device_id": device[1],
                }
                async with session.put(url, json=body, headers=HEADERS) as response:
                    assert response.status == 200
                    assert response.headers["Content-Type"] == "application/json"
                    return await response.json(content_type="application/json")

            async def pull() -> dict:
                async with session.get(f"{url}/{DOC}", headers=HEADERS) as response:
                    assert response.status == 200
                    return await response.json(content_type="application/json")

            async def pulled(percentage: float) -> dict:
                """The pull once the server has looked at the library (RESET_POLL_SECONDS)."""
                deadline = time.monotonic() + 2 * RESET_POLL_SECONDS + 5
                answer = await pull()
                while answer["percentage"] != percentage and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                    answer = await pull()
                return answer

            await push(0.30, PHONE)
            await push(0.63, PHONE)
            jumped = await push(0.02, KOBO)  # a fresh open at the start
            # Served as the protocol says: the last write wins, KOReader's rules decide.
            assert await pull() == {
                "document": DOC,
                "percentage": 0.02,
                "progress": "/body/DocFragment[1]/body/p[2]",
                "device": KOBO[0],
                "device_id": KOBO[1],
                "timestamp": jumped["timestamp"],
            }
            code, out = await cli(data_dir, "progress", "history", str(book.id), "--json")
            assert code == 0, out
            rows = json.loads(out)
            assert [(r["percentage"], r["device"], r["jumped_back_from"]) for r in rows] == [
                (0.02, KOBO[0], 0.63),
                (0.63, PHONE[0], None),
                (0.30, PHONE[0], None),
            ]
            assert progress_of(paths, book.id) == 0.63  # kept: Hardcover is not lowered

            code, out = await cli(
                data_dir, "progress", "restore", str(book.id), str(rows[1]["event_id"])
            )
            assert code == 0, out
            restored = await pulled(0.63)
            assert restored == {
                "document": DOC,
                "percentage": 0.63,
                "progress": "/body/DocFragment[26]/body/p[2]",
                "device": RESET_DEVICE,
                "device_id": RESTORE_ID,
                "timestamp": restored["timestamp"],
            }
            # KOReader compares this with its last page turn: newer, so the Kobo is offered it.
            assert restored["timestamp"] >= jumped["timestamp"]

            code, out = await cli(data_dir, "undo")
            assert code == 0, out
            undone = await pulled(0.02)
            assert (undone["percentage"], undone["timestamp"]) == (0.02, jumped["timestamp"])
            # the Kobo's own place again, under its own id: KOReader asks it nothing of it
            assert (undone["device"], undone["device_id"]) == KOBO
            code, out = await cli(data_dir, "redo")
            assert code == 0, out
            assert await pulled(0.63) == restored

            await push(0.64, KOBO)  # the Kobo took it and read on
            assert (await pull())["device"] == KOBO[0]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert progress_of(paths, book.id) == 0.64


def progress_of(paths, book_id: int) -> float:
    """The book's progress, read by a connection of the test's own."""
    open_database(paths.db_file)
    try:
        return ReadingState.get_by_id(book_id).progress
    finally:
        close_database()


async def test_a_jump_back_tells_the_window_and_is_quiet_in_the_log(kosync, tmp_path, caplog):
    """The window is told (it shows the jump back), the log gets no line per such push."""
    book = add_book("Leaves of Grass", file=make_epub(tmp_path / "leaves.epub"))
    document = book.aliases[0].document
    caplog.set_level("INFO", logger="bookorbit_desktop.server.kosync.routes")
    assert (await kosync.push(document, 0.63, device="Phone", device_id="P1")).status == 200
    kosync.hook_calls.clear()
    caplog.clear()
    assert (await kosync.push(document, 0.02)).status == 200
    await asyncio.sleep(0)  # the hook runs after the answer
    assert kosync.hook_calls == [book.id]
    assert [r for r in caplog.records if r.name.endswith("kosync.routes")] == []
    assert (await kosync.pull(document)).json["percentage"] == 0.02
    assert ReadingState.get_by_id(book.id).progress == 0.63
