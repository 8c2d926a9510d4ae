"""The sort keys by progress and last read, which a KOReader push leaves to be brought up to
date: a push writes neither, the steps bring every book pushed or changed since up to date and
move the mark, which never stays above the newest push (SQLite numbers a new push after it), a
bulk write that writes every book behind whole moves it itself (an import leaves nothing to
catch up), a library already up to date is only read, and the checkpointer brings them up to
date once the pushes pause (and every interval while they never do)."""

from __future__ import annotations

import functools
import sqlite3
import time
from contextlib import contextmanager

import pytest

from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store import checkpoint, pushed_keys
from bookorbit_desktop.library.store.checkpoint import WRITER_GATE, Checkpointer
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    DocumentAlias,
    ProgressEvent,
    database,
)
from bookorbit_desktop.library.store.pushed_keys_schema import pushed_keys_mark_kept_below_reuse
from bookorbit_desktop.services.library.rows import read_table
from tests.factories import add_book, make_epub
from tests.library.previous_schema import previous_schema_library
from tests.library.store.test_sort_keys import up_to_date

T0 = 1_800_000_000


def _keys() -> dict[int, tuple[float, int]]:
    return {
        book_id: (progress, last_read)
        for book_id, progress, last_read in database.execute_sql(
            "SELECT book_id, progress, last_read FROM book_sort_key"
        )
    }


def _fresh_keys() -> dict[int, tuple[float, int]]:
    """Every book's keys worked out from its reading state and its newest push."""
    return {
        book_id: (progress, last_read)
        for book_id, progress, last_read in database.execute_sql(
            "SELECT b.id, coalesce(r.progress, 0.0), coalesce((SELECT e.timestamp FROM"
            " progress_event e WHERE e.book_id = b.id ORDER BY e.id DESC LIMIT 1), 0)"
            " FROM book b LEFT JOIN reading_state r ON r.book_id = b.id"
        )
    }


def _mark() -> tuple[int, int]:
    return database.execute_sql("SELECT change_seq, event_id FROM sort_key_fold").fetchone()


@pytest.fixture
def pushed(library) -> list[int]:
    """Seven books, each with a document of its own, the keys up to date."""
    ids = []
    for n in range(7):
        book_id = add_book(f"Book {n}").id
        DocumentAlias.create(document=f"doc{n}", kind=ALIAS_CONTENT, book=book_id, created_at=1.0)
        ids.append(book_id)
    up_to_date()
    return ids


def _push(n: int, percentage: float, when: int) -> None:
    """A push stored as the server's writer stores it (inside the gate, the lock taken first)."""
    with WRITER_GATE, database.atomic("IMMEDIATE"):
        record_pushes([(Push(f"doc{n}", f"/body/p[{n}]", percentage, "Kobo"), when)])


def test_a_push_writes_neither_key(pushed):
    before = _keys()
    for n in range(7):
        _push(n, 0.1 * (n + 1), T0 + n)
    assert _keys() == before
    assert _keys() != _fresh_keys()
    up_to_date()
    assert _keys() == _fresh_keys()
    assert _keys()[pushed[6]] == (pytest.approx(0.7), T0 + 6)


def test_the_steps_bring_every_book_up_to_date_and_move_the_mark(pushed):
    for n in range(7):
        _push(n, 0.5, T0 + n)
    written = list(pushed_keys.fold_steps(step=3))
    assert written == [3, 3, 1]  # 7 pushes and 7 changes, three of each a step
    assert _keys() == _fresh_keys()
    newest = database.execute_sql(
        "SELECT (SELECT max(seq) FROM book_change), (SELECT max(id) FROM progress_event)"
    ).fetchone()
    assert _mark() == tuple(newest)
    assert list(pushed_keys.fold_steps()) == []


def test_a_key_that_holds_its_value_is_not_written_again(pushed):
    _push(0, 0.5, T0)
    up_to_date()
    database.execute_sql("UPDATE book SET publisher = 'Other' WHERE id = ?", (pushed[1],))
    assert list(pushed_keys.fold_steps()) == [0]


