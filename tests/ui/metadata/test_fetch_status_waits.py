"""The batch dialog's "Fetching" box while a source waits out a rate limit: each book it has
under way says so, as does the line above the lists; nothing is listed as failed, and the
source's answer replaces the note."""

from __future__ import annotations

from bookorbit_desktop.metadata_sources.records import OK, PENDING, SourceResult
from bookorbit_desktop.ui.metadata.fetch_status import FetchStatus

WAIT = "waiting for Open Library (rate limit) — 40 s"


def test_a_wait_shows_on_the_books_lines_and_is_no_failure(qtbot):
    status = FetchStatus()
    qtbot.addWidget(status)
    status.set_books([1, 2], {1: "Mort", 2: "Sourcery"})
    status.asking = True
    status.asking_for([(1, ["openlibrary"]), (2, ["openlibrary"])])
    for book_id in (1, 2):
        assert status.note(book_id, SourceResult("openlibrary", PENDING, WAIT))
    assert status.items[1].text() == f"Mort — Open Library: {WAIT}"
    assert status.label.text() == "Waiting for Open Library (rate limit) — 40 s…"
    assert status.failed_list.count() == 0 and status.failed_plan() == []
    status.note(1, SourceResult("openlibrary", OK, "1 found"))
    assert status.items[1].text() == "Mort — Open Library: ok"
    assert status.items[2].text() == f"Sourcery — Open Library: {WAIT}"
