"""The change journal on a real SQLite library: edits and reading changes become steps, undo
and redo move them, a field changed since is left and named, and the journal stays bounded."""

from __future__ import annotations

import threading

import pytest
from PIL import Image

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges, parse_cover
from bookorbit_desktop.library.journal import record, run, steps
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.reading.edits import save_edit
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, ReadingState, database
from bookorbit_desktop.library.store.user_edits import edited_fields
from tests.factories import add_book


def test_an_edit_is_undone_and_redone(library):
    book = add_book("Emma", ("Jane Austin",))
    edit_books([book.id], BookChanges(title="Emma.", authors=["Jane Austen"]), library)
    assert steps.next_undo().label == "Edit “Emma”"

    done = run.undo(library)
    assert done.text() == "Undid Edit “Emma”."
    stored = Book.get_by_id(book.id)
    assert (stored.title, stored.sort_title, stored.author_names()) == (
        "Emma", "emma", ["Jane Austin"])  # fmt: skip
    assert edited_fields(book.id) == set()  # the marks went with the values
    assert steps.next_undo() is None and steps.next_redo().label == "Edit “Emma”"

    assert run.redo(library).text() == "Redid Edit “Emma”."
    stored = Book.get_by_id(book.id)
    assert (stored.title, stored.author_names()) == ("Emma.", ["Jane Austen"])
    assert edited_fields(book.id) == {"title", "authors"}
    assert run.redo(library) is None


def test_a_field_changed_since_is_left_and_named(library):
    book = add_book("Emma", series=None)
    edit_books([book.id], BookChanges(title="Emma 2", series="Novels"), library)
    # An import (or anything outside the journal) changes the title since.
    Book.update(title="Emma, a Novel").where(Book.id == book.id).execute()

    done = run.undo(library)
    stored = Book.get_by_id(book.id)
    assert (stored.title, stored.series) == ("Emma, a Novel", None)
    assert done.skipped == ("“Emma, a Novel”: title left as it is (changed since)",)
    assert "Left as it is: “Emma, a Novel”: title" in done.text()


def test_several_books_edited_at_once_are_one_step(library):
    ids = [add_book(f"Book {n}", series=None).id for n in range(3)]
    edit_books(ids, BookChanges(series="Saga"), library)
    assert steps.next_undo().label == "Edit 3 Books"
    run.undo(library)
    assert {b.series for b in Book.select()} == {None}


def test_a_reading_change_is_undone_and_queued_for_hardcover(library):
    book = add_book("Emma", status="reading")
    save_edit(book.id, rating="4")
    assert steps.next_undo().label == "Rate “Emma”"
    outbox.take(book.id, None)  # the rating was pushed

    run.undo(library)
    assert ReadingState.get_by_id(book.id).rating is None
    queued = outbox.queued([book.id])
    assert queued and outbox.RATING in queued[0].kinds  # the next sync sends the old rating


def test_a_status_change_brings_its_dates_back(library):
    book = add_book("Emma", status="unread")
    save_edit(book.id, status="read", finished="2024-05-01")
    run.undo(library)
    state = ReadingState.get_by_id(book.id)
    assert (state.status, state.finished, state.finished_source) == ("unread", None, None)
    run.redo(library)
    state = ReadingState.get_by_id(book.id)
    assert (state.status, state.finished, state.finished_source) == ("read", "2024-05-01", "user")


def test_an_undone_cover_edit_brings_the_old_image_back(library, tmp_path):
    book = add_book("Emma")
    for name, colour in (("first", (200, 10, 10)), ("second", (10, 10, 200))):
        image = tmp_path / f"{name}.png"
        Image.new("RGB", (300, 450), colour).save(image)
        edit_books([book.id], BookChanges(cover=parse_cover(image)), library)
        if name == "first":
            first = cover_file(library, Book.get_by_id(book.id).cover_path).read_bytes()
    run.undo(library)
    assert cover_file(library, Book.get_by_id(book.id).cover_path).read_bytes() == first
    run.undo(library)
    assert Book.get_by_id(book.id).cover_path is None


def test_a_bulk_action_is_one_step_named_by_its_count(library):
    ids = [add_book(f"Book {n}", series=None).id for n in range(3)]
    step = record.start_step(record.EDIT, "Fill Empty Fields", 1.0)
    for book_id in ids[:2]:
        edit_books([book_id], BookChanges(series="Saga"), library, step=step)
        edit_books([book_id], BookChanges(publisher="Press"), library, step=step)
    assert record.finish_step(step, lambda n: f"Fill Empty Fields ({n} books)") == 2
    [only] = steps.history()
    assert only.label == "Fill Empty Fields (2 books)"
    assert sorted(only.entries[0].after) == ["marks", "publisher", "series"]
    run.undo(library)
    assert {(b.series, b.publisher) for b in Book.select()} == {(None, None)}


def test_a_bulk_step_that_changed_nothing_is_dropped(library):
    step = record.start_step(record.EDIT, "Fill Empty Fields", 1.0)
    assert record.finish_step(step, str) == 0
    assert steps.history() == []


