"""`progress history` and `progress restore` through the real command line and a real library,
with `undo` and `redo` taking the restore back and doing it again."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE, RESTORE_ID
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias, ReadingState
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401

T0 = 1_790_000_000


@pytest.fixture
def book(library):
    """A phone read to 63 %; then a Kobo Clara opened the book afresh at its start."""
    book = add_book("Leaves of Grass", ("Walt Whitman",))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=T0)
    for percentage, device, device_id, when in (
        (0.30, "Phone", "P1", T0),
        (0.63, "Phone", "P1", T0 + 3600),
        (0.0, "Kobo Clara", "K1", T0 + 7200),
    ):
        progress.record_push(
            Push("doc", "/body/DocFragment[12]/body/p[4]", percentage, device, device_id),
            timestamp=when,
        )
    close_database()
    return book


def run(library, *args: str) -> int:
    return main(["--data-dir", str(library.data_dir), *args])


def served(library) -> progress.Position:
    open_database(library.db_file)
    try:
        position = progress.latest_position("doc")
        assert position is not None
        return position
    finally:
        close_database()


def test_history_lists_every_position_and_the_jump_back(book, library, capsys):
    assert run(library, "progress", "history", str(book.id)) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Book 1: Leaves of Grass"
    assert lines[1].startswith("  [3] 0 %, part 12, Kobo Clara, synced ")
    assert lines[1].endswith(" — jumped back from 63 %, progress kept")
    assert lines[2].startswith("  [2] 63 %, part 12, Phone, synced ")
    assert lines[3].startswith("  [1] 30 %, part 12, Phone, synced ")
    assert lines[4] == (
        "Kobo Clara jumped back from 63 % to 0 % — Restore 63 %?"
        " `bookorbit-desktop progress restore 1 2`"
    )
    assert run(library, "progress", "history", str(book.id), "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["event_id"], r["percentage"], r["device"], r["jumped_back_from"]) for r in rows] == [
        (3, 0.0, "Kobo Clara", 0.63),
        (2, 0.63, "Phone", None),
        (1, 0.3, "Phone", None),
    ]
    assert rows[0]["where"] == "part 12" and rows[0]["timestamp"] == T0 + 7200


def test_restore_is_served_and_undone_and_redone(book, library, capsys):
    assert run(library, "progress", "restore", str(book.id), "2") == 0
    assert "Restored 63 % of “Leaves of Grass”" in capsys.readouterr().out
    position = served(library)
    assert (position.percentage, position.device, position.device_id) == (
        0.63, RESET_DEVICE, RESTORE_ID,
    )  # fmt: skip
    assert position.timestamp > T0 + 7200  # newer than the Kobo's page turn: KOReader offers it
    assert run(library, "progress", "history", str(book.id)) == 0
    out = capsys.readouterr().out
    assert "63 %, part 12, BookOrbit Desktop, restored" in out
    assert "jumped back from 63 % to" not in out  # nothing left to restore

    assert run(library, "undo") == 0
    assert "Undid Restore 63 % of “Leaves of Grass”." in capsys.readouterr().out
    back = served(library)
    assert (back.percentage, back.timestamp) == (0.0, T0 + 7200)
    assert run(library, "redo") == 0
    again = served(library)
    assert (again.percentage, again.timestamp) == (0.63, position.timestamp)
    open_database(library.db_file)
    assert ReadingState.get_by_id(book.id).progress == 0.63  # the Kobo's 0 % never lowered it
    close_database()


def test_restoring_what_is_served_or_a_missing_position_says_what_to_do(book, library, capsys):
    assert run(library, "progress", "restore", str(book.id), "3") != 0
    assert "already the position KOReader is offered" in capsys.readouterr().err
    assert run(library, "progress", "restore", str(book.id), "99") != 0
    assert "`bookorbit-desktop progress history 1`" in capsys.readouterr().err
