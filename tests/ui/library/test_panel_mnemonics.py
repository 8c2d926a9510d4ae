"""The book panel's Alt+letter keys, in the assembled window: every label's '&' marks the key
of a field (never shown as text), and no two of the panel's buttons, field labels and the
window's menus share a letter."""

from __future__ import annotations

import asyncio
import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from tests.factories import add_book, make_epub
from tests.ui.assembled import local_desktop

LONE_AMPERSAND = re.compile(r"(?<!&)&(?!&)")


def mnemonic(text: str) -> str | None:
    """ "Sa&ve" -> "v"; "Tom && Jerry" -> None."""
    found = LONE_AMPERSAND.search(text.replace("&&", ""))
    return text.replace("&&", "")[found.end()].lower() if found else None


@pytest.mark.parametrize(
    ("text", "key"),
    [("Sa&ve", "v"), ("&Finished:", "f"), ("Tom && Jerry", None), ("Plain", None)],
)
def test_mnemonic(text, key):
    assert mnemonic(text) == key


@pytest.fixture
def desktop(library, qtbot, qloop, tmp_path):
    file = make_epub(tmp_path / "dune.epub", "Dune", ["Frank Herbert"])
    book = add_book("Dune", ["Frank Herbert"], file=file)
    desktop = local_desktop(library, shown=True)
    qloop.run_until_complete(asyncio.sleep(0.5))  # the Hardcover page's first read ends
    desktop.window.resize(1366, 768)
    desktop.window.book_panel.show_book(book.id)
    desktop.window.book_panel.set_hardcover_actions(True)
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def visible_labels(panel: QWidget) -> list[QLabel]:
    return [label for label in panel.findChildren(QLabel) if label.isVisibleTo(panel)]


def test_no_label_of_the_panel_shows_an_ampersand(desktop):
    panel = desktop.window.book_panel
    labels = visible_labels(panel)
    assert any(label.text() == "Stat&us:" for label in labels)  # the form's labels are seen
    shown = [
        label.text()
        for label in labels
        if LONE_AMPERSAND.search(label.text()) and label.buddy() is None
    ]
    assert shown == []


def test_the_panel_and_the_menus_never_share_an_alt_key(desktop):
    window = desktop.window
    panel = window.book_panel
    texts = [action.text() for action in window.menuBar().actions()]
    assert "&View" in texts and "&Edit" in texts  # the menus the panel's keys met
    texts += [button.text() for button in panel.findChildren(QAbstractButton)]
    texts += [label.text() for label in visible_labels(panel) if label.buddy() is not None]
    box = panel.hardcover_box
    box.show_book({"id": 1, "hardcover_match": {"state": "excluded"}, "reading": None})
    texts.append(box.exclude_button.text())  # "Exclude" becomes "Include"
    keys = [key for key in map(mnemonic, texts) if key is not None]
    assert len(keys) > 10
    doubled = {key: [t for t in texts if mnemonic(t) == key] for key in keys if keys.count(key) > 1}
    assert doubled == {}