def test_a_new_step_ends_the_redo(library):
    book = add_book("Emma")
    edit_books([book.id], BookChanges(title="One"), library)
    run.undo(library)
    edit_books([book.id], BookChanges(title="Two"), library)
    assert steps.next_redo() is None
    assert [s.label for s in steps.history()] == ["Edit “Emma”"]


def test_the_journal_keeps_the_latest_steps(library, monkeypatch):
    monkeypatch.setattr(steps, "KEEP", 3)
    book = add_book("Emma")
    for n in range(5):
        save_edit(book.id, rating=str(n + 1))
    assert [s.label for s in steps.history()] == ["Rate “Emma”"] * 3
    for _ in range(3):
        run.undo(library)
    assert run.undo(library) is None
    assert ReadingState.get_by_id(book.id).rating == 2.0  # the two oldest are not kept


def test_a_failed_edit_records_nothing(library):
    book = add_book("Emma")
    with pytest.raises(ValueError), record.recording("Edit", [book.id], paths=library):
        Book.update(title="Gone").where(Book.id == book.id).execute()
        raise ValueError("the edit failed")
    assert Book.get_by_id(book.id).title == "Emma"
    assert steps.history() == []


def test_undo_of_a_removed_book_says_so(library):
    book = add_book("Emma")
    keep = add_book("Persuasion")
    edit_books([book.id, keep.id], BookChanges(series="Austen"), library)
    Book.delete().where(Book.id == book.id).execute()
    done = run.undo(library)
    assert done.skipped == (f"Book {book.id} is no longer in the library",)
    assert Book.get_by_id(keep.id).series is None


def test_another_journal_joins_by_registering_its_kind(library, monkeypatch):
    from bookorbit_desktop.library.journal import kinds
    from bookorbit_desktop.library.journal.kinds import Outcome, StepKind

    calls = []

    def move(name):
        return lambda step, paths, now: calls.append((name, step.label)) or Outcome(books=1)

    monkeypatch.setitem(kinds.KINDS, "tidy", StepKind(move("undo"), move("redo"), str))
    record.start_step("tidy", "Tidy 4 Files", 1.0)
    assert run.undo(library).text() == "Undid Tidy 4 Files."
    assert run.redo(library).text() == "Redid Tidy 4 Files."
    assert calls == [("undo", "Tidy 4 Files"), ("redo", "Tidy 4 Files")]


def test_a_step_of_an_unknown_kind_is_refused(library):
    record.start_step("newer", "Something Newer", 1.0)
    with pytest.raises(InvalidValueError, match="a kind of step this version cannot undo"):
        run.undo(library)
    assert steps.next_undo().label == "Something Newer"  # left as it is


def test_a_dropped_step_lets_its_cover_images_go(library, tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "KEEP", 1)
    book = add_book("Emma")
    image = tmp_path / "cover.png"
    Image.new("RGB", (300, 450), (200, 10, 10)).save(image)
    edit_books([book.id], BookChanges(cover=parse_cover(image)), library)
    kept = library.data_dir / "journal" / "covers"
    assert len(list(kept.glob("*.jpg"))) == 1
    edit_books([book.id], BookChanges(title="Emma."), library)  # the cover step is dropped
    assert list(kept.glob("*.jpg")) == []


def test_an_undo_that_another_process_took_meanwhile_is_not_taken_twice(library, monkeypatch):
    """The window and a command both asked for Undo: the one that finds its step taken by the
    other while it waited for the write lock takes the step before it, not the same one again."""
    book = add_book("Emma", series=None)
    edit_books([book.id], BookChanges(title="Emma 2"), library)
    edit_books([book.id], BookChanges(title="Emma 3"), library)
    latest, found = steps.next_undo, []

    def other_undo_meanwhile(**kwargs):
        step = latest(**kwargs)
        if not found:  # the other process's Undo, on its own connection, just after this read
            found.append(step)
            other = threading.Thread(target=lambda: (run.undo(library), database.close()))
            other.start()
            other.join()
        return step

    monkeypatch.setattr(steps, "next_undo", other_undo_meanwhile)
    assert run.undo(library).text() == "Undid Edit “Emma”."  # the step before
    assert Book.get_by_id(book.id).title == "Emma"
    assert steps.next_undo() is None


def test_an_edit_of_the_languages_is_undone_and_redone_whole(library):
    """Only the second language changed: undo and redo still move the whole list."""
    from bookorbit_desktop.library.store.languages import languages_of

    book = add_book("Le Petit Prince", ("Antoine de Saint-Exupéry",), language="fr")
    edit_books([book.id], BookChanges(language=("fr", "en")), library)
    run.undo(library)
    assert languages_of([book.id])[book.id] == ["fr"]
    run.redo(library)
    assert languages_of([book.id])[book.id] == ["fr", "en"]
    assert Book.get_by_id(book.id).language == "fr"
