"""The server starts while another program holds the library's write lock (an import writing,
a database browser): the start-up adoption of waiting documents is left for later, and the
server answers; nothing waits on the lock."""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.server import workers
from bookorbit_desktop.server.accounts import set_account
from tests.server.kosync.support import KEY, USER, start_kosync


async def test_the_server_starts_and_answers_while_another_program_writes(
    library, monkeypatch, caplog
):
    set_account(USER, KEY)
    monkeypatch.setattr(workers, "LOCK_WAIT_SECONDS", 0.05)  # its busy timeout, for speed
    blocker = sqlite3.connect(library.db_file, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        kosync = await start_kosync(library)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    try:
        async with kosync.session.get(f"{kosync.base}/healthcheck") as reply:
            assert (reply.status, await reply.json()) == (200, {"state": "OK"})
        assert (await kosync.push("after-the-lock", 0.4)).status == 200
    finally:
        await kosync.session.close()
        await kosync.server.stop()
    assert "Documents pushed before their book was added are linked later" in caplog.text
