"""The bulk edit on a real library: each book through the rules a one-book edit follows (a
read's dates from the history, the Hardcover outbox), a refused book left whole and named, the
preview exactly what the save does and keeping nothing, and one Undo for all of it."""

from __future__ import annotations

import datetime as dt

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.run import undo
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store.inbox import hold
from bookorbit_desktop.library.store.models import Book, ReadingState, SyncOutbox
from bookorbit_desktop.services.library.bulk_edits import NO_FINISH, BulkEditService
from tests.factories import add_book, make_epub
from tests.library.history.koreader_file import KoBook, write_statistics

OCT_4 = int(dt.datetime(2026, 10, 4, 12, 0).timestamp())  # local noon
DAY = 86_400


def with_history(tmp_path, titles: list[str]) -> list[Book]:
    """Books whose reading history has a read from 4 to 12 October 2026."""
    books, ko_books = [], []
    for title in titles:
        epub = make_epub(tmp_path / f"{title}.epub", title, ("Ann Author",))
        books.append(add_book(title, ["Ann Author"], file=epub, series="Old", series_index=9.0))
        rows = [(1, OCT_4, 600, 300), (290, OCT_4 + 8 * DAY, 600, 300)]
        ko_books.append(KoBook(title, "Ann Author", partial_md5(epub), 300, rows))
    import_statistics(write_statistics(tmp_path / "stats.sqlite3", ko_books))
    return books


def state(book_id: int) -> tuple:
    row = ReadingState.get(ReadingState.book == book_id)
    return row.status, row.started, row.finished, row.finished_source, row.rating


def outbox_kinds() -> dict[int, set[str]]:
    return {row.book_id: set(row.kinds) for row in SyncOutbox.select()}


def test_a_status_for_many_books_follows_the_reading_rules_and_undoes_at_once(library, tmp_path):
    dune, emma, kim = with_history(tmp_path, ["Dune", "Emma", "Kim"])
    bare = add_book("Bare", series="Old", series_index=9.0)  # no history: no finish date
    ids = [kim.id, bare.id, dune.id, emma.id]  # the order the table shows
    typed = {"status": "read", "rating": "4.5", "series": "Saga", "number_from": "5"}
    service = BulkEditService(library)

    preview = service.preview(ids, typed)
    assert preview.changed == (kim.id, dune.id, emma.id)
    assert [(r.book_id, r.reason) for r in preview.refused] == [(bare.id, NO_FINISH)]
    assert steps.next_undo() is None and outbox_kinds() == {}  # nothing kept
    assert state(dune.id) == ("unread", None, None, None, None)

    done = service.apply(ids, typed)
    assert (done.changed, done.refused, done.label) == (
        preview.changed,
        preview.refused,
        "Edit 3 Books",
    )
    for book in (dune, emma, kim):
        assert state(book.id) == ("read", "2026-10-04", "2026-10-12", "history", 4.5)
    # Numbered from 5 in the order shown; the refused book keeps all it had.
    numbers = {b.id: (b.series, b.series_index) for b in Book.select()}
    assert numbers == {
        kim.id: ("Saga", 5.0),
        dune.id: ("Saga", 6.0),
        emma.id: ("Saga", 7.0),
        bare.id: ("Old", 9.0),
    }
    assert state(bare.id) == ("unread", None, None, None, None)
    # Queued for Hardcover as a one-book status edit is.
    assert outbox_kinds() == {b.id: {"status", "rating"} for b in (dune, emma, kim)}
    assert "Left as they are (1):\n• “Bare”: the reading history" in done.summary()

    undone = undo(library)
    assert undone is not None and undone.label == "Edit 3 Books" and undone.books == 3
    for book in (dune, emma, kim):
        assert state(book.id) == ("unread", None, None, None, None)
        assert (Book.get_by_id(book.id).series, Book.get_by_id(book.id).series_index) == (
            "Old",
            9.0,
        )
    assert steps.next_undo() is None


