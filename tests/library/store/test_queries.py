"""Listing books as plain data and editing reading state, against a real library."""

from __future__ import annotations

import datetime
import json

import pytest

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.reading.marking import DateNeededError
from bookorbit_desktop.library.store.models import (
    ALIAS_MANUAL,
    BookFile,
    DocumentAlias,
    ProgressEvent,
    ReadingState,
)
from bookorbit_desktop.library.store.queries import get_book, list_books, listing_lines
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub

TODAY = datetime.date(2024, 6, 15)


def test_list_books_is_json_ready_and_complete(library, tmp_path):
    make_epub(tmp_path / "b.epub", "The Beta", ("Bo Writer", "Al Writer"), isbn="9780306406157")
    make_epub(tmp_path / "a.epub", "Alpha", ("Al Writer",))
    import_paths([tmp_path], library)
    books = list_books()
    json.dumps(books)  # nothing but plain data
    assert [b["title"] for b in books] == ["Alpha", "The Beta"]  # "beta, the" sorts after
    beta = books[1]
    assert beta["authors"] == ["Bo Writer", "Al Writer"]
    assert beta["creators"][0] == {"name": "Bo Writer", "sort_name": "Writer, Bo", "role": "aut"}
    assert (beta["isbn13"], beta["isbn10"]) == ("9780306406157", "0306406152")
    [file] = beta["files"]
    assert file["format"] == "epub" and file["missing"] is False
    assert {d["kind"] for d in file["documents"]} == {"content", "filename"}
    assert file["partial_md5"] in {d["document"] for d in file["documents"]}
    assert beta["reading"] == {
        "status": "unread",
        "progress": 0.0,
        "koreader_progress": None,
        "started": None,
        "finished": None,
        "rating": None,
        "updated_at": beta["reading"]["updated_at"],
    }


def test_manual_aliases_without_a_file_are_listed_separately(library):
    book = add_book("Linked")
    DocumentAlias.create(document="f" * 32, kind=ALIAS_MANUAL, book=book, created_at=1.0)
    assert get_book(book.id)["other_documents"] == [{"document": "f" * 32, "kind": "manual"}]


def test_get_book_not_found(library):
    with pytest.raises(NotFoundError, match="no book with id 42"):
        get_book(42)
    with pytest.raises(NotFoundError):
        update_reading_state(42, status="read")


def test_list_books_filtered_and_empty(library):
    assert list_books() == []
    first, second = add_book("One"), add_book("Two")
    assert [b["id"] for b in list_books([second.id])] == [second.id]
    assert {b["id"] for b in list_books([first.id, second.id, 999])} == {first.id, second.id}


def test_edit_every_field(library):
    book = add_book("Edited")
    reading = update_reading_state(
        book.id,
        status="reading",
        progress="45%",
        started="2024-06-01",
        rating="4.5",
        now=123.0,
        today=TODAY,
    )
    assert reading["status"] == "reading"
    assert reading["progress"] == pytest.approx(0.45)
    assert (reading["started"], reading["finished"], reading["rating"]) == ("2024-06-01", None, 4.5)
    assert reading["updated_at"] == 123.0
    cleared = update_reading_state(book.id, rating=None, today=TODAY)
    assert cleared["rating"] is None
    assert cleared["status"] == "reading" and cleared["started"] == "2024-06-01"


def test_status_brings_the_dates_the_evidence_gives_never_the_clicks_day(library):
    book = add_book("Finished")
    # Nothing says when it ended: the user is asked (today is theirs to choose).
    with pytest.raises(DateNeededError):
        update_reading_state(book.id, status="read", today=TODAY)
    read = update_reading_state(book.id, status="read", finished="2024-06-15", today=TODAY)
    # Marking a book read says when it ended, not when it began: no start date is invented.
    assert (read["started"], read["finished"]) == (None, "2024-06-15")
    other = add_book("Backdated")
    read = update_reading_state(
        other.id, status="read", started="2024-01-01", finished="2024-02-01", today=TODAY
    )
    assert (read["started"], read["finished"]) == ("2024-01-01", "2024-02-01")
    reading = update_reading_state(add_book("Begun").id, status="reading", today=TODAY)
    assert (reading["status"], reading["started"]) == ("reading", None)


