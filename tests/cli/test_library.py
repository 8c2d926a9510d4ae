"""`import`, `books` and `book` through the real command line: in-process and as a process."""

from __future__ import annotations

import datetime
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.cli.importing import ProgressPrinter, format_eta
from bookorbit_desktop.library.importer.summary import ImportOutcome, ImportProgress
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def books_dir(tmp_path) -> Path:
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",), isbn="9780441013593")
    make_epub(tmp_path / "books" / "nested" / "emma.epub", "Emma", ("Jane Austen",))
    return tmp_path / "books"


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def test_import_list_show_and_edit(tmp_path, books_dir, capsys):
    assert run(tmp_path, "import", str(books_dir)) == 0
    out, err = capsys.readouterr()
    assert "2 new books imported" in out
    assert f"[1/2] imported: {books_dir / 'dune.epub'}" in err  # plain lines: not a terminal

    assert run(tmp_path, "import", str(books_dir)) == 0
    assert "0 new books imported, 2 unchanged" in capsys.readouterr().out

    assert run(tmp_path, "books", "--json") == 0
    books = json.loads(capsys.readouterr().out)
    assert [b["title"] for b in books] == ["Dune", "Emma"]
    dune = books[0]
    assert dune["isbn13"] == "9780441013593"
    assert dune["files"][0]["partial_md5"]
    assert {d["kind"] for d in dune["files"][0]["documents"]} == {"content", "filename"}
    assert dune["reading"]["status"] == "unread"

    assert run(tmp_path, "books") == 0
    table = capsys.readouterr().out
    assert "Dune — Frank Herbert [epub]" in table and "2 books." in table

    book_id = str(dune["id"])
    assert (
        run(
            tmp_path,
            "book",
            book_id,
            "--status",
            "reading",
            "--started",
            "2024-01-05",
            "--progress",
            "40%",
            "--rating",
            "4.5",
        )
        == 0
    )
    shown = capsys.readouterr().out
    assert "Reading state saved." in shown
    assert "reading, 40 %, started 2024-01-05, rated 4.5/5" in shown
    assert run(tmp_path, "book", book_id, "--clear-rating", "--json") == 0
    reading = json.loads(capsys.readouterr().out)["reading"]
    assert (reading["rating"], reading["status"], reading["progress"]) == (None, "reading", 0.4)

    assert run(tmp_path, "book", book_id) == 0
    assert "Dune  (book" in capsys.readouterr().out


