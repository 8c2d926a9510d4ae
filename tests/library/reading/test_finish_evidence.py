"""A finish that arrives by kosync (a push KOReader kept offline and sent later) is dated by
the reading statistics when they hold the book, also when they arrive after the push; without
them it is the arrival day, recorded as such ("sync")."""

from __future__ import annotations

import time

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.library.reading.sources import source_label
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

DAY = 86_400
NOW = int(time.time())
LAST_SESSION = NOW - 3 * DAY  # the statistics' last session: three days before the push
SESSION = 600
# The read ended with the last session: the day it ended is the finish (a session begun
# before midnight and ended after it ended on the later day).
LAST_DAY_READ = LAST_SESSION + SESSION


def book_with_file(tmp_path, title: str = "Book"):
    epub = make_epub(tmp_path / f"{title}.epub", title, ("Ann Author",))
    book = add_book(title, ["Ann Author"], file=epub, status="reading")
    return book.id, partial_md5(epub)


def statistics(tmp_path, title: str, md5: str) -> None:
    rows = [(1, LAST_SESSION - 5 * DAY, SESSION, 300), (300, LAST_SESSION, SESSION, 300)]
    path = write_statistics(
        tmp_path / f"{title}.sqlite3", [KoBook(title, "Ann Author", md5, 300, rows)]
    )
    import_statistics(path)


def finish_push(md5: str) -> Push:
    return Push(document=md5, progress="/body/DocFragment[30]", percentage=1.0, device="kobo")


def stored(book_id: int) -> tuple:
    row = ReadingState.get(ReadingState.book == book_id)
    return row.status, row.finished, row.finished_source


def day(seconds: int) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(seconds))


def test_a_replayed_finish_is_dated_by_the_statistics(library, tmp_path):
    book_id, md5 = book_with_file(tmp_path)
    statistics(tmp_path, "Book", md5)
    record_push(finish_push(md5), timestamp=NOW)  # sent days after the reading
    assert stored(book_id) == ("read", day(LAST_DAY_READ), "history")


def test_statistics_that_arrive_later_correct_the_date(library, tmp_path):
    book_id, md5 = book_with_file(tmp_path)
    record_push(finish_push(md5), timestamp=NOW)
    assert stored(book_id) == ("read", day(NOW), "sync")
    assert source_label("sync") == "date of sync"  # as the window names it
    statistics(tmp_path, "Book", md5)
    assert stored(book_id) == ("read", day(LAST_DAY_READ), "history")


def test_a_batch_of_pushes_is_dated_the_same_way(library, tmp_path):
    book_id, md5 = book_with_file(tmp_path, "Batched")
    other_id, other_md5 = book_with_file(tmp_path, "Other")
    statistics(tmp_path, "Batched", md5)
    record_pushes([(finish_push(md5), NOW), (finish_push(other_md5), NOW)])
    assert stored(book_id) == ("read", day(LAST_DAY_READ), "history")
    assert stored(other_id) == ("read", day(NOW), "sync")  # no statistics: the arrival day
