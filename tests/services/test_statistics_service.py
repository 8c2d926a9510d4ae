"""The statistics facade: unknown digests in Unlinked Documents, linking them, the page data."""

from __future__ import annotations

import datetime as dt

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.queries import history_books
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.services.library import unlinked
from bookorbit_desktop.services.statistics import service as statistics
from tests.factories import add_book
from tests.library.history.koreader_file import KoBook, write_statistics

NOON = int(dt.datetime(2025, 3, 20, 12).timestamp())


def test_history_only_documents_are_offered_for_linking_and_linking_attaches_them(
    library, tmp_path
):
    path = write_statistics(
        tmp_path / "statistics.sqlite3",
        [
            KoBook(
                "Emma", "Jane\nAusten", "e" * 32, 100, [(1, NOON, 60, 100), (2, NOON + 60, 60, 100)]
            ),
            KoBook("Pushed", "Someone", "p" * 32, 10, [(1, NOON, 60, 10)]),
        ],
    )
    import_statistics(path)
    record_push(Push("p" * 32, "/body", 0.5, "Kobo", "K1"), timestamp=NOON)
    rows = {row.document: row for row in unlinked.list_unlinked()}
    assert set(rows) == {"e" * 32, "p" * 32}  # the pushed one is listed once, as pushed
    emma = rows["e" * 32]
    assert (emma.device, emma.title, emma.authors, emma.pushes) == (
        "Reading statistics", "Emma", "Jane, Austen", 0
    )  # fmt: skip
    assert emma.percentage == 0.02 and emma.timestamp == NOON + 120
    assert rows["p" * 32].device == "Kobo"
    book = add_book("Emma", ("Jane Austen",))
    outcome = unlinked.link("e" * 32, book.id)
    assert outcome.pushes_moved == 0
    assert [b.book_id for b in history_books() if b.title == "Emma"] == [book.id]
    assert "e" * 32 not in {row.document for row in unlinked.list_unlinked()}
    assert [s.seconds for s in statistics.book_sessions(book.id)] == [120]


def test_page_data_has_pace_finish_and_streaks(library, tmp_path):
    rows = [(p, NOON + p * 60, 60, 100) for p in range(1, 31)]  # 30 pages in half an hour
    import_statistics(
        write_statistics(tmp_path / "s.sqlite3", [KoBook("Dune", "F", "d" * 32, 100, rows)])
    )
    data = statistics.load_statistics(dt.date(2025, 3, 21))
    [line] = data.books
    assert line.pace == 60.0 and line.reading and line.last_day == dt.date(2025, 3, 20)
    # 70 pages left at 60 an hour, half an hour a day: about 2.3 days
    assert line.finish == dt.date(2025, 3, 23)
    assert (data.current_streak, data.longest_streak, data.total_seconds) == (1, 1, 1800)
    assert statistics.load_statistics(dt.date(2025, 5, 1)).books[0].finish is None  # put aside
