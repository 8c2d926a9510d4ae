"""Real processes: `serve`'s worker sending highlights to the reading journal while the user
runs `hardcover journal send`, with one stored insert whose answer is lost."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.journal import store as journal_store
from bookorbit_desktop.hardcover.journal.plan import QUOTE, SENT
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.channel_tables import Highlight, JournalEntry
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.sync import FIRST_SYNC_KEY
from tests.factories import add_book
from tests.fakes.hardcover_catalog import EBOOK, SYNC_SCOPES, Catalog
from tests.fakes.hardcover_server import FakeHardcover
from tests.hardcover.sync.test_processes import fake_for_children, stop, wait_for
from tests.server.serve_process import start_serve

QUOTES = 12  # ten go at once, then one a second (the client's rate budget)
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def setup(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user, scopes=SYNC_SCOPES | {"read:journal"})
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    hc_book = catalog.add_book("Dune", authors=["Frank Herbert"], users_count=3)
    edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    book = add_book("Dune", ["Frank Herbert"])
    pin(book.id, hc_book, edition_id=edition, edition_pages=400, reason="pick")
    texts = [f"Quote {n}." for n in range(QUOTES + 1)]
    entries = [Entry(1_709_300_000 + n, text) for n, text in enumerate(texts)]
    store.record(store.Target(book.id), entries, source="xmnote", origin="x", now=1.0)
    journal_store.choose([book.id], on=True)
    # The user reviewed and sent a first batch (one quote) long ago: the rest goes by itself.
    first = Highlight.get(Highlight.text == texts[0])
    journal_id = catalog._insert(
        "reading_journals",
        {"user_id": user, "book_id": hc_book, "event": QUOTE, "entry": texts[0],
         "privacy_setting_id": 3, "metadata": {}, "tags": []},
    )  # fmt: skip
    JournalEntry.create(
        highlight=first.id, kind=QUOTE, journal_id=journal_id, text=texts[0], state=SENT,
        changed_at=1.0,
    )  # fmt: skip
    set_setting(FIRST_SYNC_KEY, 0.0)
    close_database()
    with fake_for_children(catalog, keyring_file, monkeypatch, response_delay=0.12) as fake:
        yield {"fake": fake, "catalog": catalog, "data_dir": data_dir, "texts": texts}


def journal(setup) -> Counter[str]:
    return Counter(row["entry"] for row in setup["catalog"].rows("reading_journals"))


def inserts(fake: FakeHardcover) -> int:
    return sum(1 for r in fake.requests if r.operation_name == "InsertReadingJournal")


def journal_send(setup) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    return subprocess.run(
        [*command, "--data-dir", str(setup["data_dir"]), "hardcover", "journal", "send"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )


def test_journal_send_while_serve_sends_adds_nothing_twice(setup):
    fake = setup["fake"]
    fake.lose_answer_after_write("InsertReadingJournal", 1, answer=503)
    process, _port = start_serve(setup["data_dir"])
    try:
        assert wait_for(lambda: inserts(fake) >= 3, 30)
        busy = journal_send(setup)  # while serve's worker is sending
        assert busy.returncode == 2, (busy.stdout, busy.stderr)
        assert "Nothing sent: another BookOrbit process (pid " in busy.stderr
        assert wait_for(lambda: len(journal(setup)) == QUOTES + 1, 30)
    finally:
        stop(process)
    assert max(journal(setup).values()) == 1
    after = journal_send(setup)  # looks for the lost one first: found, not sent again
    assert after.returncode == 0, (after.stdout, after.stderr)
    # The lost one is found, not sent again (and so is one whose answer serve was stopped
    # before recording, when the stop came in the middle of a write).
    summary = after.stdout.splitlines()[0]
    assert summary.startswith("Journal: 0 added,"), summary
    assert int(re.search(r"(\d+) found already there\.$", summary)[1]) >= 1, summary
    assert sorted(journal(setup)) == sorted(setup["texts"])
    assert max(journal(setup).values()) == 1
