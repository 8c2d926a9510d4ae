"""The profile-safety rules against a real `serve` process and the command line in another
process: copies of one book, an idle worker, Sync Now while `serve` pushes, and Cancel."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.matching.store import exclude, pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import HardcoverMatch, SyncOutbox
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ServerConfig, ThreadedFakeHardcover
from tests.hardcover.sync.test_processes import stop, wait_for
from tests.server.serve_process import start_serve

REPO = Path(__file__).resolve().parents[3]


class Setup:
    def __init__(self, tmp_path: Path) -> None:
        self.catalog = Catalog()
        self.user = self.catalog.add_user("reader")
        self.token = self.catalog.add_token(self.user)
        self.data_dir = tmp_path / "data"
        self.keyring_file = tmp_path / "keyring.json"
        self.keyring_file.write_text(
            json.dumps({f"bookorbit-desktop/{library_account(self.data_dir)}": self.token})
        )
        self.paths = resolve_paths(self.data_dir)
        self.paths.ensure()
        self.fake: FakeHardcover | None = None

    def library(self, build: Callable[[Setup], None]) -> None:
        """Build the library with `build` (the database open), then close it for the process."""
        open_database(self.paths.db_file)
        try:
            build(self)
            SyncOutbox.update(kinds={"status": 0.0, "progress": 0.0}).execute()  # due at once
            set_setting(FIRST_SYNC_KEY, 0.0)  # the user synced by hand before
        finally:
            close_database()

    def linked(self, title: str, hc_book: int, edition: int, **reading) -> int:
        book = add_book(title, ["Ann Author"])
        pin(book.id, hc_book, edition_id=edition, edition_pages=300, reason="pick")
        update_reading_state(book.id, **reading)
        return book.id

    def entries(self, hc_book: int) -> list[dict]:
        return [e for e in self.catalog.tables["user_books"].values() if e["book_id"] == hc_book]

    def mutations(self) -> int:
        assert self.fake is not None
        return sum(1 for r in self.fake.requests if r.operation_type == "mutation")

    def cli(self, *args: str, **kwargs) -> subprocess.Popen[str]:
        script = Path(sys.executable).with_name("bookorbit-desktop")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
        return subprocess.Popen(
            [*command, "--data-dir", str(self.data_dir), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
            **kwargs,
        )


@pytest.fixture
def setup(tmp_path, monkeypatch) -> Iterator[Setup]:
    world = Setup(tmp_path)
    yield world


@pytest.fixture
def fake_for(monkeypatch):
    """Start the fake Hardcover for a setup (with `delay` seconds per answer)."""
    started: list[ThreadedFakeHardcover] = []

    def start(world: Setup, delay: float = 0.0) -> FakeHardcover:
        config = ServerConfig(rate_limits=False, response_delay=delay)
        fake = FakeHardcover(world.catalog, clock=SystemClock(), config=config)
        threaded = ThreadedFakeHardcover(fake)
        url = threaded.__enter__().url
        started.append(threaded)
        for key, value in {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(world.keyring_file),
            "BOOKORBIT_HARDCOVER_URL": url,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        }.items():
            monkeypatch.setenv(key, value)
        world.fake = fake
        return fake

    yield start
    for threaded in started:
        threaded.__exit__(None, None, None)


def outbox_empty(world: Setup) -> Callable[[], bool]:
    import sqlite3

    def check() -> bool:
        uri = f"file:{world.paths.db_file}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0] == 0

    return check


def test_serve_never_lowers_a_finished_read_because_of_a_second_copy(setup, fake_for):
    hc_book = setup.catalog.add_book("The Name of the Wind", authors=["Ann Author"])
    edition = setup.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
    setup.catalog.add_user_book(setup.user, hc_book, status_id=3, rating=4.5)

    def build(world: Setup) -> None:
        world.linked("The Name of the Wind", hc_book, edition, status="read",
                     finished="2025-05-01", rating=4.5)  # fmt: skip
        world.linked("Der Name des Windes", hc_book, edition, status="want_to_read")

    setup.library(build)
    fake_for(setup)
    process, _port = start_serve(setup.data_dir)
    try:
        assert wait_for(outbox_empty(setup), 40)
    finally:
        stop(process)
    (entry,) = setup.entries(hc_book)
    assert (entry["status_id"], entry["rating"]) == (3, 4.5)


def test_an_idle_serve_sends_nothing_for_changes_it_may_not_push(setup, fake_for):
    def build(world: Setup) -> None:
        for n, state in enumerate(("needs_review", "no_match", "excluded")):
            book = add_book(f"Local {n}", ["Someone"])
            if state == "excluded":
                other = world.catalog.add_book(f"Other {n}", authors=["Someone"])
                pin(book.id, other, edition_id=None, edition_pages=None, reason="pick")
                exclude(book.id)
            else:
                HardcoverMatch.insert(book=book.id, state=state, pinned=False,
                                      created_by_us=False, candidates=[],
                                      updated_at=0).execute()  # fmt: skip
            update_reading_state(book.id, status="reading", progress=0.3)

    setup.library(build)
    fake = fake_for(setup)
    process, _port = start_serve(setup.data_dir)
    try:
        time.sleep(12)  # the worker's first pass and the next, 10 s later
    finally:
        stop(process)
    assert len(fake.requests) == 0


def test_sync_now_from_the_command_line_waits_for_serves_pass_then_runs(setup, fake_for):
    hc_books = []

    def build(world: Setup) -> None:
        for n in range(4):
            hc_book = world.catalog.add_book(f"Book {n}", authors=["Ann Author"])
            edition = world.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
            world.linked(f"Book {n}", hc_book, edition, status="reading", started="2026-03-01",
                         progress=0.4)  # fmt: skip
            hc_books.append(hc_book)

    setup.library(build)
    fake_for(setup, delay=0.4)
    process, _port = start_serve(setup.data_dir)
    try:
        assert wait_for(lambda: setup.mutations() >= 1, 30)
        sync = setup.cli("hardcover", "sync")
        out, err = sync.communicate(timeout=120)
        assert sync.returncode == 0, (out, err)
        assert "Waiting for the sync running in another BookOrbit process (pid" in err
        assert "busy" not in out + err and "Stopped" not in out
    finally:
        stop(process)
    assert all(len(setup.entries(hc_book)) == 1 for hc_book in hc_books)


def test_cancel_on_the_command_line_holds_the_rest_from_serves_worker(setup, fake_for):
    hc_books = []

    def build(world: Setup) -> None:
        for n in range(4):
            hc_book = world.catalog.add_book(f"Book {n}", authors=["Ann Author"])
            edition = world.catalog.add_edition(hc_book, pages=300, reading_format_id=EBOOK)
            world.linked(f"Book {n}", hc_book, edition, status="want_to_read")
            hc_books.append(hc_book)

    setup.library(build)
    fake_for(setup, delay=0.5)
    sync = setup.cli("hardcover", "sync")
    assert wait_for(lambda: setup.mutations() >= 1, 30)
    sync.send_signal(signal.SIGINT)  # Ctrl-C: stop between books
    out, _err = sync.communicate(timeout=60)
    assert "cancelled" in out
    sent = sum(1 for hc_book in hc_books if setup.entries(hc_book))
    assert 1 <= sent < 4
    process, _port = start_serve(setup.data_dir)
    try:
        time.sleep(12)  # two worker passes
        assert sum(1 for hc_book in hc_books if setup.entries(hc_book)) == sent
    finally:
        stop(process)
