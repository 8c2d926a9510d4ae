"""Bringing in calibre libraries made by calibre itself (tests/data/calibre/make.sh), field by
field, on a real library, with calibre's metadata.db only ever read."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.categories.custom import any_category
from bookorbit_desktop.library.custom import store
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.importer.calibre import apply
from bookorbit_desktop.library.importer.calibre.apply import import_calibre
from bookorbit_desktop.library.importer.calibre.links import custom_values
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.run import undo
from bookorbit_desktop.library.store.languages import languages_of
from bookorbit_desktop.library.store.models import Author, Book, BookFile, ReadingState
from bookorbit_desktop.library.tags.store import book_tags

DATA = Path(__file__).parents[2] / "data" / "calibre"


@pytest.fixture
def calibre(tmp_path) -> Path:
    """A copy of the calibre-made library (the tests may change it as calibre would)."""
    return Path(shutil.copytree(DATA / "library", tmp_path / "calibre"))


def calibre_connection(db: Path) -> sqlite3.Connection:
    """A connection to calibre's database as calibre opens it: its triggers call these."""
    con = sqlite3.connect(db)
    con.create_function("title_sort", 1, lambda title: title)
    con.create_function("uuid4", 0, lambda: "00000000-0000-4000-8000-000000000000")
    return con


def by_title() -> dict[str, Book]:
    return {book.title: book for book in Book.select()}


def authors(book: Book) -> list[tuple[str, str]]:
    rows = sorted(book.book_authors, key=lambda row: row.position)
    return [(row.author.name, row.author.sort_name) for row in rows]


@pytest.mark.parametrize("batch", [1, 2, apply.BATCH])
def test_every_field_comes_in_and_the_files_stay_where_they_are(
    library, calibre, monkeypatch, batch
):
    """Each book its own fields, however the books are cut into batches."""
    monkeypatch.setattr(apply, "BATCH", batch)
    summary = import_calibre(calibre, library, status_column="#read")

    assert (summary.books, summary.brought, summary.missing) == (3, 3, [])
    books = by_title()
    dune = books["Dune"]
    assert authors(dune) == [("Frank Herbert", "Herbert, Frank")]
    assert (dune.series, dune.series_index) == ("Dune Chronicles", 1.0)
    assert (dune.publisher, dune.published, dune.language) == ("Chilton", "1965-08-02", "en")
    assert dune.identifiers == {
        "isbn": "9780441013593",
        "goodreads": "234225",
        "hardcover": "dune",
    }
    assert dune.isbn13 == "9780441013593"
    assert dune.description == "<p>A <b>desert</b> planet.</p>"  # the script cleaned away
    assert (library.data_dir / dune.cover_path).is_file()
    assert sorted(book_tags([dune.id])[dune.id]) == ["classic", "fiction.sf"]
    state = ReadingState.get(ReadingState.book == dune.id)
    assert (state.status, state.rating) == ("read", 4.0)
    emma = books["Emma"]
    assert authors(emma) == [
        ("Jane Austen", "Austen, Jane"),
        ("Anonymous Editor", "Editor, Anonymous"),
    ]
    assert ReadingState.get(ReadingState.book == emma.id).rating == 5.0
    # calibre's "eng, fra", in calibre's order; the first is the book's main language.
    assert (languages_of([emma.id])[emma.id], emma.language) == (["en", "fr"], "en")
    assert languages_of([dune.id])[dune.id] == ["en"]
    assert ReadingState.get(ReadingState.book == emma.id).status == "unread"  # #read: no
    for file in BookFile.select():
        assert Path(file.path).is_relative_to(calibre.resolve())  # in place, no copy
    assert len(list(library.data_dir.rglob("*.epub"))) == 0


def test_every_custom_column_type_keeps_its_values(library, calibre):
    import_calibre(calibre, library)

    books = by_title()
    assert custom_values(books["Dune"].id) == {
        "read": True,
        "status": "Done",
        "notes": "<p>Loved <i>it</i></p>",
        "pages": 412,
        "score": 9.5,
        "stars": 3.0,
        "bought": "2020-03-04",
        "shelf": "Living room",
        "moods": ["dark", "epic"],
        "saga": "Arrakis [2]",  # as calibre shows a whole number
        "date_read": "2021-05-06",
    }
    assert custom_values(books["Emma"].id) == {"read": False, "status": "Reading"}
    assert custom_values(books["Plain"].id) == {}


