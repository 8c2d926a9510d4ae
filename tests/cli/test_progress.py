"""`progress show` and `progress reset` through the real command line and a real library."""

from __future__ import annotations

import json
import time

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.db import close_database
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401

T0 = 1_790_000_000


@pytest.fixture
def book(library):
    """A book two devices read: a Kobo (K1) at 30 % and a phone (P1) at 60 %, newest."""
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=time.time())
    progress.record_push(
        Push("doc", "/body/DocFragment[9]/body/p", 0.3, "Kobo", "K1"), timestamp=T0
    )
    progress.record_push(
        Push("doc", "/body/DocFragment[9]/body/q", 0.6, "Phone", "P1"), timestamp=T0 + 9
    )
    close_database()  # the command opens the library itself
    return book


def run(library, *args: str) -> int:
    return main(["--data-dir", str(library.data_dir), *args])


def pulled_device(library) -> str:
    from bookorbit_desktop.library.store.db import open_database

    open_database(library.db_file)
    position = progress.latest_position("doc")
    assert position is not None
    return position.device


def test_show_lists_each_device_as_text_and_json(library, book, capsys):
    assert run(library, "progress", "show", str(book.id)) == 0
    out = capsys.readouterr().out
    assert "Phone [P1]: 60.0 %" in out and "Kobo [K1]: 30.0 %" in out
    assert out.index("Phone") < out.index("Kobo")
    assert run(library, "progress", "show", str(book.id), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["device_id"], r["percentage"], r["reset_at"]) for r in rows] == [
        ("P1", 0.6, None),
        ("K1", 0.3, None),
    ]


def test_reset_asks_first_and_a_no_changes_nothing(library, book, capsys, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda _question: "n")
    assert run(library, "progress", "reset", str(book.id)) == 1
    assert "Nothing was reset." in capsys.readouterr().out
    assert pulled_device(library) == "Phone"


def test_reset_with_yes_sends_every_device_to_the_start(library, book, capsys):
    assert run(library, "progress", "reset", str(book.id), "--yes") == 0
    assert "the next sync offers the start" in capsys.readouterr().out
    close_database()
    assert run(library, "progress", "show", str(book.id), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["device_id"], r["percentage"], r["position"]) for r in rows} == {
        ("P1", 0.0, "at the start"),
        ("K1", 0.0, "at the start"),
    }
    assert pulled_device(library) == RESET_DEVICE
    assert ReadingState.get_by_id(book.id).progress == pytest.approx(0.6)  # status kept


def test_reset_of_a_device_another_synced_after(library, book, capsys, monkeypatch):
    asked = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "yes")
    assert run(library, "progress", "reset", str(book.id), "--device", "K1") == 0  # P1 is newer
    out = capsys.readouterr().out
    assert "Reset “Leaves of Grass” for device K1: the next sync offers the start." in out
    assert "Phone [P1] reads the same copy of the book" in out
    assert "Phone [P1] reads the same copy" in asked[0]  # said before it happens
    assert pulled_device(library) == RESET_DEVICE
    close_database()
    assert run(library, "progress", "show", str(book.id), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["device_id"], r["position"]) for r in rows} == {
        ("P1", "at the start"),
        ("K1", "at the start"),
    }


def test_reset_of_a_book_no_device_synced_says_nothing_was_reset(library, capsys):
    book = add_book("Unread")
    close_database()
    assert run(library, "progress", "reset", str(book.id), "--yes") == 1
    assert "Nothing was reset: no device has synced “Unread”." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "999"), "no book with id 999"),
        (("reset", "999", "--yes"), "no book with id 999"),
        (("reset", "{book}", "--device", "nope", "--yes"), "progress show"),
    ],
)
def test_wrong_books_and_devices_are_one_clear_line(library, book, capsys, args, message):
    words = [word.format(book=book.id) for word in args]
    assert run(library, "progress", *words) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert pulled_device(library) == "Phone"
