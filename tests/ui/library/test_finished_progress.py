"""A book read shows as finished, not as its last reported position (0 % when none was),
in the table's Progress column and in the book panel."""

from __future__ import annotations

import asyncio

import pytest

from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.services.library.service import progress_text
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from tests.factories import add_book
from tests.ui.assembled import local_desktop

PROGRESS_COLUMN = COLUMN_KEYS.index("progress")


@pytest.mark.parametrize(
    ("progress", "pages", "status", "text"),
    [
        (0.0, None, "read", "Finished"),
        (0.4, 300, "read", "Finished"),
        (0.0, None, "skimmed", "Finished"),
        (0.0, None, "reading", ""),
        (0.42, None, "reading", "42 %"),
        (0.5, 300, "rereading", "50 % · p. 150 of 300"),
        (0.0, None, None, ""),
    ],
)
def test_progress_text(progress, pages, status, text):
    assert progress_text(progress, pages, status) == text


@pytest.fixture
def desktop(library, qtbot, qloop):
    read = add_book("Foundation", ["Isaac Asimov"], status="read")
    half = add_book("Dune", ["Frank Herbert"], status="reading")
    ReadingState.update(progress=0.5).where(ReadingState.book == half.id).execute()
    desktop = local_desktop(library, shown=True)
    desktop.read_id = read.id
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_a_read_book_says_finished_in_the_table_and_the_panel(desktop, qloop):
    qloop.run_until_complete(asyncio.sleep(0.3))
    view = desktop.window.library_view
    model = view.model
    texts = {
        model.index(row, 0).data(): model.index(row, PROGRESS_COLUMN).data()
        for row in range(model.rowCount())
    }
    assert texts == {"Foundation": "Finished", "Dune": "50 %"}
    assert view.select_book(desktop.read_id)
    qloop.run_until_complete(asyncio.sleep(0.2))
    panel = desktop.window.book_panel
    assert panel.book_id == desktop.read_id
    assert panel.progress_spin.text() == "Finished"
    assert panel.edited() == {}  # showing it edits nothing
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("reading"))
    assert panel.progress_spin.text() == "0.0 %"
