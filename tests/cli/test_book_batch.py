"""`book ID [ID ...]`, `--all-unread` and `--where status=...`: many books in one run, each
saved on its own, a clear line per book that could not be changed, and exit codes 0/1/2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.cli.edits import parse_where
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState, SyncOutbox
from tests.factories import add_book
from tests.logging_support import restore_root_logger  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def library(tmp_path) -> dict[str, int]:
    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    ids = {
        "dune": add_book("Dune", ["Frank Herbert"]).id,
        "emma": add_book("Emma", ["Jane Austen"]).id,
        "ubik": add_book("Ubik", ["Philip K. Dick"], status="reading").id,
        "kim": add_book("Kim", ["Rudyard Kipling"], status="on_hold").id,
        "odd": add_book("Odd John", ["Olaf Stapledon"], status="read").id,
    }
    update_reading_state(ids["ubik"], started="2024-05-01")
    close_database()
    return ids


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def states(tmp_path) -> dict[int, tuple[str, str | None]]:
    open_database(resolve_paths(tmp_path / "data").db_file)
    try:
        return {s.book_id: (s.status, s.finished) for s in ReadingState.select()}
    finally:
        close_database()


def test_many_ids_one_failing_book_does_not_stop_the_others(tmp_path, library, capsys):
    ids = library
    code = run(
        tmp_path, "book", str(ids["dune"]), "999", str(ids["ubik"]), str(ids["emma"]),
        "--status", "read", "--finished", "2024-03-01",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1
    assert "book 999: not changed: There is no book with id 999" in err
    # Ubik was started after that finish date: its own error, nothing saved for it.
    assert f"book {ids['ubik']}: not changed:" in err
    assert f"book {ids['dune']}: saved (read, 100 %) — Dune" in out
    assert "2 of 4 books saved, 2 not." in out
    now = states(tmp_path)
    assert now[ids["dune"]] == now[ids["emma"]] == ("read", "2024-03-01")
    assert now[ids["ubik"]] == ("reading", None)
    open_database(resolve_paths(tmp_path / "data").db_file)
    try:  # each saved book is queued for sync like a single edit
        assert {row.book_id for row in SyncOutbox.select()} >= {ids["dune"], ids["emma"]}
    finally:
        close_database()


def test_a_wrong_value_changes_no_book(tmp_path, library, capsys):
    before = states(tmp_path)
    assert run(tmp_path, "book", "--all-unread", "--rating", "7") == 2
    assert "rating" in capsys.readouterr().err.lower()
    assert run(tmp_path, "book", "--where", "colour=blue", "--status", "read") == 2
    assert "--where status=S" in capsys.readouterr().err
    assert run(tmp_path, "book", "--where", "status=finished", "--status", "read") == 2
    assert "Unknown reading status" in capsys.readouterr().err
    assert run(tmp_path, "book", "--status", "read") == 2
    assert "Name the books" in capsys.readouterr().err
    assert states(tmp_path) == before


def test_all_unread_and_where_select_by_status(tmp_path, library, capsys):
    ids = library
    assert run(tmp_path, "book", "--all-unread", "--status", "want_to_read", "--json") == 0
    results = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in results] == [ids["dune"], ids["emma"]]
    assert all(r["ok"] and r["book"]["reading"]["status"] == "want_to_read" for r in results)

    assert run(tmp_path, "book", "--all-unread", "--status", "read") == 0
    assert "No books are selected; nothing was changed." in capsys.readouterr().out

    assert run(tmp_path, "book", "--where", "status=reading,on_hold", "--progress", "50%") == 0
    out = capsys.readouterr().out
    assert "2 of 2 books saved." in out
    now = states(tmp_path)
    assert {k for k, v in ids.items() if now[v][0] in ("reading", "on_hold")} == {"ubik", "kim"}

    assert run(tmp_path, "book", str(ids["odd"]), str(ids["kim"])) == 0  # show both
    out = capsys.readouterr().out
    assert "Odd John  (book" in out and "Kim  (book" in out
    assert run(tmp_path, "book", str(ids["odd"]), "31337") == 1
    out, err = capsys.readouterr()
    assert "Odd John  (book" in out and "book 31337: There is no book with id 31337." in err


def test_exit_codes_from_a_real_process(tmp_path, library):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    base = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(
        [*base, "book", str(library["dune"]), "424242", "--status", "reading"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "book 424242: not changed" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [*base, "book", "--all-unread", "--progress", "lots"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        (["status=reading"], {"status": ["reading"]}),
        (["status=reading,on_hold"], {"status": ["reading", "on_hold"]}),
        (["Status = Want to read"], {"status": ["want_to_read"]}),
        (["status=read", "status=abandoned"], {"status": ["read", "abandoned"]}),
        ([], {}),
    ],
)
def test_parse_where(conditions, expected):
    assert parse_where(conditions) == expected


@pytest.mark.parametrize(
    "conditions", [["status"], ["status="], ["title=Dune"], ["status=done"], ["=read"]]
)
def test_parse_where_refuses_what_it_cannot_select_by(conditions):
    with pytest.raises(InvalidValueError):
        parse_where(conditions)
