"""The library table in a 1366x768 window: the book panel keeps its width when the window
grows, so the table shows every column whole (the status and Hardcover texts uncut, nothing
to scroll sideways) and Title takes the width the others leave."""

from __future__ import annotations

import asyncio

import pytest

from bookorbit_desktop.services.library.service import HARDCOVER_LABELS, STATUS_LABELS
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.widgets import CELL_PADDING
from tests.factories import add_book
from tests.ui.assembled import local_desktop


@pytest.fixture
def desktop(library, qtbot, qloop):
    for title, author in [
        ("Jonathan Strange & Mr Norrell", "Susanna Clarke"),
        ("The Left Hand of Darkness", "Ursula K. Le Guin"),
        ("Dune", "Frank Herbert"),
    ]:
        add_book(title, [author])
    desktop = local_desktop(library, shown=True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def test_at_1366x768_every_column_is_whole_and_title_takes_the_rest(desktop, qloop):
    desktop.window.resize(1366, 768)
    qloop.run_until_complete(asyncio.sleep(0.3))  # the layout settles
    table = desktop.window.library_view.table
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    width = {key: header.sectionSize(n) for n, key in enumerate(COLUMN_KEYS)}
    for key, labels in (("status", STATUS_LABELS), ("hardcover", HARDCOVER_LABELS)):
        longest = max(metrics.horizontalAdvance(text) for text in labels.values())
        assert width[key] >= longest + CELL_PADDING, key
    assert header.length() <= table.viewport().width()  # the last column's right edge shows
    assert table.horizontalScrollBar().maximum() == 0
    assert width["title"] == max(width.values())
    assert width["authors"] >= metrics.horizontalAdvance("Ursula K. Le Guin") + CELL_PADDING
