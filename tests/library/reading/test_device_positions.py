"""Each device's last position in a book, and resets to the start (real SQLite)."""

from __future__ import annotations

import time

import pytest

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.reading import device_positions as dp
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    DocumentAlias,
    ReadingState,
    SyncOutbox,
)
from tests.factories import add_book

T0 = 1_790_000_000


def pulled(document: str) -> progress.Position:
    position = progress.latest_position(document)
    assert position is not None
    return position


def link(document: str, book) -> None:
    DocumentAlias.create(document=document, kind=ALIAS_CONTENT, book=book, created_at=time.time())


def push(document, percentage, when, device="Kobo", device_id=None, progress_text=None):
    text = progress_text or f"/body/DocFragment[12]/body/p[{int(percentage * 100)}]/text().3"
    return progress.record_push(Push(document, text, percentage, device, device_id), timestamp=when)


@pytest.mark.parametrize(
    ("pushed", "start"),
    [
        ("/body/DocFragment[12]/body/div/p[7]/text().123", "/body/DocFragment[1]"),
        ("/body/DocFragment/body/p[2]/text().0", "/body/DocFragment"),
        ("/FictionBook/body[2]/section[3]/p[1]/text().0", "/FictionBook/body[1]"),
        ("/FictionBook/body/section[3]/p[1]", "/FictionBook/body"),
        ("56", "1"),
        (" 3 ", "1"),
        ("", dp.FIRST_PART),
        ("/body", dp.FIRST_PART),
        ("garbage", dp.FIRST_PART),
    ],
)
def test_the_start_keeps_the_form_of_the_pushed_position(pushed, start):
    assert dp.start_of(pushed) == start


def test_each_device_shows_its_last_position_newest_first(library):
    book = add_book("Leaves")
    link("doc-epub", book)
    link("doc-pdf", book)
    push("doc-epub", 0.2, T0, "Kobo", "K1")
    push("doc-epub", 0.3, T0 + 10, "Kobo", "K1")
    push("doc-pdf", 0.5, T0 + 20, "Boox", None, progress_text="56")
    push("doc-epub", 0.25, T0 + 30, "Phone", "P1")
    found = dp.device_positions(book.id)
    assert [(p.device_key, p.device, p.percentage, p.timestamp) for p in found] == [
        ("P1", "Phone", 0.25, T0 + 30),
        ("Boox", "Boox", 0.5, T0 + 20),
        ("K1", "Kobo", 0.3, T0 + 10),
    ]
    assert found[1].progress == "56" and found[1].document == "doc-pdf"
    assert all(p.reset_at is None for p in found)


def test_a_reset_puts_every_device_at_the_start_and_answers_it_to_pulls(library):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.3, T0, "Kobo", "K1")
    push("doc", 0.6, T0 + 10, "Phone", "P1")
    result = dp.reset_progress(book.id, now=T0 + 100)
    assert result.documents == ("doc",) and set(result.devices) == {"K1", "P1"}
    pulled = progress.latest_position("doc")
    assert pulled == progress.Position(
        "doc", 0.0, "/body/DocFragment[1]", dp.RESET_DEVICE, dp.RESET_ID, T0 + 100
    )
    assert [(p.device_key, p.percentage, p.reset_at) for p in dp.device_positions(book.id)] == [
        ("P1", 0.0, T0 + 100),
        ("K1", 0.0, T0 + 100),
    ]
    push("doc", 0.02, T0 + 200, "Kobo", "K1")  # the Kobo reads on from the start
    kobo = dp.device_positions(book.id)[0]
    assert (kobo.device_key, kobo.percentage, kobo.reset_at) == ("K1", 0.02, None)


def test_a_one_device_reset_changes_only_the_document_it_reads(library):
    book = add_book("Leaves")
    link("epub", book)
    link("pdf", book)
    push("epub", 0.3, T0, "Kobo", "K1")
    push("epub", 0.6, T0 + 10, "Phone", "P1")
    push("pdf", 0.4, T0 + 20, "Kobo", "K1", progress_text="88")
    result = dp.reset_progress(book.id, device="K1", now=T0 + 100)
    assert result.documents == ("pdf",) and result.devices == ("K1",)
    assert pulled("epub").device == "Phone"  # the phone wrote it last
    pdf = pulled("pdf")
    assert (pdf.percentage, pdf.progress, pdf.device_id) == (0.0, "1", f"{dp.RESET_ID}:K1")
    shown = {p.device_key: (p.percentage, p.reset_at) for p in dp.device_positions(book.id)}
    assert shown == {"K1": (0.0, T0 + 100), "P1": (0.6, None)}


