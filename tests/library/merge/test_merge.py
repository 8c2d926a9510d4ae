"""Merging two imported copies of one book on a real SQLite library: everything goes to the
kept book, both KOReader documents still sync, the Hardcover link moves without a new push,
and undo splits them back exactly; two different Hardcover books are refused."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.journal import run, steps
from bookorbit_desktop.library.merge.store import merge_books
from bookorbit_desktop.library.reading.pushes import Push, record_push, resolve_document
from bookorbit_desktop.library.store.channel_tables import Device, DeviceBook
from bookorbit_desktop.library.store.devices import (
    ListedBook,
    book_uuid,
    library_uuid,
    replace_listing,
)
from bookorbit_desktop.library.store.models import (
    Book,
    HardcoverMatch,
    HardcoverSync,
    ReadingState,
    database,
)
from tests.library.merge.copies import NOW, two_copies, whole


@pytest.fixture
def copies(library, tmp_path):
    return two_copies(library, tmp_path)


def test_the_merged_book_has_both_copies_whole(library, copies):
    epub, pdf = copies
    mine, theirs = whole(epub, library), whole(pdf, library)
    assert mine["sessions"] and theirs["sessions"] and mine["highlights"] and theirs["pushes"]

    merge_books(epub, pdf, library, NOW)

    assert Book.get_or_none(Book.id == pdf) is None
    merged = whole(epub, library)
    for part in ("files", "aliases", "pushes", "highlights", "shelves"):
        assert merged[part] == sorted(mine[part] + theirs[part]), part
    assert merged["sessions"] == sorted(
        mine["sessions"] + theirs["sessions"], key=lambda s: s.start
    )
    assert merged["positions"] == mine["positions"] + theirs["positions"]  # both still sync
    assert merged["cover"] == theirs["cover"]  # the only cover
    assert merged["book"][2] == "Dune"  # a series beats none
    assert merged["book"][1] == "Dune"  # the kept title: neither is empty nor edited
    state = ReadingState.get_by_id(epub)
    assert (state.status, state.progress) == ("read", 1.0)  # finished beats reading
    assert state.started == "2024-03-01"  # the earliest start
    assert state.koreader_progress == "/body/p[9]"  # the kept file's own position
    assert merged["hardcover"] == [("linked", 77, 79)]  # the linked copy's link
    assert merged["sync"] == [(77, "synced")]  # what Hardcover confirmed goes with it
    assert steps.next_undo().label == "Merge “Dune: Deluxe Edition” into “Dune”"


def test_a_device_still_syncs_either_file_after_the_merge(library, copies):
    epub, pdf = copies
    documents = [alias[1] for alias in whole(pdf, library)["aliases"]]
    merge_books(epub, pdf, library, NOW)
    assert resolve_document(documents[0]).book_id == epub
    result = record_push(Push(documents[0], "page 120", 0.4, "Boox", "b1"), timestamp=NOW)
    assert result.book_id == epub


def test_undo_splits_them_back_exactly_and_redo_merges_again(library, copies):
    epub, pdf = copies
    before = (whole(epub, library), whole(pdf, library))
    merge_books(epub, pdf, library, NOW)

    done = run.undo(library)
    assert (done.label, done.skipped) == ("Merge “Dune: Deluxe Edition” into “Dune”", ())
    assert (whole(epub, library), whole(pdf, library)) == before

    run.redo(library)
    assert Book.get_or_none(Book.id == pdf) is None
    assert len(whole(epub, library)["files"]) == 2
    run.undo(library)
    assert (whole(epub, library), whole(pdf, library)) == before


def test_the_link_moves_with_what_hardcover_confirmed(library, copies):
    """The kept book takes the linked copy's Hardcover entry and its last confirmed snapshot:
    the next sync updates that one entry (its user book), and never adds a second."""
    epub, pdf = copies
    merge_books(epub, pdf, library, NOW)
    assert [(m.book_id, m.hc_book_id, m.user_book_id) for m in HardcoverMatch.select()] == [
        (epub, 77, 79)
    ]
    [synced] = HardcoverSync.select()
    assert (synced.book_id, synced.user_book_id, synced.snapshot) == (epub, 79, {"status": "read"})


def test_two_different_hardcover_books_are_refused(library, copies):
    epub, pdf = copies
    HardcoverMatch.update(state="linked", hc_book_id=91).where(
        HardcoverMatch.book == epub
    ).execute()
    before = (whole(epub, library), whole(pdf, library))
    with pytest.raises(InvalidValueError, match="two different Hardcover books"):
        merge_books(epub, pdf, library, NOW)
    assert (whole(epub, library), whole(pdf, library)) == before
    assert steps.next_undo() is None or not steps.next_undo().label.startswith("Merge")


def test_a_book_is_not_merged_with_itself(library, copies):
    epub, _ = copies
    with pytest.raises(InvalidValueError, match="itself"):
        merge_books(epub, epub, library, NOW)


def test_a_shared_shelf_and_the_users_own_edit(library, copies):
    """A row both books have (the same shelf) stays once; the other copy's edited description
    beats the kept book's imported one, and its "edited by the user" mark comes with it."""
    epub, pdf = copies
    for book in (epub, pdf):
        database.execute_sql(
            "INSERT INTO shelf_joined (shelf, book_id, joined_at) VALUES ('favourites', ?, 2.0)",
            (book,),
        )
    Book.update(description="An imported blurb that is rather long.").where(
        Book.id == epub
    ).execute()
    edit_books([pdf], BookChanges(description="Mine."), library)
    before = (whole(epub, library), whole(pdf, library))

    merge_books(epub, pdf, library, NOW)
    merged = whole(epub, library)
    assert merged["shelves"] == [("favourites",), (f"shelf-{epub}",), (f"shelf-{pdf}",)]
    assert Book.get_by_id(epub).description == "Mine."
    assert "description" in merged["marks"]

    run.undo(library)
    assert (whole(epub, library), whole(pdf, library)) == before


