"""`bookorbit-desktop metadata contact [EMAIL|--clear]`: the e-mail address Open Library and
Google Books see in the User-Agent, set from the command line with the window's own check,
shown, cleared, and sent by the next fetch (the loopback fakes of both sources)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.metadata_sources import googlebooks, openlibrary
from bookorbit_desktop.services.settings import load_contact_email
from tests.factories import add_book
from tests.fakes.metadata_sources import FakeBookSources, ThreadedFakeBookSources
from tests.fakes.metadata_sources_fixtures import FOX, paced_virtually


@pytest.fixture
def world(tmp_path, monkeypatch) -> Iterator[dict]:
    data_dir = tmp_path / "data"
    paths = resolve_paths(data_dir)
    paths.ensure()
    open_database(paths.db_file)
    fox = add_book("Fantastic Mr Fox", ["Roald Dahl"], isbn13=FOX.isbn13).id
    close_database()
    sources = FakeBookSources()
    sources.add(FOX)
    with ThreadedFakeBookSources(sources) as fake:
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.file_keyring.FileKeyring")
        monkeypatch.setenv("BOOKORBIT_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
        monkeypatch.setenv("BOOKORBIT_DATA_DIR", str(data_dir))
        monkeypatch.setenv(openlibrary.BASE_URL_ENV, fake.openlibrary_url)
        monkeypatch.setenv(googlebooks.BASE_URL_ENV, fake.google_url)
        monkeypatch.setattr(openlibrary, "REQUEST_INTERVAL", 0.0)
        monkeypatch.setattr(googlebooks, "REQUEST_INTERVAL", 0.0)
        paced_virtually(monkeypatch)
        yield {"paths": paths, "fake": fake, "fox": fox}


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(["metadata", *args])
    out, err = capsys.readouterr()
    return code, out, err


def stored(world) -> str | None:
    open_database(world["paths"].db_file)
    try:
        return load_contact_email()
    finally:
        close_database()


def test_the_address_is_set_shown_sent_and_cleared(world, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "contact")
    assert code == 0 and "No contact e-mail address is set" in out
    code, out, _ = run(monkeypatch, capsys, "contact", "  reader@example.org ")
    assert code == 0 and "reader@example.org in each request's User-Agent" in out
    assert stored(world) == "reader@example.org"  # what the window shows
    code, out, _ = run(monkeypatch, capsys, "contact")
    assert (code, out.strip()) == (0, "reader@example.org")

    code, _, err = run(monkeypatch, capsys, "fetch", str(world["fox"]), "--source", "openlibrary",
                       "--source", "google")  # fmt: skip
    assert code == 0, err
    assert world["fake"].agents and all("reader@example.org" in a for a in world["fake"].agents)

    code, out, _ = run(monkeypatch, capsys, "contact", "--clear")
    assert code == 0 and "no longer given an e-mail address" in out
    assert stored(world) is None
    code, out, _ = run(monkeypatch, capsys, "contact")
    assert "No contact e-mail address is set" in out


@pytest.mark.parametrize(
    "typed", ["reader", "reader@localhost", "reader@example.org)", "reader@example.org; other"]
)
def test_what_the_window_refuses_is_refused_and_nothing_changes(world, monkeypatch, capsys, typed):
    run(monkeypatch, capsys, "contact", "kept@example.org")
    code, out, err = run(monkeypatch, capsys, "contact", typed)
    assert code == 2 and out == ""
    assert "is not an e-mail address (one such as reader@example.org)." in err
    assert "Traceback" not in err
    assert stored(world) == "kept@example.org"


def test_an_address_and_clear_together_is_refused(world, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "contact", "reader@example.org", "--clear")
    assert code == 2 and "not both" in err
    assert stored(world) is None