def test_a_push_numbered_as_a_removed_one_is_still_brought_up_to_date(pushed):
    _push(0, 0.2, T0)
    up_to_date()
    newest = ProgressEvent.select().order_by(ProgressEvent.id.desc()).get()
    ProgressEvent.delete().where(ProgressEvent.id == newest.id).execute()
    _push(1, 0.3, T0 + 5)
    again = ProgressEvent.select().order_by(ProgressEvent.id.desc()).get()
    assert again.id == newest.id, "SQLite gave the removed push's number again"
    up_to_date()
    assert _keys() == _fresh_keys()


def _remove_push(push_id: int) -> None:
    ProgressEvent.delete().where(ProgressEvent.id == push_id).execute()


def test_a_push_numbered_below_the_mark_after_the_newest_were_removed_is_caught_up(pushed):
    for n in range(4):
        _push(n, 0.1, T0 + n)  # pushes 1 to 4
    up_to_date()
    _remove_push(2)
    up_to_date()
    _remove_push(4)
    _remove_push(3)  # push 1 is the newest left: SQLite numbers the next one 2
    _push(5, 0.6, T0 + 50)
    assert ProgressEvent.get(ProgressEvent.book == pushed[5]).id == 2
    assert _mark()[1] < 2
    assert pushed[5] in {row[0] for row in database.execute_sql(pushed_keys.BEHIND_BOOKS)}
    up_to_date()
    assert _keys() == _fresh_keys()


def test_a_library_whose_mark_stood_above_its_newest_push_is_repaired_once(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, before=pushed_keys_mark_kept_below_reuse)
    old.execute_sql(
        "INSERT INTO progress_event (document, book_id, device, percentage, progress, timestamp)"
        " VALUES ('d', 2, 'Kobo', 0.4, 'p', ?)",
        (T0,),
    )
    old.execute_sql("UPDATE sort_key_fold SET change_seq = 99, event_id = 5")  # above push 1
    old.close()
    open_database(path)
    try:
        assert _mark()[1] == 1
        assert _keys() == _fresh_keys()
        assert _keys()[2] == (0.0, T0)
    finally:
        close_database()


def _behind() -> bool:
    return bool(database.execute_sql(pushed_keys.IS_BEHIND).fetchone()[0])


def test_an_import_leaves_no_book_behind(pushed, library, tmp_path):
    for n in range(3):
        make_epub(tmp_path / f"new{n}.epub", f"New Book {n}")
    assert import_paths([tmp_path], library).imported == 3
    assert not _behind()
    assert _keys() == _fresh_keys()
    assert list(pushed_keys.fold_steps()) == []


def _batch_of_one_new_book() -> int:
    with database.atomic():
        open_batch()
        book_id = add_book("Batch Book").id
        close_batch()
    return book_id


def test_a_bulk_write_moves_the_mark_over_the_books_it_wrote_only(pushed):
    _push(0, 0.4, T0)  # another book behind: the bulk write leaves the mark where it is
    mark = _mark()
    _batch_of_one_new_book()
    assert _mark() == mark
    assert _behind()
    up_to_date()
    database.execute_sql("UPDATE reading_state SET progress = 0.9")  # behind, outside a batch
    with database.atomic():
        open_batch()
        database.execute_sql("UPDATE book SET title = 'Written whole' WHERE id = ?", (pushed[0],))
        close_batch()
    assert _behind(), "the edited book's key was written whole, not the others behind"
    up_to_date()
    with database.atomic():  # a push and an edit of the book the same batch writes whole
        open_batch()
        record_pushes([(Push("doc3", "/body/p[3]", 0.7, "Kobo"), T0 + 9)])
        database.execute_sql("UPDATE book SET title = 'Pushed' WHERE id = ?", (pushed[3],))
        close_batch()
    assert not _behind()
    assert _keys() == _fresh_keys()