def test_a_device_listing_the_other_file_still_names_the_merged_book(library, copies):
    """A calibre-connected reader lists its files by the uuid each book had when it was sent;
    the other copy's file goes on naming the book it was merged into."""
    epub, pdf = copies
    device = Device.create(store_uuid="kobo-1", name="Kobo", last_seen=1.0)
    listed = [ListedBook("Dune.pdf", book_uuid(library_uuid(), pdf), "2024-01-01")]
    replace_listing(device.id, listed)
    assert DeviceBook.get(DeviceBook.lpath == "Dune.pdf").book_id == pdf
    merge_books(epub, pdf, library, NOW)
    assert DeviceBook.get(DeviceBook.lpath == "Dune.pdf").book_id == epub
    replace_listing(device.id, listed)  # the device connects again
    assert DeviceBook.get(DeviceBook.lpath == "Dune.pdf").book_id == epub
    run.undo(library)
    replace_listing(device.id, listed)
    assert DeviceBook.get(DeviceBook.lpath == "Dune.pdf").book_id == pdf


def test_tags_of_both_books(library, copies):
    """The merged book has the tags of both (a tag both had, once), and undo gives each book
    its own again."""
    epub, pdf = copies
    for tag_id, name in ((1, "sf"), (2, "classic"), (3, "to lend")):
        database.execute_sql("INSERT INTO tag (id, name) VALUES (?, ?)", (tag_id, name))
    for book_id, tag_id in ((epub, 1), (epub, 2), (pdf, 2), (pdf, 3)):
        database.execute_sql("INSERT INTO book_tag VALUES (?, ?)", (book_id, tag_id))

    def tags(book_id):
        sql = "SELECT tag_id FROM book_tag WHERE book_id = ? ORDER BY tag_id"
        return [tag for (tag,) in database.execute_sql(sql, (book_id,))]

    merge_books(epub, pdf, library, NOW)
    assert tags(epub) == [1, 2, 3]
    run.undo(library)
    assert (tags(epub), tags(pdf)) == ([1, 2], [2, 3])


def test_undo_gives_the_kept_book_its_edit_marks_as_they_were(library, copies):
    """The kept book's "edited by the user" marks come back from an undone merge with their
    ids and times, not as new marks of the undo's time."""
    epub, pdf = copies
    edit_books([epub], BookChanges(description="Kept blurb.", series="Dune Saga"), library)
    edit_books([pdf], BookChanges(description="Theirs."), library)
    rows = "SELECT id, field, edited_at FROM book_edit WHERE book_id = ? ORDER BY id"
    database.execute_sql("UPDATE book_edit SET edited_at = edited_at - 1000")  # older marks
    before = database.execute_sql(rows, (epub,)).fetchall()
    assert {field for _id, field, _at in before} >= {"description", "series"}

    merge_books(epub, pdf, library, NOW, {"description": "other"})
    assert database.execute_sql(rows, (epub,)).fetchall() != before
    run.undo(library)
    assert database.execute_sql(rows, (epub,)).fetchall() == before


def test_the_merged_book_takes_every_language_of_the_copy_chosen(library, copies):
    """The user's languages of the other copy win (all of them, in order), whatever the first
    one; undo gives each copy its own again."""
    from bookorbit_desktop.library.store.languages import languages_of

    epub, pdf = copies
    edit_books([epub], BookChanges(language=("en",)), library)
    edit_books([pdf], BookChanges(language=("en", "fr")), library)
    database.execute_sql("DELETE FROM book_edit WHERE book_id = ? AND field = 'language'", (epub,))

    merge_books(epub, pdf, library, NOW)
    assert languages_of([epub])[epub] == ["en", "fr"]
    run.undo(library)
    assert languages_of([epub, pdf]) == {epub: ["en"], pdf: ["en", "fr"]}
