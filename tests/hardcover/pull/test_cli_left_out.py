"""`hardcover pull` names each value from Hardcover it left out, and `book` still shows the
library's own: a real library, the fake Hardcover on its own thread, the token in a
file-backed test keyring."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.hardcover.api.credentials import library_account
from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import EBOOK, Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover
from tests.fakes.hardcover_shelves import edit_entry, edit_read


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    catalog = Catalog()
    user = catalog.add_user("reader")
    token = catalog.add_token(user)
    hc_book = catalog.add_book("Dune", authors=["Ann Author"], users_count=5)
    edition = catalog.add_edition(hc_book, pages=400, reading_format_id=EBOOK)
    keyring_file = tmp_path / "keyring.json"
    data_dir = tmp_path / "data"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    book = add_book("Dune", ["Ann Author"]).id
    pin(book, hc_book, edition_id=edition, edition_pages=400, reason="pick")
    update_reading_state(
        book, status="read", started="2026-01-10", finished="2026-02-01", rating="4.5"
    )
    close_database()
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as server:
        env = {
            "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
            "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
            "BOOKORBIT_HARDCOVER_URL": server.url,
            "BOOKORBIT_DATA_DIR": str(data_dir),
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        yield {"catalog": catalog, "user": user, "hc_book": hc_book, "book": book}


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(list(args))
    return code, capsys.readouterr().out


def test_hardcover_pull_names_each_value_it_left_out(world, monkeypatch, capsys):
    assert run(monkeypatch, capsys, "hardcover", "sync")[0] == 0  # the base
    catalog = world["catalog"]
    entry = catalog.user_book_for(world["user"], world["hc_book"])
    (read,) = catalog.reads_of(entry["id"])
    edit_entry(catalog, entry["id"], status_id=0, rating=1000)
    edit_read(catalog, read["id"], finished_at="garbage!!!")

    code, out = run(monkeypatch, capsys, "hardcover", "pull")
    assert code == 0
    assert "3 values from Hardcover were left out" in out
    assert f"  Hardcover entry '{entry['id']}' ('Dune'): status_id '0' left out" in out
    assert "rating '1000' left out, not a rating from 0.5 to 5 in half steps" in out
    assert f"read {read['id']} finished_at 'garbage!!!' left out" in out

    code, out = run(monkeypatch, capsys, "book", str(world["book"]))
    assert code == 0
    assert "Reading:   read, 100 %, started 2026-01-10, finished 2026-02-01, rated 4.5/5" in out

    code, out = run(monkeypatch, capsys, "hardcover", "pull", "--full", "--json")
    assert code == 0 and len(json.loads(out)["left_out"]) == 3
