"""The Link dialog opens with the book KOReader's metadata proposes already selected (real
widgets, real SQLite); without metadata it opens as before."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store.models import BookFile, ProgressEvent
from bookorbit_desktop.services.library import unlinked
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.unlinked_view import UnlinkedView
from tests.factories import add_book

DOCUMENT = "0123456789abcdef0123456789abcdef"


def push(metadata=None):
    progress.record_push(
        progress.Push(DOCUMENT, "/body/DocFragment[3]", 0.31, "Kobo\x1b[2J", "dev1", metadata),
        timestamp=1_763_750_000,
    )


@pytest.fixture
def books(library):
    dune = add_book("Dune", ["Frank Herbert"])
    piranesi = add_book("Piranesi", ["Susanna Clarke"])
    BookFile.create(
        book=piranesi, path="/books/clarke/piranesi.epub", format="epub", size=5, mtime=0,
        partial_md5="other", added_at=0,
    )  # fmt: skip
    return dune, piranesi


@pytest.fixture
def view(qtbot, library, books):
    service = LibraryService(library)
    view = UnlinkedView(unlinked.list_unlinked, unlinked.link, service.list_books)
    qtbot.addWidget(view)
    return view


def open_chooser(qloop, view):
    view.refresh()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))

    async def scenario():
        opened = signal_future(view.chooser_opened)
        task = view.link_selected()
        (chooser,) = await opened
        facts = (chooser.chosen_book_id, chooser.prompt_label.text(), chooser.filter_edit.text())
        chooser.accept()
        await task
        return facts

    return qloop.run_until_complete(scenario())


def test_the_file_name_kosync_sent_selects_its_book(qloop, view, books):
    _, piranesi = books
    push(progress.DocumentMetadata("Pir\u202eanesi", "S. C.", "piranesi.epub"))
    chosen, prompt, typed = open_chooser(qloop, view)
    assert chosen == piranesi.id and typed == ""
    assert "proposed by the file name" in prompt
    assert "Pir\\u202eanesi" in prompt and "Kobo\\x1b[2J" in prompt  # escaped, never raw
    events = ProgressEvent.select().where(ProgressEvent.document == DOCUMENT)
    assert {event.book_id for event in events} == {piranesi.id}  # linked once accepted


def test_without_metadata_nothing_is_proposed(qloop, view):
    push()
    chosen, prompt, typed = open_chooser(qloop, view)
    assert chosen is None and "proposed" not in prompt and typed == ""
    assert ProgressEvent.get().book_id is None