def test_a_one_device_reset_happens_when_another_device_synced_later(library):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.3, T0, "Kobo", "K1")
    push("doc", 0.6, T0 + 10, "Phone", "P1")  # the phone wrote the pull answer last
    result = dp.reset_progress(book.id, device="K1", now=T0 + 100)
    assert result.documents == ("doc",) and result.devices == ("P1", "K1")
    assert (pulled("doc").percentage, pulled("doc").device_id) == (0.0, f"{dp.RESET_ID}:K1")
    # A pull cannot tell the devices apart: the phone is offered the start as well, and says so.
    shown = {p.device_key: (p.percentage, p.reset_at) for p in dp.device_positions(book.id)}
    assert shown == {"K1": (0.0, T0 + 100), "P1": (0.0, T0 + 100)}


def at(key: str, document: str) -> dp.DevicePosition:
    return dp.DevicePosition(key, key, key, document, 0.5, "/p", T0)


@pytest.mark.parametrize(
    ("positions", "device", "documents", "scope"),
    [
        # every device: every document pushed for the book, every device
        ([at("P1", "a"), at("K1", "b")], None, ["a", "b", "c"], (("a", "b", "c"), ("P1", "K1"))),
        # one device alone in its document
        ([at("P1", "a"), at("K1", "b")], "K1", ["a", "b"], (("b",), ("K1",))),
        # one device sharing its document with a device that synced later
        ([at("P1", "a"), at("K1", "a")], "K1", ["a"], (("a",), ("P1", "K1"))),
        # only the document of the device's last position, not older ones it pushed
        ([at("K1", "b"), at("P1", "a")], "K1", ["a", "b"], (("b",), ("K1",))),
        ([], None, [], ((), ())),
    ],
)
def test_the_reach_of_a_reset(positions, device, documents, scope):
    assert dp.reset_scope(positions, device, documents) == scope


@pytest.mark.parametrize("device", [None, "K1"])
def test_a_reset_never_touches_the_reading_state_nor_the_hardcover_queue(library, device):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.4, T0, "Kobo", "K1")
    push("doc", 1.0, T0 + 10, "Kobo", "K1")  # finished
    before = ReadingState.get_by_id(book.id).__data__.copy()
    queued = list(SyncOutbox.select().dicts())
    dp.reset_progress(book.id, device=device, now=T0 + 100)
    assert ReadingState.get_by_id(book.id).__data__ == before
    assert before["status"] == "read" and before["progress"] == pytest.approx(1.0)
    assert list(SyncOutbox.select().dicts()) == queued


def test_a_relinked_document_never_replays_a_reset_as_a_read(library):
    first, second = add_book("First"), add_book("Second")
    link("doc", first)
    push("doc", 0.5, T0, "Kobo", "K1")
    dp.reset_progress(first.id, now=T0 + 100)
    progress.link_document("doc", second.id, now=T0 + 200)
    assert ReadingState.get_by_id(second.id).progress == pytest.approx(0.5)


def test_unknown_books_and_devices_are_clear_errors(library):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.3, T0, "Kobo", "K1")
    with pytest.raises(NotFoundError, match="no book with id 999"):
        dp.reset_progress(999, now=T0)
    with pytest.raises(NotFoundError, match="progress show"):
        dp.reset_progress(book.id, device="nope", now=T0)
    assert pulled("doc").percentage == pytest.approx(0.3)


def test_resets_since_names_the_documents_reset_after_an_event(library):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.3, T0, "Kobo", "K1")
    seen, documents = dp.resets_since(0)
    assert documents == []
    dp.reset_progress(book.id, now=T0 + 5)
    newest, documents = dp.resets_since(seen)
    assert documents == ["doc"] and newest > seen
    assert dp.resets_since(newest) == (newest, [])