def test_a_finish_date_given_once_dates_only_the_reads_the_history_does_not(library, tmp_path):
    (dune,) = with_history(tmp_path, ["Dune"])
    bare, other = add_book("Bare"), add_book("Other", status="reading")
    ids = [dune.id, bare.id, other.id]
    service = BulkEditService(library, clock=lambda: OCT_4 + 60 * DAY)
    typed = {"status": "read", "finished": "2026-11-01"}

    preview = service.preview(ids, typed)
    assert (preview.changed, preview.refused, preview.dated) == (
        tuple(ids),
        (),
        (bare.id, other.id),
    )
    assert preview.summary() == (
        "This changes the status of 3 books.\n"
        "Books whose reading history has no finish date (2) are finished on: 2026-11-01."
    )
    done = service.apply(ids, typed)
    assert done.dated == preview.dated
    assert state(dune.id) == ("read", "2026-10-04", "2026-10-12", "history", None)  # its own
    assert state(bare.id)[2:4] == state(other.id)[2:4] == ("2026-11-01", "user")
    undo(library)

    done = service.apply(ids, {"status": "skimmed", "finished": "none"})  # "I do not know"
    assert "(2) are finished on: no date." in done.summary()
    assert state(dune.id)[:4] == ("skimmed", "2026-10-04", "2026-10-12", "history")
    assert state(bare.id)[2:4] == (None, "user")


def test_want_to_read_for_many_books_names_the_statuses_it_replaces(library):
    emma = add_book("Emma", status="reading")
    dune = add_book("Dune")
    held = add_book("Held")
    hold([held.id])
    service = BulkEditService(library)
    typed = {"status": "want_to_read", "publisher": "Tor"}
    preview = service.preview([emma.id, dune.id, held.id], typed)
    assert preview.replaced == ("Emma",)
    assert [r.book_id for r in preview.refused] == [held.id]
    assert "waits in the Inbox" in preview.refused[0].reason

    done = service.apply([emma.id, dune.id, held.id], typed)
    assert done.changed == (emma.id, dune.id)
    assert {ReadingState.get(ReadingState.book == b.id).status for b in (emma, dune)} == {
        "want_to_read"
    }
    assert {Book.get_by_id(b.id).publisher for b in (emma, dune, held)} == {"Tor", None}
    assert Book.get_by_id(held.id).publisher is None
    undo(library)
    assert ReadingState.get(ReadingState.book == emma.id).status == "reading"
    assert Book.get_by_id(emma.id).publisher is None


def test_when_no_book_takes_the_edit_nothing_is_recorded_and_the_list_is_cut_short(library):
    ids = [add_book(f"Book {n}").id for n in range(12)]
    done = BulkEditService(library).apply(ids, {"status": "read"})
    assert (done.changed, done.label, len(done.refused)) == ((), "", 12)
    lines = done.summary().splitlines()
    assert lines[:2] == ["No book takes the status.", "Left as they are (12):"]
    assert len(lines) == 2 + 10 + 1 and lines[-1] == "• and 2 more"
    assert steps.next_undo() is None  # an empty step is dropped


def test_tags_for_many_books_go_with_the_other_fields_in_one_step(library):
    from bookorbit_desktop.library.tags.changes import change_tags
    from bookorbit_desktop.library.tags.store import book_tags

    dune, emma, kim = (add_book(title) for title in ("Dune", "Emma", "Kim"))
    change_tags([dune.id], library, add=["to do"])
    change_tags([emma.id], library, add=["Classic"])
    before = book_tags([dune.id, emma.id, kim.id])
    typed = {"add_tags": "classic, Owned", "remove_tags": "to do", "rating": "4"}
    service = BulkEditService(library)

    preview = service.preview([dune.id, emma.id, kim.id], typed)
    assert "tags" in preview.fields
    assert book_tags([dune.id, emma.id, kim.id]) == before  # nothing kept
    done = service.apply([dune.id, emma.id, kim.id], typed)
    assert set(done.changed) == {dune.id, emma.id, kim.id}
    assert book_tags([dune.id, emma.id, kim.id]) == {
        dune.id: ["Classic", "Owned"],  # "classic" is the tag that exists, as it is written
        emma.id: ["Classic", "Owned"],
        kim.id: ["Classic", "Owned"],
    }
    undo(library)  # one step: the tags and the ratings go back together
    assert book_tags([dune.id, emma.id, kim.id]) == before
    assert {state(b.id)[4] for b in (dune, emma, kim)} == {None}
