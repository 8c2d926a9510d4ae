"""Text from outside (Hardcover's titles and editions, what a device pushed, paths, books'
titles and authors) is never drawn as HTML: the real widgets are fed hostile strings through
their data paths, then every widget's tooltip and label and every view's tooltips are read
back. Nothing here is shown, so no image in a string is ever loaded."""

from __future__ import annotations

import datetime
import html
import time
from collections.abc import Iterator

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QLabel,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.removal import RemovalPlan
from bookorbit_desktop.library.editing.values import BookChanges
from bookorbit_desktop.library.files.mover import Planned
from bookorbit_desktop.library.files.plan import Rename
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.models import ALIAS_CONTENT, DocumentAlias
from bookorbit_desktop.services.hardcover.sync import BookResult
from bookorbit_desktop.services.library.merge import MergeService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import show_error, signal_future
from bookorbit_desktop.ui.hardcover.pick_dialog import PickDialog
from bookorbit_desktop.ui.hardcover.sync_log import SyncLogPanel
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.columns import COLUMN_KEYS
from bookorbit_desktop.ui.library.device_positions import attach_device_positions
from bookorbit_desktop.ui.library.finish_date import FinishDateDialog
from bookorbit_desktop.ui.library.model import LibraryModel
from bookorbit_desktop.ui.library.progress_reset import ResetDialog
from bookorbit_desktop.ui.library.remove_dialog import RemoveDialog
from bookorbit_desktop.ui.library.side_by_side import SideBySideView
from bookorbit_desktop.ui.library.tidy_dialog import TidyDialog
from bookorbit_desktop.ui.sync.review_dialog import TARGET, ReviewDialog
from bookorbit_desktop.ui.text import plain_label, plain_tooltip, without_shortcuts
from tests.factories import add_book
from tests.library.merge.copies import two_copies

IMAGE = '<img src="nonexistent.png">'  # never /dev/zero: a drawn one would abort the test
MARKUP = (IMAGE, "<b>x</b>", "Allen &amp; Unwin", "<a href='https://example.org/'>link</a>")
CONTROL = "tab\there\x07bell\x1b[31m\u202eright to left"
HOSTILE = (*MARKUP, CONTROL, "Allen & Unwin")
HUGE = "<b>" + "y" * 1_000_000  # a megabyte, looking like HTML
TITLE = COLUMN_KEYS.index("title")
WRAPPER = ("<p style='white-space:pre-wrap'>", "</p>")


def one(n: int) -> str:
    """Every hostile string in one text (a different order for each field)."""
    return " | ".join(HOSTILE[n % len(HOSTILE) :] + HOSTILE[: n % len(HOSTILE)])


