"""Real processes: `serve` killed with SIGKILL in the middle of a sync and started again, and
the `book` command changing a book while `serve` is pushing it."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import HardcoverMatch, SyncOutbox
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ServerConfig, ThreadedFakeHardcover
from tests.server.serve_process import start_serve

BOOKS = 5  # the worker publishes up to five new books by itself
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def setup(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    books, hc_books = [], []
    for n in range(BOOKS):
        hc_book = catalog.add_book(f"Book {n}", authors=["Ann Author"], users_count=3)
        edition = catalog.add_edition(hc_book, pages=200, reading_format_id=EBOOK)
        book = add_book(f"Book {n}", ["Ann Author"])
        pin(book.id, hc_book, edition_id=edition, edition_pages=200, reason="pick")
        update_reading_state(book.id, status="reading", started="2026-03-01", progress=0.5)
        books.append(book.id)
        hc_books.append(hc_book)
    # Everything was queued long ago: due at once.
    SyncOutbox.update(kinds={"status": 0.0, "progress": 0.0}).execute()
    set_setting(FIRST_SYNC_KEY, 0.0)  # the user synced by hand before: pushes go by themselves
    close_database()
    with fake_for_children(catalog, keyring_file, monkeypatch, response_delay=0.15) as fake:
        yield {"fake": fake, "catalog": catalog, "user": user, "data_dir": data_dir,
               "paths": paths, "books": books, "hc_books": hc_books}  # fmt: skip


@contextlib.contextmanager
def fake_for_children(
    catalog: Catalog, keyring_file: Path, monkeypatch: pytest.MonkeyPatch, *, response_delay: float
) -> Iterator[ThreadedFakeHardcover]:
    """The fake Hardcover on its own thread, and the environment a child BookOrbit process
    needs to reach it with the test keyring."""
    config = ServerConfig(rate_limits=False, response_delay=response_delay)
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock(), config=config)) as fake:
        for key, value in {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
            "BOOKORBIT_HARDCOVER_URL": fake.url,
            # the test keyring backend lives in tests/: the child process must find it
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }.items():
            monkeypatch.setenv(key, value)
        yield fake


def mutations(fake: FakeHardcover) -> int:
    return sum(1 for r in fake.requests if r.operation_type == "mutation" and r.status == 200)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def entries(setup) -> dict[int, int]:
    """Hardcover book id -> how many entries the user has for it."""
    counts: dict[int, int] = {}
    for row in setup["catalog"].tables["user_books"].values():
        counts[row["book_id"]] = counts.get(row["book_id"], 0) + 1
    return counts


def all_synced(setup) -> bool:
    """Read-only look at the library the server is writing (no migration check, no lock)."""
    uri = f"file:{setup['paths'].db_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
        done = db.execute(
            "SELECT COUNT(*) FROM hardcover_sync WHERE confirmed_at IS NOT NULL"
        ).fetchone()[0]
        queued = db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0]
    return done == BOOKS and queued == 0


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_sigkill_in_the_middle_of_a_sync_loses_and_duplicates_nothing(setup):
    fake = setup["fake"]
    process, _port = start_serve(setup["data_dir"])
    try:
        assert wait_for(lambda: mutations(fake) >= 3, 30), process.stderr
        process.kill()  # SIGKILL: no clean-up of any kind
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    assert not all_synced(setup)  # killed part-way
    process, _port = start_serve(setup["data_dir"])
    try:
        assert wait_for(lambda: all_synced(setup), 60)
    finally:
        stop(process)
    counts = entries(setup)
    assert sorted(counts) == sorted(setup["hc_books"])
    assert set(counts.values()) == {1}  # never a second entry
    catalog = setup["catalog"]
    for row in catalog.tables["user_books"].values():
        reads = catalog.reads_of(row["id"])
        assert len(reads) == 1 and reads[0]["progress_pages"] == 100
    open_database(setup["paths"].db_file)
    try:
        assert all(m.created_by_us for m in HardcoverMatch.select())
    finally:
        close_database()


def test_the_book_command_changes_a_book_while_serve_pushes_it(setup):
    fake = setup["fake"]
    target = setup["books"][-1]
    process, _port = start_serve(setup["data_dir"])
    try:
        assert wait_for(lambda: mutations(fake) >= 2, 30)
        script = Path(sys.executable).with_name("bookorbit-desktop")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
        edit = subprocess.run(
            [
                *command,
                "--data-dir",
                str(setup["data_dir"]),
                "book",
                str(target),
                "--rating",
                "4.5",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ.copy(),
        )
        assert edit.returncode == 0, edit.stderr
        open_database(setup["paths"].db_file)
        try:  # the rating waits its 30 s turn: make it due now
            SyncOutbox.update(kinds={"rating": 0.0}).where(SyncOutbox.book == target).execute()
        finally:
            close_database()
        hc_book = setup["hc_books"][-1]

        def rated() -> bool:
            entry = setup["catalog"].user_book_for(setup["user"], hc_book)
            return entry is not None and entry["rating"] == 4.5

        assert wait_for(rated, 60)
        assert wait_for(lambda: all_synced(setup), 60)
    finally:
        stop(process)
    assert set(entries(setup).values()) == {1}
