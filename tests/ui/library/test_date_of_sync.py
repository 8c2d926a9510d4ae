"""The book panel says where a finish date came from: a kosync push's arrival day is marked
"date of sync" until the reading statistics give the session's own day."""

from __future__ import annotations

import time

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.reading.pushes import Push, record_push
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.book_panel import BookPanel
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

DAY = 86_400


def test_a_finish_of_a_push_is_marked_date_of_sync_until_the_statistics_say(
    qtbot, library, tmp_path
):
    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    epub = make_epub(tmp_path / "b.epub", "Book", ("Ann Author",))
    book = add_book("Book", ["Ann Author"], file=epub, status="reading")
    now = int(time.time())
    push = Push(document=partial_md5(epub), progress="/body", percentage=1.0, device="kobo")
    record_push(push, timestamp=now)
    panel.show_book(book.id)
    assert panel.finished_note.text() == "(date of sync)"
    assert panel.finished_note.isVisibleTo(panel)
    assert "KOReader's push arrived" in panel.finished_edit.toolTip()
    rows = [(1, now - 6 * DAY, 600, 300), (300, now - 3 * DAY, 600, 300)]
    ko_book = KoBook("Book", "Ann Author", partial_md5(epub), 300, rows)
    import_statistics(write_statistics(tmp_path / "stats.sqlite3", [ko_book]))
    panel.show_book(book.id)
    assert panel.finished_note.text() == "(from reading history)"
    ended = now - 3 * DAY + 600  # the end of the last session (the next day near midnight)
    assert panel.finished_edit.text() == time.strftime("%Y-%m-%d", time.localtime(ended))
