"""Storing pushes, linking documents to books and the reading state they drive (real SQLite)."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.link_proposal import BY_TITLE, Proposal, propose_book
from bookorbit_desktop.library.reading.pushes import DocumentMetadata, Push
from bookorbit_desktop.library.reading.resolution import Resolution
from bookorbit_desktop.library.reading.rules import Change
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    ALIAS_FILENAME,
    ALIAS_MANUAL,
    ALIAS_METADATA,
    DocumentAlias,
    ProgressEvent,
    ReadingState,
)
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book


def at(day: date, hour: int = 12) -> int:
    return int(datetime(day.year, day.month, day.day, hour).timestamp())


MAY1, MAY3, JUN1 = date(2026, 5, 1), date(2026, 5, 3), date(2026, 6, 1)


def push(document: str, percentage: float, when: int, **kwargs) -> progress.PushResult:
    fields = {"progress": f"/body/p[{int(percentage * 100)}]", "device": "Kobo"} | kwargs
    return progress.record_push(Push(document, percentage=percentage, **fields), timestamp=when)


def alias(document: str, book, kind: str = ALIAS_CONTENT) -> None:
    DocumentAlias.create(document=document, kind=kind, book=book, created_at=time.time())


def state_of(book) -> ReadingState:
    return ReadingState.get_by_id(book.id)


def test_an_unknown_document_is_stored_and_answered(library):
    result = push("unknown", 0.4, at(MAY1))
    assert result == progress.PushResult(book_id=None)
    position = progress.latest_position("unknown")
    assert position == progress.Position("unknown", 0.4, "/body/p[40]", "Kobo", None, at(MAY1))
    assert progress.latest_position("never") is None


def test_a_linked_push_starts_the_book(library):
    book = add_book("Linked")
    alias("doc", book)
    result = push("doc", 0.3, at(MAY1), device_id="DEV")
    assert (result.book_id, result.reading_changed) == (book.id, True)
    assert result.changes == (Change.STARTED, Change.PROGRESS)
    row = state_of(book)
    assert (row.status, row.progress, row.started, row.finished) == (
        "reading",
        0.3,
        "2026-05-01",
        None,
    )
    assert row.koreader_progress == "/body/p[30]"
    assert ProgressEvent.get(ProgressEvent.document == "doc").book_id == book.id


def test_the_same_position_again_changes_nothing_worth_reporting(library):
    book = add_book("Same")
    alias("doc", book)
    push("doc", 0.3, at(MAY1))
    again = push("doc", 0.3, at(MAY1) + 60)
    assert (again.book_id, again.changes, again.reading_changed) == (book.id, (), False)


def test_the_finish_threshold_setting_applies(library):
    book = add_book("Threshold")
    alias("doc", book)
    set_setting("reading.finish_threshold", 0.9)
    push("doc", 0.92, at(MAY1))
    assert state_of(book).status == "read"
    set_setting("reading.finish_threshold", "nonsense")
    assert progress.finish_threshold() == 0.995


def test_pull_returns_the_newest_push_of_any_device(library):
    push("doc", 0.5, at(MAY1), device="Kobo", device_id="A")
    push("doc", 0.2, at(MAY1) + 1, device="PocketBook", device_id="B")
    position = progress.latest_position("doc")
    assert (position.device, position.device_id, position.percentage) == ("PocketBook", "B", 0.2)


def test_a_read_book_pushed_low_is_not_reopened(library):
    book = add_book("Done", status="read")
    alias("doc", book)
    result = push("doc", 0.05, at(MAY1))
    assert result.changes == (Change.PUSH_AFTER_FINISH,) and not result.reading_changed
    assert state_of(book).status == "read"
    assert state_of(book).koreader_progress == "/body/p[5]"  # the position is still recorded


@pytest.mark.parametrize(
    ("aliases", "expected"),
    [
        ([(1, ALIAS_CONTENT)], Resolution(book_id=1)),
        ([(1, ALIAS_CONTENT), (2, ALIAS_CONTENT)], Resolution(candidates=(1, 2))),
        (
            [(1, ALIAS_CONTENT), (2, ALIAS_CONTENT), (2, ALIAS_MANUAL)],
            Resolution(book_id=2),
        ),
        ([(1, ALIAS_FILENAME), (2, ALIAS_CONTENT)], Resolution(book_id=2)),
        ([(1, ALIAS_METADATA), (2, ALIAS_FILENAME)], Resolution(book_id=2)),
        ([(1, ALIAS_METADATA)], Resolution(book_id=1)),
        ([], Resolution()),
    ],
)
def test_resolution_prefers_the_strongest_kind_and_never_guesses(library, aliases, expected):
    books = {1: add_book("One"), 2: add_book("Two")}
    for book_id, kind in aliases:
        alias("doc", books[book_id], kind)
    assert progress.resolve_document("doc") == expected


def test_a_colliding_document_stays_unlinked_until_the_user_links_it(library):
    first, second = add_book("First"), add_book("Second")
    alias("shared", first)
    alias("shared", second)
    push("shared", 0.2, at(MAY1))
    push("shared", 0.4, at(MAY3))
    (listed,) = progress.unlinked_documents()
    assert (listed.document, listed.candidates, listed.pushes) == (
        "shared",
        (first.id, second.id),
        2,
    )

    result = progress.link_document("shared", second.id, now=float(at(JUN1)))
    assert (result.book_id, result.events_moved, result.reading_changed) == (second.id, 2, True)
    row = state_of(second)
    # History is replayed on its own dates: started when the first push happened.
    assert (row.status, row.progress, row.started) == ("reading", 0.4, "2026-05-01")
    assert state_of(first).status == "unread"
    assert progress.unlinked_documents() == []
    assert push("shared", 0.5, at(JUN1)).book_id == second.id


def test_relinking_moves_the_history_to_the_new_book(library):
    wrong, right = add_book("Wrong"), add_book("Right")
    push("doc", 0.3, at(MAY1))
    progress.link_document("doc", wrong.id, now=1.0)
    result = progress.link_document("doc", right.id, now=2.0)
    assert result.events_moved == 1
    assert [
        a.book_id for a in DocumentAlias.select().where(DocumentAlias.kind == ALIAS_MANUAL)
    ] == [right.id]
    assert progress.resolve_document("doc").book_id == right.id
    assert state_of(right).status == "reading"


def test_linking_to_a_missing_book_says_what_to_do(library):
    with pytest.raises(NotFoundError, match="no book with id 99"):
        progress.link_document("doc", 99, now=1.0)


def test_pushes_before_the_import_are_adopted_by_the_next_push(library):
    push("early", 0.2, at(MAY1))
    push("early", 0.6, at(MAY3))
    book = add_book("Imported later")
    alias("early", book)
    result = push("early", 0.7, at(JUN1))
    assert result.book_id == book.id and result.reading_changed
    row = state_of(book)
    assert (row.status, row.progress, row.started) == ("reading", 0.7, "2026-05-01")
    assert ProgressEvent.select().where(ProgressEvent.book.is_null()).count() == 0


def test_adopt_documents_catches_up_without_a_push(library):
    push("early", 0.998, at(MAY3))
    book = add_book("Imported later")
    alias("early", book)
    (linked,) = progress.adopt_documents()
    assert (linked.book_id, linked.events_moved, linked.reading_changed) == (book.id, 1, True)
    row = state_of(book)
    assert (row.status, row.started, row.finished) == ("read", "2026-05-03", "2026-05-03")
    assert progress.adopt_documents() == []


def test_older_history_linked_later_does_not_move_progress_back(library):
    book = add_book("Two files")
    alias("new-file", book)
    push("old-file", 0.9, at(MAY1))
    push("new-file", 0.3, at(JUN1))
    progress.link_document("old-file", book.id, now=float(at(JUN1)))
    row = state_of(book)
    assert (row.progress, row.started) == (0.3, "2026-05-01")


def test_metadata_naming_one_book_proposes_it_and_never_links_it(library):
    book = add_book("Leaves of Grass", ["Walt Whitman"])
    add_book("Leaves of Grass", ["Someone Else"])
    meta = DocumentMetadata(title="Leaves of Grass", authors="Walt Whitman", filename="l.epub")
    assert push("sideloaded", 0.3, at(MAY1), metadata=meta).book_id is None
    assert not DocumentAlias.select().where(DocumentAlias.document == "sideloaded").exists()
    assert state_of(book).status == "unread"  # no size or content named it: not read here
    assert propose_book("sideloaded") == Proposal(book.id, BY_TITLE)
    progress.link_document("sideloaded", book.id, now=float(at(MAY3)))  # the user's word
    assert state_of(book).progress == 0.3


@pytest.mark.parametrize(
    "meta",
    [
        DocumentMetadata(title="Twins", authors="Ann Author"),  # two books match
        DocumentMetadata(title="Twins"),  # no authors
        DocumentMetadata(filename="twins.epub"),
    ],
)
def test_metadata_that_does_not_single_out_a_book_links_nothing(library, meta):
    add_book("Twins", ["Ann Author"])
    add_book("Twins", ["Ann Author"])
    assert push("twin-doc", 0.3, at(MAY1), metadata=meta).book_id is None


def test_unlinked_listing_keeps_the_newest_metadata_and_the_newest_position(library):
    push("doc", 0.1, at(MAY1), metadata=DocumentMetadata(title="Old", authors="A"))
    push("doc", 0.2, at(MAY1) + 5, metadata=DocumentMetadata(title="New", filename="n.epub"))
    push("doc", 0.3, at(MAY3), device="PocketBook", device_id="PB")
    (listed,) = progress.unlinked_documents()
    assert (listed.title, listed.authors, listed.filename) == ("New", None, "n.epub")
    assert (listed.device, listed.device_id, listed.percentage, listed.pushes) == (
        "PocketBook",
        "PB",
        0.3,
        3,
    )


def test_sync_summary(library):
    book = add_book("Linked")
    alias("linked", book)
    push("linked", 0.2, at(MAY1))
    push("orphan", 0.5, at(MAY3))
    summary = progress.sync_summary()
    assert (summary.documents, summary.pushes, summary.unlinked) == (2, 2, 1)
    assert summary.last_push.document == "orphan"
