"""The tag editor's completion: the tag being typed is completed from the library's tags, as
a pure rule (a table) and through the real line and its completer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from bookorbit_desktop.ui.library.tag_editor import complete_tags, completed, offered, typed_tag


@pytest.mark.parametrize(
    ("text", "cursor", "name", "result", "at"),
    [
        ("sc", 2, "scifi", "scifi, ", 7),
        ("Classic, ow", 11, "Owned", "Classic, Owned, ", 16),
        ("Classic,ow", 10, "Owned", "Classic, Owned, ", 16),
        ("cl, Owned", 2, "Classic", "Classic, Owned", 9),  # the tag after the cursor stays
        ("cla, Owned", 1, "Classic", "Classic, Owned", 9),  # the rest of the word goes
    ],
)
def test_the_tag_being_typed_is_replaced_by_the_one_chosen(text, cursor, name, result, at):
    assert completed(text, cursor, name) == (result, at)


@pytest.mark.parametrize(
    ("text", "cursor", "typed"),
    [("", 0, ""), ("sc", 2, "sc"), ("Classic, ow", 11, "ow"), ("Classic, ow", 7, "Classic")],
)
def test_the_tag_being_typed(text, cursor, typed):
    assert typed_tag(text, cursor) == typed


@pytest.mark.parametrize(
    ("text", "cursor", "shown"),
    [
        ("", 0, ["calm", "cosy", "dark", "Epic"]),
        ("c", 1, ["calm", "cosy", "dark", "Epic"]),
        ("calm, c", 7, ["cosy", "dark", "Epic"]),  # calm is there already
        ("EPIC, d", 7, ["calm", "cosy", "dark"]),  # case aside
        ("dark, c, epic", 7, ["calm", "cosy"]),  # after the cursor too
        ("cal", 3, ["calm", "cosy", "dark", "Epic"]),  # the one typed is not taken yet
    ],
)
def test_the_tags_the_line_has_already_are_not_offered(text, cursor, shown):
    assert offered(["calm", "cosy", "dark", "Epic"], text, cursor) == shown


# The headless platform's words when the completer's popup opens.
@pytest.mark.qt_log_ignore(
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
)
def test_typing_offers_the_known_tags_and_a_choice_completes(qtbot):
    line = QLineEdit()
    qtbot.addWidget(line)
    line.resize(400, 30)
    line.show()
    completer = complete_tags(line, ["Classic", "Owned", "scifi", "Science Fiction"])
    qtbot.keyClicks(line, "Classic, cl")
    assert completer.completionCount() == 0  # Classic is there already
    line.clear()
    qtbot.keyClicks(line, "Classic, sc")
    assert completer.completionCount() == 2
    assert completer.popup().isVisible()
    popup = completer.popup()
    popup.setCurrentIndex(completer.completionModel().index(1, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert line.text() == "Classic, Science Fiction, "
    assert line.cursorPosition() == len(line.text())
