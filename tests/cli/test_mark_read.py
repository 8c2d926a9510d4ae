"""`book --status read` on the command line: the finish date comes from the reading history's
last session, the start from its first; without history the date must be given (`--finished
DATE` or `--finished today`) or said unknown (`--finished none`), else a clear error and exit
status 2."""

from __future__ import annotations

import datetime as dt

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

OCT_4 = int(dt.datetime(2026, 10, 4, 12, 0).timestamp())  # local noon
DAY = 86_400


def library(tmp_path) -> tuple[int, int]:
    """A book read in KOReader from 4 to 12 October (statistics imported), and one without."""
    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    epub = make_epub(tmp_path / "read.epub", "Read Book", ("Ann Author",))
    read = add_book("Read Book", ["Ann Author"], file=epub, status="reading")
    rows = [
        (1, OCT_4, 600, 300),
        (150, OCT_4 + 4 * DAY, 600, 300),
        (290, OCT_4 + 8 * DAY, 600, 300),
    ]
    stats = write_statistics(
        tmp_path / "stats.sqlite3",
        [KoBook("Read Book", "Ann Author", partial_md5(epub), 300, rows)],
    )
    import_statistics(stats)
    plain = add_book("Plain Book", ["Ann Author"], status="reading")
    close_database()
    return read.id, plain.id


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def stored(tmp_path, book_id: int) -> tuple:
    open_database(resolve_paths(tmp_path / "data").db_file)
    try:
        row = ReadingState.get(ReadingState.book == book_id)
        return row.status, row.started, row.started_source, row.finished, row.finished_source
    finally:
        close_database()


def test_mark_read_takes_the_last_session_not_today(tmp_path, capsys):
    read, _ = library(tmp_path)
    assert run(tmp_path, "book", str(read), "--status", "read") == 0
    assert stored(tmp_path, read) == ("read", "2026-10-04", "history", "2026-10-12", "history")


def test_mark_read_without_history_needs_a_date(tmp_path, capsys):
    _, plain = library(tmp_path)
    capsys.readouterr()
    assert run(tmp_path, "book", str(plain), "--status", "read") == 2
    err = capsys.readouterr().err
    assert "--finished YYYY-MM-DD or --finished today" in err and "Traceback" not in err
    assert "--finished none" in err
    assert stored(tmp_path, plain)[0] == "reading"  # nothing changed
    assert run(tmp_path, "book", str(plain), "--status", "read", "--finished", "today") == 0
    today = dt.date.today().isoformat()
    status, started, _, finished, finished_source = stored(tmp_path, plain)
    assert (status, finished, finished_source) == ("read", today, "user")
    assert started is None  # never the click's day: no session, no push


def test_a_given_finish_date_is_the_users(tmp_path, capsys):
    read, _ = library(tmp_path)
    assert run(tmp_path, "book", str(read), "--status", "read", "--finished", "2026-10-20") == 0
    assert stored(tmp_path, read) == ("read", "2026-10-04", "history", "2026-10-20", "user")


def test_finished_none_marks_read_with_no_date_as_the_users_word(tmp_path, capsys):
    _, plain = library(tmp_path)
    assert run(tmp_path, "book", str(plain), "--status", "read", "--finished", "none") == 0
    assert stored(tmp_path, plain) == ("read", None, None, None, "user")


def test_finished_none_marks_skimmed_too(tmp_path, capsys):
    _, plain = library(tmp_path)
    assert run(tmp_path, "book", str(plain), "--status", "skimmed", "--finished", "none") == 0
    assert stored(tmp_path, plain) == ("skimmed", None, None, None, "user")


def test_finished_none_still_takes_the_historys_date(tmp_path, capsys):
    read, _ = library(tmp_path)
    assert run(tmp_path, "book", str(read), "--status", "read", "--finished", "none") == 0
    assert stored(tmp_path, read) == ("read", "2026-10-04", "history", "2026-10-12", "history")