def test_a_start_the_edit_implies_comes_from_the_first_push_with_its_source(library):
    book = add_book("Pushed")
    pushed_at = datetime.datetime(2024, 6, 2, 12).timestamp()
    ProgressEvent.create(document="d", book=book.id, device="kobo", percentage=0.1,
                         progress="/body", timestamp=int(pushed_at))  # fmt: skip
    update_reading_state(book.id, progress="40%", today=TODAY)
    state = ReadingState.get(ReadingState.book == book.id)
    assert (state.status, state.started, state.started_source) == ("reading", "2024-06-02", "sync")


def test_a_finish_date_given_with_the_status_is_not_refused_for_the_implied_start(library):
    never_started = add_book("Read Long Ago")
    read = update_reading_state(never_started.id, status="read", finished="2020-03-01", today=TODAY)
    assert (read["status"], read["started"], read["finished"]) == ("read", None, "2020-03-01")
    started = add_book("Started Before")
    update_reading_state(started.id, status="reading", started="2024-05-01", today=TODAY)
    with pytest.raises(InvalidValueError, match="before the start date 2024-05-01"):
        update_reading_state(started.id, status="read", finished="2024-04-01", today=TODAY)


@pytest.mark.parametrize(
    ("start", "edit", "after"),
    [
        # (status before, the edit, (status, progress, started, finished) after)
        # A start the edit implies comes from the evidence (none here), never the edit's day.
        ("unread", {"progress": "40%"}, ("reading", 0.4, None, None)),
        ("want_to_read", {"progress": 0.4}, ("reading", 0.4, None, None)),
        ("unread", {"progress": "0%"}, ("unread", 0.0, None, None)),
        # The status given in the same edit wins over the one the progress implies.
        (
            "unread",
            {"progress": "40%", "status": "want_to_read"},
            ("want_to_read", 0.4, None, None),
        ),
        ("unread", {"progress": "100%", "status": "on_hold"}, ("on_hold", 1.0, None, None)),
        # Dates given in the same edit win over the implied ones.
        (
            "unread",
            {"progress": "40%", "started": "2024-06-01"},
            ("reading", 0.4, "2024-06-01", None),
        ),
        (
            "unread",
            {"progress": "100%", "finished": "2024-03-01"},
            ("read", 1.0, None, "2024-03-01"),
        ),
    ],
)
def test_progress_by_hand_moves_the_status_like_a_push(library, start, edit, after):
    book = add_book("By Hand", status=start)
    saved = update_reading_state(book.id, **edit, today=TODAY)
    assert (saved["status"], saved["progress"], saved["started"], saved["finished"]) == after


def test_progress_by_hand_to_the_end_asks_when_it_ended(library):
    book = add_book("To the End")
    with pytest.raises(DateNeededError):
        update_reading_state(book.id, progress="100%", today=TODAY)
    state = ReadingState.get(ReadingState.book == book.id)
    assert (state.status, state.progress) == ("unread", 0.0)  # nothing written


def test_progress_by_hand_uses_the_finish_threshold_setting(library):
    set_setting("reading.finish_threshold", 0.9)
    book = add_book("Nearly")
    saved = update_reading_state(book.id, progress="92%", finished="2024-06-14", today=TODAY)
    assert saved["status"] == "read"
    other = add_book("Explicit")
    saved = update_reading_state(other.id, progress="92%", today=TODAY, finish_threshold=0.95)
    assert saved["status"] == "reading"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"status": "finished"}, "Unknown reading status"),
        ({"rating": "6"}, "out of range"),
        ({"rating": "3.3"}, "half step"),
        ({"progress": "1.2"}, "out of range"),
        ({"started": "2024-13-01"}, "not a date"),
        ({"finished": "2030-01-01"}, "in the future"),
        ({"started": "2024-05-02", "finished": "2024-05-01"}, "before the start date"),
    ],
)
def test_invalid_edits_change_nothing(library, edit, message):
    book = add_book("Guarded")
    update_reading_state(book.id, status="reading", started="2024-05-01", today=TODAY)
    before = ReadingState.get(ReadingState.book == book.id).__data__.copy()
    with pytest.raises(InvalidValueError, match=message):
        update_reading_state(book.id, **edit, today=TODAY)
    assert ReadingState.get(ReadingState.book == book.id).__data__ == before