def test_calibres_series_column_is_a_series_listed_by_its_name(library, calibre):
    import_calibre(calibre, library)

    saga = store.by_label("saga")
    assert saga is not None and saga.kind_name == "series"
    category = any_category(saga.key)
    assert category is not None and list(category.rows) == [("Arrakis", 1)]
    assert category.search("Arrakis") == '#saga:="Arrakis"'


def test_metadata_db_is_never_written_nor_locked_against_calibre(library, calibre):
    db = calibre / "metadata.db"
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    calibre_side = calibre_connection(db)
    calibre_side.execute("BEGIN EXCLUSIVE")  # calibre in the middle of a write
    calibre_side.execute("UPDATE books SET title = 'Dune (being edited)' WHERE id = 1")
    try:
        summary = import_calibre(calibre, library)
    finally:
        calibre_side.rollback()
        calibre_side.close()

    assert summary.brought == 3
    assert "Dune" in by_title()
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert sorted(p.name for p in calibre.iterdir() if p.is_file()) == ["metadata.db"]


def test_a_second_run_brings_what_changed_and_the_users_edits_win(library, calibre):
    import_calibre(calibre, library)
    books = by_title()
    edit_books([books["Emma"].id], BookChanges(title="Emma (annotated)"), library)
    with calibre_connection(calibre / "metadata.db") as con:  # calibre edits two books
        con.execute(
            "UPDATE books SET title = 'Emma, a Novel', last_modified = '2030-01-01 00:00:00+00:00'"
            " WHERE id = 2"
        )
        con.execute(
            "UPDATE books SET sort = 'Plain Tale', title = 'Plain Tale',"
            " last_modified = '2030-01-01 00:00:00+00:00' WHERE id = 3"
        )

    summary = import_calibre(calibre, library)

    # Plain changed; Emma's new title lost to the user's; Dune, unchanged in calibre, was not read.
    assert summary.brought == 1
    titles = set(by_title())
    assert titles == {"Dune", "Emma (annotated)", "Plain Tale"}


def test_a_second_run_brings_calibres_languages_unless_the_user_set_them(library, calibre):
    import_calibre(calibre, library)
    books = by_title()
    edit_books([books["Emma"].id], BookChanges(language=("de",)), library)
    with calibre_connection(calibre / "metadata.db") as con:  # both now French, then English
        con.execute("INSERT INTO books_languages_link (book, lang_code) VALUES (3, 2)")
        con.execute("DELETE FROM books_languages_link WHERE book = 3 AND lang_code = 1")
        con.execute("INSERT INTO books_languages_link (book, lang_code) VALUES (3, 1)")
        con.execute("DELETE FROM books_languages_link WHERE book = 2")
        con.execute("INSERT INTO books_languages_link (book, lang_code) VALUES (2, 2), (2, 1)")
        con.execute("UPDATE books SET last_modified = '2030-01-01 00:00:00+00:00' WHERE id > 1")

    import_calibre(calibre, library)

    emma, plain = books["Emma"].id, books["Plain"].id
    assert languages_of([emma, plain]) == {emma: ["de"], plain: ["fr", "en"]}
    assert Book.get_by_id(plain).language == "fr"


def test_the_import_is_one_undo_step(library, calibre):
    import_calibre(calibre, library)

    done = undo(library)

    assert done is not None
    dune = by_title()["Dune"]
    assert (dune.publisher, dune.series, dune.identifiers.get("goodreads")) == (None, None, None)
    emma = by_title()["Emma"]
    assert languages_of([emma.id])[emma.id] == ["en"]  # its file's, as before the import
    assert Author.get(Author.name == "Frank Herbert")  # the file's own author stays


def test_a_missing_file_is_listed_and_the_others_come_in(library, tmp_path):
    broken = Path(shutil.copytree(DATA / "broken", tmp_path / "broken"))

    summary = import_calibre(broken, library)

    assert [p.name for p in summary.missing] == ["Emma - Jane Austen.epub"]
    assert set(by_title()) == {"Dune", "Plain"}


def test_a_truncated_metadata_db_is_refused_and_nothing_is_written(library, tmp_path):
    truncated = Path(shutil.copytree(DATA / "truncated", tmp_path / "truncated"))

    with pytest.raises(InvalidValueError, match="cannot be read as a calibre library"):
        import_calibre(truncated, library)
    with pytest.raises(InvalidValueError, match=r"has no metadata\.db"):
        import_calibre(tmp_path, library)

    assert Book.select().count() == 0