def test_a_library_up_to_date_is_only_read(pushed, library):
    other = sqlite3.connect(library.db_file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program writing: no write lock to be had
        start = time.monotonic()
        assert list(pushed_keys.fold_steps()) == []
        assert time.monotonic() - start < 0.5
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_the_table_shows_the_last_read_of_a_push_not_yet_brought_up_to_date(pushed):
    _push(2, 0.5, T0 + 2)
    (book,) = read_table([pushed[2]])
    assert book.last_read == T0 + 2
    assert {row.id: row.last_read for row in read_table()}[pushed[2]] == T0 + 2
    assert [row.last_read for row in read_table([pushed[3]])] == [None]


@contextmanager
def _checkpointer(library, monkeypatch, busy_timeout_ms: int = 1_000, **settings: float):
    """A checkpointer running on the library, its timings (`checkpoint`'s names) as given."""
    for name, value in settings.items():
        monkeypatch.setattr(checkpoint, name, value)
    running = Checkpointer(library.db_file, busy_timeout_ms=busy_timeout_ms)
    running.start()
    try:
        yield
    finally:
        running.stop()


def _until(done, seconds: float = 10) -> None:
    ends = time.monotonic() + seconds
    while not done() and time.monotonic() < ends:
        time.sleep(0.02)


def test_the_checkpointer_brings_the_keys_up_to_date_once_the_pushes_pause(
    pushed, library, monkeypatch
):
    with _checkpointer(library, monkeypatch, CHECKPOINT_SECONDS=0.02, QUIET_SECONDS=0.2):
        for n in range(7):
            _push(n, 0.25, T0 + n)
        _until(lambda: _keys() == _fresh_keys())
    assert _keys() == _fresh_keys()


def test_pushes_that_never_pause_are_brought_up_to_date_every_interval(
    pushed, library, monkeypatch
):
    settings = {"CHECKPOINT_SECONDS": 0.02, "QUIET_SECONDS": 60.0, "FOLD_SECONDS": 0.3}
    with _checkpointer(library, monkeypatch, **settings):
        ends = time.monotonic() + 10
        n = 0
        while _keys()[pushed[0]][1] == 0 and time.monotonic() < ends:
            _push(n % 7, (n % 90) / 100, T0 + n)
            n += 1
    assert _keys()[pushed[0]][1] > 0


def test_a_catch_up_kept_out_by_another_program_is_tried_again(pushed, library, monkeypatch):
    """Nothing is written after the failed try (the other program only held the lock): the
    checkpointer tries again all the same, and the keys end up to date."""
    for n in range(7):
        _push(n, 0.75, T0 + n)
    other = sqlite3.connect(library.db_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    settings = {"CHECKPOINT_SECONDS": 0.02, "QUIET_SECONDS": 0.1, "FOLD_RETRY_SECONDS": 0.3}
    try:
        with _checkpointer(library, monkeypatch, busy_timeout_ms=20, **settings):
            time.sleep(0.6)  # quiet: the catch-up is tried, and kept out
            assert _keys() != _fresh_keys()
            other.execute("ROLLBACK")
            _until(lambda: _keys() == _fresh_keys())
    finally:
        other.close()
    assert _keys() == _fresh_keys()


def test_a_catch_up_begun_in_a_quiet_moment_stops_at_the_next_push(pushed, library, monkeypatch):
    """It leaves the rest for the next quiet moment: a push does not wait behind its steps."""
    for n in range(40):
        _push(n % 7, n / 100, T0 + n)
    one_at_a_time = functools.partial(pushed_keys.fold_steps, step=1)
    monkeypatch.setattr(pushed_keys, "fold_steps", one_at_a_time)
    settings = {
        "CHECKPOINT_SECONDS": 0.02,
        "QUIET_SECONDS": 0.1,
        "COMPACT_PAUSE_SECONDS": 0.05,
        "FOLD_RETRY_SECONDS": 1.0,
    }
    with _checkpointer(library, monkeypatch, **settings):
        _until(lambda: _mark()[1] > 0)  # begun
        _push(0, 0.99, T0 + 99)
        time.sleep(0.15)  # the step under way ends
        stopped = _mark()
        time.sleep(0.5)
        assert _mark() == stopped, "no step while another write came in"
        _until(lambda: _keys() == _fresh_keys())
    assert _keys() == _fresh_keys()
