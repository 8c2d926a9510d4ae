"""The device-positions service: rows for the window, resets that Hardcover never sees, and the
book an unlinked document's metadata proposes (real SQLite)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bookorbit_desktop.hardcover.sync import store as hc_store
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.link_proposal import BY_FILENAME, BY_TITLE, Proposal
from bookorbit_desktop.library.reading.pushes import DocumentMetadata, Push
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    BookFile,
    DocumentAlias,
    HardcoverMatch,
    ReadingState,
)
from bookorbit_desktop.services.library import device_positions as service
from tests.factories import add_book
from tests.hardcover.sync.work_counts import waiting_work

T0 = 1_790_000_000


def pulled(document: str) -> progress.Position:
    position = progress.latest_position(document)
    assert position is not None
    return position


def link(document: str, book) -> None:
    DocumentAlias.create(document=document, kind=ALIAS_CONTENT, book=book, created_at=time.time())


def push(document, percentage, when, device="Kobo", device_id="K1", progress_text=None, meta=None):
    text = progress_text or f"/body/DocFragment[3]/body/p[{int(percentage * 100)}]"
    return progress.record_push(
        Push(document, text, percentage, device, device_id, meta), timestamp=when
    )


def file_row(book, path: str) -> None:
    BookFile.create(
        book=book, path=path, format="epub", size=1, mtime=0, partial_md5="x", added_at=0
    )


def test_rows_name_pages_and_escape_what_a_device_sent(library):
    book = add_book("Leaves")
    link("pdf", book)
    link("epub", book)
    push("pdf", 0.5, T0, "Boox", None, progress_text="56")
    push("epub", 0.25, T0 + 5, "Evil\x1b[31m\nKobo", "E1")
    rows = service.device_rows(book.id)
    assert [(r.key, r.device, r.where) for r in rows] == [
        ("E1", "Evil\\x1b[31m\\x0aKobo", "/body/DocFragment[3]/body/p[25]"),
        ("Boox", "Boox", "page 56"),
    ]
    service.reset(book.id, clock=lambda: T0 + 60)
    assert [(r.where, r.percentage, r.reset_at) for r in service.device_rows(book.id)] == [
        ("at the start", 0.0, T0 + 60),
        ("at the start", 0.0, T0 + 60),
    ]


def test_the_off_thread_calls_give_the_same_answers(library):
    book = add_book("Leaves")
    link("doc", book)
    push("doc", 0.3, T0)
    rows = asyncio.run(service.device_rows_later(book.id))
    assert rows == service.device_rows(book.id)
    result = asyncio.run(service.reset_later(book.id, "K1"))
    assert result.devices == ("K1",)
    assert pulled("doc").percentage == 0.0


@pytest.mark.parametrize(
    ("device", "reached"), [(None, ["B1", "P1", "K1"]), ("K1", ["P1", "K1"]), ("B1", ["B1"])]
)
def test_the_reach_of_a_reset_is_what_the_reset_then_does(library, device, reached):
    book = add_book("Leaves")
    link("epub", book)
    link("pdf", book)
    push("epub", 0.3, T0, "Kobo", "K1")
    push("epub", 0.6, T0 + 10, "Phone", "P1")  # the same copy as the Kobo
    push("pdf", 0.2, T0 + 20, "Boox", "B1", progress_text="12")  # another copy
    assert [row.key for row in service.reset_reach(book.id, device)] == reached
    assert list(service.reset(book.id, device).devices) == reached
    assert [row.key for row in service.device_rows(book.id) if row.reset_at] == reached


@pytest.mark.parametrize("device", [None, "K1"])
def test_a_reset_never_lowers_hardcover_progress_nor_creates_a_read(library, device):
    """What the Hardcover sync would send for the book (its desired state, from the reading
    state) and what it has queued are the same after a reset as before."""
    book = add_book("Leaves")
    link("doc", book)
    HardcoverMatch.create(
        book=book.id, state="linked", reason="isbn13", hc_book_id=7, hc_edition_id=8,
        edition_pages=300, updated_at=time.time(),
    )  # fmt: skip
    push("doc", 0.4, T0)
    push("doc", 1.0, T0 + 100)  # finished
    before = hc_store.candidates([book.id], proposals=True)
    waiting = waiting_work()
    service.reset(book.id, device, clock=lambda: T0 + 500)
    assert before and hc_store.candidates([book.id], proposals=True) == before
    assert waiting_work() == waiting
    state = ReadingState.get_by_id(book.id)
    assert (state.status, state.progress) == ("read", 1.0)


@pytest.mark.parametrize(
    ("meta", "files", "expected"),
    [
        (DocumentMetadata("Leaves", None, "leaves.epub"), ["/b/leaves.epub"], BY_FILENAME),
        (DocumentMetadata(None, None, "leaves.epub"), ["/b/leaves.epub", "/c/x.epub"], BY_FILENAME),
        (DocumentMetadata(None, None, "leaves.epub"), ["/b/leaves.epub", "/c/leaves.epub"], None),
        (DocumentMetadata(None, None, "leaves.epub"), ["/b/myleaves.epub"], None),
        (DocumentMetadata(None, None, "Leaves.EPUB"), ["/b/leaves.epub"], None),
        (DocumentMetadata("Leaves", "Whitman, Walt", "other.epub"), ["/b/leaves.epub"], BY_TITLE),
        (DocumentMetadata("Leaves", "Someone Else", None), ["/b/leaves.epub"], None),
    ],
)
def test_metadata_proposes_one_book_by_file_name_else_title(library, meta, files, expected):
    leaves = add_book("Leaves", ("Walt Whitman",))
    other = add_book("Other", ("Walt Whitman",))
    for index, path in enumerate(files):
        file_row(leaves if index == 0 else other, str(Path(path)))
    push("unknown-doc", 0.1, T0, meta=None)  # an older push without metadata
    push("unknown-doc", 0.2, T0 + 5, meta=meta)
    proposal = service.proposal("unknown-doc")
    assert proposal == (None if expected is None else Proposal(leaves.id, expected))
    # Only proposed, whichever way: KOReader's metadata names no size or content.
    assert not DocumentAlias.select().where(DocumentAlias.document == "unknown-doc").exists()


def test_a_document_without_metadata_gets_no_proposal(library):
    add_book("Leaves", ("Walt Whitman",))
    push("unknown-doc", 0.1, T0)
    assert service.proposal("unknown-doc") is None