def test_an_unknown_status_column_is_refused(library, calibre):
    with pytest.raises(InvalidValueError, match=r"no column #finished .*#read"):
        import_calibre(calibre, library, status_column="#finished")
    assert Book.select().count() == 0


def test_a_library_calibre_keeps_writing_while_it_is_read_is_refused(library, calibre, monkeypatch):
    """calibre holds its write lock and writes the file during every unlocked read: nothing is
    taken from the file half written, and the import is refused with what to do."""
    from bookorbit_desktop.library.importer.calibre import reader

    db = calibre / "metadata.db"
    calibre_side = calibre_connection(db)
    calibre_side.execute("BEGIN EXCLUSIVE")
    real = reader._connect
    reads = []

    def writing_meanwhile(path, immutable):
        if immutable:
            reads.append(path)
            os.utime(db, ns=(time.time_ns(), time.time_ns() + len(reads)))  # calibre writes
        return real(path, immutable)

    monkeypatch.setattr(reader, "_connect", writing_meanwhile)
    try:
        with pytest.raises(InvalidValueError, match="calibre kept writing"):
            import_calibre(calibre, library)
    finally:
        calibre_side.rollback()
        calibre_side.close()
    assert len(reads) == reader.TRIES
    assert by_title() == {}


def test_the_finish_column_dates_the_books_the_status_column_marks_read(library, calibre):
    summary = import_calibre(calibre, library, status_column="#read", finished_column="#date_read")

    assert summary.undated == 0
    dune = ReadingState.get(ReadingState.book == by_title()["Dune"].id)
    assert (dune.status, dune.finished, dune.finished_source) == ("read", "2021-05-06", "user")
    assert dune.started is None  # calibre does not say when it began


def test_without_a_finish_column_a_book_marked_read_has_no_finish_date(library, calibre):
    with calibre_connection(calibre / "metadata.db") as con:  # calibre's record changed lately
        con.execute("UPDATE books SET last_modified = '2030-01-01 00:00:00+00:00' WHERE id = 1")

    summary = import_calibre(calibre, library, status_column="#read")

    assert (summary.undated, summary.finished_column) == (1, None)
    dune = ReadingState.get(ReadingState.book == by_title()["Dune"].id)
    assert (dune.status, dune.finished) == ("read", None)  # not calibre's last_modified


@pytest.mark.parametrize(
    ("status", "finished", "message"),
    [
        (None, "#date_read", "name the status column too"),
        ("#read", "#shelf", "#shelf holds no dates"),
        ("#read", "#finished", r"no column #finished .*#date_read"),
        ("#pages", None, "#pages cannot give a reading status"),  # a number
        ("#notes", None, "#notes cannot give a reading status"),  # long comments
        ("#moods", None, "#moods cannot give a reading status"),  # a list of tags
    ],
)
def test_a_finish_column_that_cannot_date_the_reads_is_refused(
    library, calibre, status, finished, message
):
    with pytest.raises(InvalidValueError, match=message):
        import_calibre(calibre, library, status_column=status, finished_column=finished)
    assert Book.select().count() == 0


def test_cancelled_among_the_fields_the_books_done_are_one_step_and_a_run_again_goes_on(
    library, calibre, monkeypatch
):
    monkeypatch.setattr(apply, "BATCH", 1)
    done: list[tuple[int, int]] = []

    summary = import_calibre(
        calibre, library, on_books=lambda *step: done.append(step), should_cancel=lambda: bool(done)
    )

    assert done == [(1, 3)]
    assert (summary.cancelled, summary.brought) == (True, 1)
    step = steps.next_undo()
    assert step.label == "Add calibre Library (1 books)"
    assert [by_title()["Dune"].publisher] == ["Chilton"]  # calibre's first book, done
    assert {e.book_id for e in step.entries} == {by_title()["Dune"].id}

    again = import_calibre(calibre, library, on_books=lambda *step: done.append(step))

    assert (again.cancelled, again.brought) == (False, 2)  # the other two
    assert done[1:] == [(1, 2), (2, 2)]
    assert undo(library).label == "Add calibre Library (2 books)"
    assert undo(library).label == "Add calibre Library (1 books)"
    assert by_title()["Dune"].publisher is None


def test_cancelled_among_the_files_no_field_is_laid_on(library, calibre):
    summary = import_calibre(calibre, library, should_cancel=lambda: True)

    assert summary.cancelled and summary.files.cancelled
    assert summary.brought == 0
    assert steps.next_undo() is None
    assert import_calibre(calibre, library).brought == 3  # a run again brings them all