def test_finish_date_is_checked_against_the_stored_start(library):
    book = add_book("Stored Start")
    update_reading_state(book.id, started="2024-05-10", today=TODAY)
    with pytest.raises(InvalidValueError, match="before the start date 2024-05-10"):
        update_reading_state(book.id, finished="2024-05-01", today=TODAY)


def test_a_book_without_a_reading_state_row_gets_one(library):
    book = add_book("No State")
    ReadingState.delete().execute()
    assert get_book(book.id)["reading"]["status"] == "unread"
    assert update_reading_state(book.id, rating=3, today=TODAY)["rating"] == 3.0
    assert ReadingState.select().count() == 1


def test_authors_are_the_aut_creators_else_everyone(library, tmp_path):
    from tests.library.books import build_epub, opf2

    build_epub(
        tmp_path / "a.epub",
        opf2(
            """<dc:title>Annotated</dc:title><dc:creator opf:role="edt">Ed Itor</dc:creator>
            <dc:creator opf:role="aut">Au Thor</dc:creator>"""
        ),
    )
    build_epub(
        tmp_path / "b.epub",
        opf2('<dc:title>Anthology</dc:title><dc:creator opf:role="edt">Ed Itor</dc:creator>'),
    )
    import_paths([tmp_path], library)
    books = {b["title"]: b for b in list_books()}
    assert books["Annotated"]["authors"] == ["Au Thor"]
    assert [c["role"] for c in books["Annotated"]["creators"]] == ["aut", "edt"]
    assert books["Anthology"]["authors"] == ["Ed Itor"]


def test_the_listing_lines_show_what_the_records_say(library, tmp_path):
    """`listing_lines` reads only what a line of `books` shows: each value is the one the
    book's full record gives (a book without a reading state is unread, formats once each)."""
    from tests.library.books import build_epub, opf2

    build_epub(
        tmp_path / "a.epub",
        opf2('<dc:title>Anthology</dc:title><dc:creator opf:role="edt">Ed Itor</dc:creator>'),
    )
    import_paths([tmp_path], library)
    anthology = list_books()[0]["id"]
    reading = add_book("Reading", ("Ann Author", "Bo Author"), status="reading").id
    update_reading_state(reading, progress="0.25", today=TODAY)
    stateless = add_book("Stateless", ()).id
    ReadingState.delete().where(ReadingState.book == stateless).execute()
    for number, suffix in enumerate(("pdf", "epub", "epub")):  # two of one format
        (tmp_path / f"{number}.{suffix}").write_bytes(b"x" * (number + 1))
        BookFile.create(
            book=reading,
            path=str(tmp_path / f"{number}.{suffix}"),
            format=suffix,
            size=number + 1,
            mtime=1.0,
            partial_md5=f"{number:032d}",
            added_at=1.0,
        )
    ids = [anthology, reading, stateless]
    lines = {line["id"]: line for line in listing_lines(reversed(ids))}
    assert lines[reading] == {
        "id": reading,
        "title": "Reading",
        "authors": ["Ann Author", "Bo Author"],
        "status": "reading",
        "progress": 0.25,
        "formats": ["epub", "pdf"],
    }
    assert (lines[stateless]["status"], lines[stateless]["progress"]) == ("unread", 0.0)
    assert lines[stateless]["authors"] == [] and lines[stateless]["formats"] == []
    assert lines[anthology]["authors"] == ["Ed Itor"]
    for book in list_books(ids):
        assert lines[book["id"]] == {
            "id": book["id"],
            "title": book["title"],
            "authors": book["authors"],
            "status": book["reading"]["status"],
            "progress": book["reading"]["progress"],
            "formats": sorted({file["format"] for file in book["files"]}),
        }
    assert listing_lines([]) == []