def drawn_as_html(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    if text_format == Qt.TextFormat.PlainText:
        return False
    return text_format == Qt.TextFormat.RichText or QtGui.Qt.mightBeRichText(text)


def outside_markup_in(text: str) -> list[str]:
    """The hostile strings that `text`, drawn as HTML, would read as markup."""
    if text.startswith(WRAPPER[0]) and text.endswith(WRAPPER[1]):
        inner = text[len(WRAPPER[0]) : -len(WRAPPER[1])]
        assert "<" not in inner and html.escape(html.unescape(inner)) == inner
        return []
    return [m for m in (*MARKUP, HUGE[:50]) if m in text]


def model_tooltips(model: QAbstractItemModel, parent: QModelIndex) -> Iterator[str]:
    for row in range(model.rowCount(parent)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield tip
        yield from model_tooltips(model, model.index(row, 0, parent))


def markup_shown(widgets: list[QWidget], models: list[QAbstractItemModel]) -> list[str]:
    """Where outside text would be drawn as HTML (or its "&" taken as a shortcut)."""
    found = []
    for widget in widgets:
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        tip = widget.toolTip()
        if drawn_as_html(tip) and outside_markup_in(tip):
            found.append(f"{name} tooltip: {tip[:80]!r}")
        if isinstance(widget, QLabel):
            text = widget.text()
            if drawn_as_html(text, widget.textFormat()) and outside_markup_in(text):
                found.append(f"{name} text: {text[:80]!r}")
        if isinstance(widget, (QAbstractButton, QGroupBox)):
            text = widget.text() if isinstance(widget, QAbstractButton) else widget.title()
            if "Unwin" in text and "&" in text.replace("&&", ""):  # a shortcut mark
                found.append(f"{name} shortcut: {text[:80]!r}")
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            models.append(widget.model())
    for model in models:
        for tip in model_tooltips(model, QModelIndex()):
            if drawn_as_html(tip) and outside_markup_in(tip):
                found.append(f"{type(model).__name__} tooltip: {tip[:80]!r}")
    return found


@pytest.mark.parametrize("text", [*HOSTILE, HUGE, ""])
def test_the_helper_shows_outside_text_as_it_is(qapp, text):
    from PySide6.QtGui import QTextDocument

    tip = plain_tooltip(text)
    assert not outside_markup_in(tip) if tip else text == ""
    if len(text) < 2000 and IMAGE not in text:
        document = QTextDocument()
        document.setHtml(tip)
        assert document.toPlainText() == text
    label = plain_label(text)
    assert not drawn_as_html(label.text(), label.textFormat()) and label.text() == text
    assert without_shortcuts("Allen & Unwin") == "Allen && Unwin"


def test_no_outside_text_is_drawn_as_html(qtbot, qloop, library, tmp_path):
    now = time.time()
    title = one(0)
    book = add_book(title, (one(1),))
    DocumentAlias.create(document="doc", kind=ALIAS_CONTENT, book=book, created_at=now)
    progress.record_push(Push("doc", one(2), 0.3, one(3), one(4)), timestamp=now - 60)

    service = LibraryService(library)
    panel = BookPanel(service.book_details, service.save_reading)
    qtbot.addWidget(panel)
    box = attach_device_positions(panel)

    async def show() -> None:
        loaded = signal_future(box.loaded)
        panel.show_book(book.id)
        await loaded

    qloop.run_until_complete(show())
    table = LibraryModel()
    table.set_books(service.table_books())

    summary = f"{one(5)} — {one(6)} (1969), {HUGE}"
    targets = {book.id: {"summary": summary, "hc_book_id": 1, "hc_edition_id": 2}}
    results = [BookResult(book.id, title, "would_send", ({"changes": (one(1),)},))]
    review = ReviewDialog(results, None, targets)  # type: ignore[arg-type]
    qtbot.addWidget(review)
    review.tree.setCurrentItem(review.tree.topLevelItem(0))  # the details pane below it

    candidate = {"book_id": 7, "title": one(2), "authors": [one(3)], "year": 1937}
    pick = PickDialog(title, [{**candidate, "edition": one(4)}], None, None)  # type: ignore[arg-type]
    qtbot.addWidget(pick)

    tidy = TidyDialog()
    qtbot.addWidget(tidy)
    old, new = str(tmp_path / one(5)), str(tmp_path / "Tidy" / one(6))
    tidy._show([Planned(Rename(1, old, new), cross_device=True)])

    reset = ResetDialog(title, box.rows)
    qtbot.addWidget(reset)

    escaped = html.escape(IMAGE)  # each path did carry the hostile text to a tooltip
    assert escaped in review.tree.topLevelItem(0).toolTip(TARGET)
    assert escaped in pick.tree.topLevelItem(0).toolTip(0)
    assert escaped in box.tree.topLevelItem(0).toolTip(2)
    assert escaped in tidy.table.item(0, 0).toolTip()
    assert escaped in table.data(table.index(0, TITLE), Qt.ItemDataRole.ToolTipRole)
    assert IMAGE in review.details.text() and "Allen & Unwin" in panel.title_label.text()

    windows = (panel, review, pick, tidy, reset)
    widgets = [w for w in QApplication.allWidgets() if w.window() in windows]
    assert markup_shown(widgets, [table]) == []


def test_merge_values_a_sync_log_and_questions_show_outside_text(qtbot, library, tmp_path):
    epub, pdf = two_copies(library, tmp_path)
    edit_books([epub], BookChanges(publisher=one(0), description=one(1)), library)
    edit_books([pdf], BookChanges(publisher="Allen & Unwin", description=one(2)), library)
    merge = SideBySideView()
    qtbot.addWidget(merge)
    merge.show_pair(MergeService(library).side_by_side(epub, pdf))
    _, theirs = merge.radios["publisher"]
    assert theirs.text() == "Allen && Unwin"  # shown as "Allen & Unwin", no shortcut

    log = SyncLogPanel()
    qtbot.addWidget(log)
    entry = {"at": time.time(), "title": one(3), "outcome": "error", "error": one(4)}
    log.show_entries([entry], title="Allen & Unwin " + one(5))
    assert log.title().startswith("Sync log — Allen && Unwin")

    error = show_error(log, BookOrbitError("Could not read " + one(6), title=one(0)))
    qtbot.addWidget(error)

    remove = RemoveDialog([RemovalPlan(epub, one(1), (str(tmp_path / one(2)),), 0)])
    qtbot.addWidget(remove)
    finish = FinishDateDialog(one(3), datetime.date(2026, 1, 2))
    qtbot.addWidget(finish)

    windows = (merge, log, error, remove, finish)
    widgets = [w for w in QApplication.allWidgets() if w.window() in windows]
    assert markup_shown(widgets, []) == []
