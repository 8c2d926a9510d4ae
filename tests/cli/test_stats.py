"""`bookorbit-desktop stats` and `stats import`, through the real command line entry point."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import add_book
from tests.library.history.koreader_file import KoBook, write_statistics
from tests.logging_support import restore_root_logger  # noqa: F401

DAY = 86_400
T0 = 20_000 * DAY + 12 * 3600  # 2024-10-04 at noon UTC: the same date in most zones


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    yield folder
    close_database()


def run(data_dir, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def statistics_file(tmp_path):
    return write_statistics(
        tmp_path / "statistics.sqlite3",
        [
            KoBook("Dune", "Frank Herbert", "d" * 32, 10, [(1, T0, 60, 10), (2, T0 + 60, 40, 10)]),
            KoBook("Emma", "Jane Austen", "e" * 32, 10, [(1, T0 - 20 * DAY, 30, 10)]),
        ],
        wal=True,
    )


def test_import_then_json(data_dir, tmp_path, capsys):
    path = statistics_file(tmp_path)
    assert run(data_dir, "stats", "import", str(path)) == 0
    assert "2 books (2 with new reading), 3 new page records" in capsys.readouterr().out
    assert run(data_dir, "stats", "import", str(path)) == 0  # again: nothing new
    assert "(0 with new reading), 0 new page records" in capsys.readouterr().out
    assert run(data_dir, "stats", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert [
        (b["title"], b["read_seconds"], b["pages_read"], b["sessions"]) for b in found["books"]
    ] == [
        ("Dune", 100, 2, 1),
        ("Emma", 30, 1, 1),
    ]
    assert found["books"][0]["book_id"] is None and found["books"][0]["md5"] == "d" * 32
    assert [d["read_seconds"] for d in found["days"]] == [30, 100]
    assert run(data_dir, "stats", "--json", "--since", "2024-10-01") == 0
    recent = json.loads(capsys.readouterr().out)
    assert [b["title"] for b in recent["books"]] == ["Dune"] and len(recent["days"]) == 1


def test_book_filter(data_dir, tmp_path, capsys):
    open_database(resolve_paths(data_dir).db_file)
    book = add_book("Dune", ("Frank Herbert",))
    from bookorbit_desktop.library.reading.pushes import link_document

    link_document("d" * 32, book.id, now=1.0)
    close_database()
    run(data_dir, "stats", "import", str(statistics_file(tmp_path)))
    capsys.readouterr()
    assert run(data_dir, "stats", "--json", "--book", str(book.id)) == 0
    found = json.loads(capsys.readouterr().out)
    assert [(b["book_id"], b["title"]) for b in found["books"]] == [(book.id, "Dune")]
    assert [d["read_seconds"] for d in found["days"]] == [100]
    assert run(data_dir, "stats") == 0
    out = capsys.readouterr().out
    assert "2 books, 0h02 on 2 days" in out and f"Dune (book {book.id})" in out


def test_empty_history_says_how_to_get_one(data_dir, capsys):
    assert run(data_dir, "stats") == 0
    assert "Cloud sync" in capsys.readouterr().out


def test_bad_input_is_one_clear_line(data_dir, tmp_path, capsys):
    assert run(data_dir, "stats", "import", str(tmp_path / "none.sqlite3")) != 0
    assert "There is no file" in capsys.readouterr().err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert run(data_dir, "stats", "import", str(junk)) != 0
    err = capsys.readouterr().err
    assert "not an SQLite database" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        run(data_dir, "stats", "--since", "yesterday")
    assert "is not a date like" in capsys.readouterr().err


def test_a_hostile_file_is_refused_with_exit_2_and_one_line(data_dir, tmp_path, capsys):
    from tests.library.history.hostile_files import recursive_view

    path = recursive_view(tmp_path / "statistics.sqlite3")
    assert run(data_dir, "stats", "import", str(path)) == 2
    captured = capsys.readouterr()
    [line] = captured.err.strip().splitlines()
    assert "page_stat_data is a view, not a table" in line and captured.out == ""


def test_impossible_times_are_left_out_counted_and_never_break_stats(data_dir, tmp_path, capsys):
    rows = [(1, T0, 60, 10), (2, 0, 60, 10), (3, 4_102_444_800, 60, 10), (4, T0, 10**12, 10)]
    path = write_statistics(tmp_path / "s.sqlite3", [KoBook("Dune", "F", "d" * 32, 10, rows)])
    assert run(data_dir, "stats", "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "1 new page records; 3 page records left out because their time is impossible" in out
    assert run(data_dir, "stats") == 0
    out = capsys.readouterr().out
    assert "1 book, 0h01 on 1 day" in out and "1 page      1 session  Dune" in out
