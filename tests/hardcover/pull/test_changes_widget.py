"""The book panel's "from Hardcover" marker and conflict choice, on a real library and fake."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.ui.library.hardcover_changes import HardcoverChanges
from tests.fakes.hardcover_shelves import edit_entry


async def test_a_value_from_hardcover_shows_with_its_date(world, qtbot):
    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=4.5)
    await world.sync()
    widget = HardcoverChanges()
    qtbot.addWidget(widget)
    widget.show_book(book)
    await widget.task
    today = dt.datetime.fromtimestamp(world.clock()).date().isoformat()  # when it changed there
    assert not widget.isHidden()
    assert widget.marker.text() == f"From Hardcover: rating 4.5★ ({today})"
    assert widget.choices.isHidden()


async def test_a_conflict_shows_both_values_and_the_choice_settles_it(world, qtbot):
    book = world.add("a", status="reading", started="2026-08-01", rating=3.0)
    await world.sync()
    edit_entry(world.catalog, world.entry("a")["id"], rating=5.0)
    world.edit("a", rating=1.5)
    await world.sync()
    widget = HardcoverChanges()
    qtbot.addWidget(widget)
    widget.show_book(book)
    await widget.task
    assert not widget.choices.isHidden()
    text = " ".join(label.text() for label in widget.choices.findChildren(type(widget.marker)))
    assert "Here: 1.5★" in text and "On Hardcover: 5★" in text
    with qtbot.waitSignal(widget.resolved) as signal:
        qtbot.mouseClick(widget.buttons[("rating", "hardcover")], Qt.MouseButton.LeftButton)
        await widget.task
    assert signal.args == [book, "rating", "hardcover"]
    assert ReadingState.get_by_id(book).rating == 5.0
    assert widget.choices.isHidden()
    assert "From Hardcover: rating 5★" in widget.marker.text()