def test_progress_by_hand_starts_and_finishes_a_book(tmp_path, books_dir, capsys):
    assert run(tmp_path, "import", str(books_dir)) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    dune, emma = (book["id"] for book in json.loads(capsys.readouterr().out))
    today = datetime.date.today().isoformat()

    assert run(tmp_path, "book", str(dune), "--status", "want_to_read") == 0
    capsys.readouterr()
    assert run(tmp_path, "book", str(dune), "--progress", "40%", "--json") == 0
    reading = json.loads(capsys.readouterr().out)["reading"]
    # Nothing says when the reading began: the start stays unknown, never today by default.
    assert (reading["status"], reading["progress"], reading["started"]) == ("reading", 0.4, None)

    # Nothing says when it ended either: the user is asked for the date.
    assert run(tmp_path, "book", str(dune), "--progress", "100%") == 2
    assert "--finished today" in capsys.readouterr().err
    assert run(tmp_path, "book", str(dune), "--progress", "100%", "--finished", "today") == 0
    assert f"read, 100 %, finished {today}" in capsys.readouterr().out

    # A status given in the same command wins over the one the progress implies.
    assert run(tmp_path, "book", str(emma), "--progress", "40%", "--status", "unread") == 0
    assert "unread, 40 %" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rating", "7"], "Invalid value: The rating 7 is out of range"),
        (["--status", "done"], "Unknown reading status 'done'"),
        (["--started", "2024-02-01", "--finished", "2024-01-01"], "before the start date"),
        (["--progress", "lots"], "not a number"),
    ],
)
def test_invalid_edits_exit_2_with_one_clear_line(tmp_path, books_dir, capsys, args, message):
    run(tmp_path, "import", str(books_dir / "dune.epub"))
    capsys.readouterr()
    assert run(tmp_path, "book", "1", *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_book(tmp_path, capsys):
    assert run(tmp_path, "book", "99") == 2
    assert "Not found: There is no book with id 99" in capsys.readouterr().err


def test_a_damaged_library_is_one_clear_line_not_a_traceback(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "library.sqlite3").write_bytes(b"not a database at all " * 50)
    assert run(tmp_path, "books") == 2
    err = capsys.readouterr().err
    assert "Cannot open the library: The library file" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_write_the_database_refuses_is_one_clear_line(tmp_path, books_dir, capsys):
    assert run(tmp_path, "import", str(books_dir / "dune.epub")) == 0
    with sqlite3.connect(tmp_path / "data" / "library.sqlite3") as raw:
        raw.execute(
            "CREATE TRIGGER refuse BEFORE UPDATE ON reading_state"
            " BEGIN SELECT RAISE(ABORT, 'refused by the disk'); END"
        )
    capsys.readouterr()
    assert run(tmp_path, "book", "1", "--status", "reading") == 2
    err = capsys.readouterr().err
    assert "Library error: the library database could not be used (refused by the disk)" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_failed_files_give_exit_1_and_reasons(tmp_path, books_dir, capsys):
    (books_dir / "broken.epub").write_bytes(b"PK\x03\x04 truncated")
    assert run(tmp_path, "import", str(books_dir)) == 1
    out = capsys.readouterr().out
    assert "2 new books imported, 1 failed" in out
    assert f"  {books_dir / 'broken.epub'}: truncated or damaged ZIP archive" in out


def test_empty_library(tmp_path, capsys):
    assert run(tmp_path, "books") == 0
    assert "The library is empty" in capsys.readouterr().out
    assert run(tmp_path, "books", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_verbose_logs_to_stderr(tmp_path, books_dir, capsys):
    assert run(tmp_path, "-v", "import", str(books_dir / "dune.epub")) == 0
    err = capsys.readouterr().err
    assert "Import: 1 new" in err
    assert "INSERT INTO" not in err  # our debug lines, not every SQL statement
    assert "Import: 1 new" in (tmp_path / "data" / "logs" / "bookorbit-desktop.log").read_text()


def _event(done: int, total: int = 10, outcome=ImportOutcome.IMPORTED, reason=None):
    return ImportProgress(done, total, Path(f"/b/{done}.epub"), outcome, done, reason, done * 0.5)


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    ticks = iter([0.0, 0.05, 0.3, 0.31, 1.0])
    printer = ProgressPrinter(stream, interactive=True, clock=lambda: next(ticks))
    printer(_event(1))
    printer(_event(2))  # within 0.1 s of the last draw: skipped
    printer(_event(3, outcome=ImportOutcome.FAILED, reason="damaged"))
    printer(_event(4))  # skipped
    printer(_event(10))  # the last one is always drawn
    printer.finish()
    text = stream.getvalue()
    assert text.count("\r[") == 3
    assert "1/10  10% ETA 0:04" in text
    assert "failed: /b/3.epub: damaged\n" in text
    assert "10/10 100% ETA 0:00" in text
    assert text.endswith("\n")


class CountingStream(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_plain_lines_are_written_in_blocks_and_all_of_them():
    stream = CountingStream()
    ticks = iter([0.0] + [0.01] * 98 + [0.5, 0.5])
    printer = ProgressPrinter(stream, interactive=False, clock=lambda: next(ticks))
    for done in range(1, 101):
        printer(_event(done, total=100))
    printer.finish()
    lines = stream.getvalue().splitlines()
    assert lines == [f"[{n}/100] imported: /b/{n}.epub" for n in range(1, 101)]
    assert stream.writes <= 3  # the first, one after 0.1 s, the last


@pytest.mark.parametrize(
    ("elapsed", "done", "total", "expected"),
    [(0, 0, 10, "--:--"), (10, 1, 10, "1:30"), (1, 1, 1, "0:00"), (3600, 1, 3, "2:00:00")],
)
def test_format_eta(elapsed, done, total, expected):
    assert format_eta(elapsed, done, total) == expected


def test_as_a_separate_process(tmp_path, books_dir):
    env = {k: v for k, v in os.environ.items() if k != "BOOKORBIT_DATA_DIR"}
    env["PYTHONPATH"] = str(REPO)
    data = str(tmp_path / "data")

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bookorbit_desktop", "--data-dir", data, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    imported = command("import", str(books_dir))
    assert imported.returncode == 0, imported.stderr
    assert "2 new books imported" in imported.stdout
    listed = command("books", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [b["title"] for b in json.loads(listed.stdout)] == ["Dune", "Emma"]


def test_a_file_name_in_a_legacy_encoding_is_reported_not_crashed_on(tmp_path, capsys):
    folder = tmp_path / "legacy"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9.epub", "wb") as handle:
        handle.write(b"whatever")
    assert run(tmp_path, "import", str(folder)) == 1
    out, err = capsys.readouterr()
    assert "caf\\udce9.epub: its file or folder name is not valid UTF-8" in out
    assert "caf\\udce9.epub" in err


@pytest.mark.parametrize("interactive", [False, True])
def test_unchanged_files_print_as_their_events_would(interactive, monkeypatch):
    import bookorbit_desktop.cli.importing as importing

    monkeypatch.setattr(importing, "_terminal_width", lambda: 100)
    files = ["/books/a.epub", "/books/caf\udce9.epub", "/books/z.epub"]
    one_by_one, at_once = io.StringIO(), io.StringIO()
    printer = ProgressPrinter(one_by_one, interactive=interactive, clock=lambda: 5.0)
    for done, name in enumerate(files, start=1):
        printer(ImportProgress(done, 3, Path(name), ImportOutcome.UNCHANGED, done, None, 0.5))
    printer.finish()
    batch = ProgressPrinter(at_once, interactive=interactive, clock=lambda: 5.0)
    batch.unchanged(files, 3, 0.5)
    batch.finish()
    final = one_by_one.getvalue().rsplit("\r", 1)[-1]
    assert at_once.getvalue().rsplit("\r", 1)[-1] == final
    if not interactive:
        assert at_once.getvalue() == one_by_one.getvalue()
        assert "[2/3] unchanged: /books/caf\\udce9.epub" in final


@pytest.mark.parametrize("interactive", [False, True])
def test_unchanged_files_then_a_new_one_print_as_their_events_would(interactive, monkeypatch):
    import bookorbit_desktop.cli.importing as importing

    monkeypatch.setattr(importing, "_terminal_width", lambda: 100)
    outcomes = [ImportOutcome.UNCHANGED, ImportOutcome.UNCHANGED, ImportOutcome.IMPORTED]
    files = ["/books/a.epub", "/books/b.epub", "/books/new.epub"]
    events = [
        ImportProgress(done, 3, Path(name), outcome, done, None, 0.5)
        for done, (name, outcome) in enumerate(zip(files, outcomes, strict=True), start=1)
    ]
    one_by_one, at_once = io.StringIO(), io.StringIO()
    printer = ProgressPrinter(one_by_one, interactive=interactive, clock=lambda: 5.0)
    for event in events:
        printer(event)
    printer.finish()
    batch = ProgressPrinter(at_once, interactive=interactive, clock=lambda: 5.0)
    batch.unchanged(files[:2], 3, 0.5)
    batch(events[2])
    batch.finish()
    assert at_once.getvalue().rsplit("\r", 1)[-1] == one_by_one.getvalue().rsplit("\r", 1)[-1]
    if not interactive:
        assert at_once.getvalue() == one_by_one.getvalue()
        assert at_once.getvalue().splitlines()[-1] == "[3/3] imported: /books/new.epub"


@pytest.mark.parametrize(
    ("list_unchanged", "batch", "expected"),
    [
        (False, False, ["[3/3] imported: /books/new.epub"]),
        (False, True, ["[3/3] imported: /books/new.epub"]),
        (
            True,
            False,
            [
                "[1/3] unchanged: /books/a.epub",
                "[2/3] unchanged: /books/b.epub",
                "[3/3] imported: /books/new.epub",
            ],
        ),
        (
            True,
            True,
            [
                "[1/3] unchanged: /books/a.epub",
                "[2/3] unchanged: /books/b.epub",
                "[3/3] imported: /books/new.epub",
            ],
        ),
    ],
)
def test_plain_lines_list_unchanged_files_only_when_asked(list_unchanged, batch, expected):
    stream = io.StringIO()
    printer = ProgressPrinter(
        stream, interactive=False, clock=lambda: 5.0, list_unchanged=list_unchanged
    )
    if batch:
        printer.unchanged(["/books/a.epub", "/books/b.epub"], 3, 0.5)
    else:
        for done, name in enumerate(["/books/a.epub", "/books/b.epub"], start=1):
            printer(ImportProgress(done, 3, Path(name), ImportOutcome.UNCHANGED, done, None, 0.5))
    printer(ImportProgress(3, 3, Path("/books/new.epub"), ImportOutcome.IMPORTED, 3, None, 0.5))
    printer.finish()
    assert stream.getvalue().splitlines() == expected


def test_a_re_import_lists_its_unchanged_files_only_with_verbose(tmp_path, books_dir, capsys):
    assert run(tmp_path, "import", str(books_dir)) == 0
    capsys.readouterr()
    dune, emma = books_dir / "dune.epub", books_dir / "nested" / "emma.epub"
    # Touched: the full import reads it and finds it unchanged (its event), Dune is known
    # unchanged at once (the quick answer's batch).
    os.utime(emma, (1_000_000_000, 1_000_000_000))

    assert run(tmp_path, "import", str(books_dir)) == 0
    out, err = capsys.readouterr()
    assert "0 new books imported, 2 unchanged" in out
    assert "unchanged" not in err

    assert main(["--data-dir", str(tmp_path / "data"), "-v", "import", str(books_dir)]) == 0
    out, err = capsys.readouterr()
    assert "2 unchanged" in out
    assert f"[1/2] unchanged: {dune}" in err.splitlines()
    assert f"[2/2] unchanged: {emma}" in err.splitlines()
