"""Everything the Highlights page offers is in the window, named and reachable by keyboard:
the receiver's switch and pairing secret are in sight from the empty page, whose text points
at them rather than at a command (the whole window at 1366x768, a real server on 127.0.0.1)."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTreeWidget,
    QWidget,
)

from bookorbit_desktop.library.highlights import store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.ui.highlights import book_box
from bookorbit_desktop.ui.highlights.page import empty_text
from tests.factories import add_book
from tests.ui.test_main_window import desktop, show_all  # noqa: F401 (fixture)

CONTROLS = (QAbstractButton, QAbstractSpinBox, QLineEdit, QTextBrowser, QTreeWidget)


def mnemonic(text: str) -> str | None:
    """The letter Alt takes to reach a control labelled `text` ("Sav&e" -> "e")."""
    at = text.replace("&&", "").find("&")
    return None if at < 0 else text.replace("&&", "")[at + 1].lower()


@pytest.mark.parametrize(
    ("text", "letter"), [("Sav&e", "e"), ("&Refresh", "r"), ("Fish && Chips", None), ("Go", None)]
)
def test_the_letter_alt_takes(text, letter):
    assert mnemonic(text) == letter


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _open_page(desktop, qloop):  # noqa: F811
    show_all(desktop, start_hidden=False)
    window = desktop.window
    window.resize(1366, 768)
    page = desktop.highlights
    window.tabs.setCurrentWidget(page)
    qloop.run_until_complete(page.task)
    return window, page


def _in_sight(window: QWidget, widget: QWidget) -> bool:
    corners = (widget.rect().topLeft(), widget.rect().bottomRight())
    return widget.isVisible() and all(
        window.rect().contains(widget.mapTo(window, corner)) for corner in corners
    )


def test_the_empty_page_points_at_the_receivers_switch_not_a_command(
    desktop,  # noqa: F811
    qloop,
):
    window, page = _open_page(desktop, qloop)
    receiver = page.receiver
    assert receiver is not None
    assert page.count_label.text() == empty_text(receiving=False)
    assert "Receive KOReader's highlight exports" in page.count_label.text()
    for control in (receiver.on_check, receiver.port_spin, receiver.apply_button):
        assert _in_sight(window, control)
    assert _in_sight(window, receiver.require_button)
    texts = [label.text() for label in page.findChildren(QLabel)] + [book_box.EMPTY_TEXT]
    texts += [empty_text(receiving=True)]
    for text in texts:
        assert "bookorbit-desktop" not in text and "`" not in text, text


def test_the_receiver_and_its_secret_from_the_keyboard(desktop, qloop, qtbot):  # noqa: F811
    window, page = _open_page(desktop, qloop)
    receiver = page.receiver
    assert receiver is not None
    receiver.port_spin.setValue(_free_port())
    receiver.on_check.setFocus()
    qtbot.keyClick(receiver.on_check, Qt.Key.Key_Space)
    assert receiver.on_check.isChecked()
    receiver.apply_button.setFocus()
    qtbot.keyClick(receiver.apply_button, Qt.Key.Key_Space)
    qloop.run_until_complete(receiver.task)
    assert get_setting("highlights.receiver") is True
    assert receiver.status.text().startswith("Receiving on port")
    receiver.require_button.setFocus()
    qtbot.keyClick(receiver.require_button, Qt.Key.Key_Space)
    qloop.run_until_complete(receiver.task)
    secret = get_setting("highlights.secret")
    assert secret and receiver.secret_field.text() == secret
    assert _in_sight(window, receiver.secret_field)
    assert _in_sight(window, receiver.copy_secret_button)
    receiver.copy_secret_button.setFocus()
    qtbot.keyClick(receiver.copy_secret_button, Qt.Key.Key_Space)
    assert QApplication.clipboard().text() == secret
    qloop.run_until_complete(page.refresh())
    assert page.count_label.text() == empty_text(receiving=True)


def test_every_control_is_named_reachable_by_tab_and_has_its_own_alt_letter(
    desktop,  # noqa: F811
    qloop,
):
    set_setting("highlights.secret", "a" * 24)  # the Copy button shows
    window, page = _open_page(desktop, qloop)
    controls = [
        c
        for c in page.findChildren(QWidget)
        if isinstance(c, CONTROLS) and not isinstance(c.parent(), QAbstractSpinBox)
    ]
    shown = [c for c in controls if c.isVisible()]
    assert len(shown) >= 8
    chain, widget = set(), window.nextInFocusChain()
    while widget is not window:
        chain.add(widget)
        widget = widget.nextInFocusChain()
    for control in shown:
        assert control.accessibleName(), control
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control.accessibleName()
        assert control in chain, control.accessibleName()
    taken = [mnemonic(action.text()) for action in window.menuBar().actions()]
    taken += [mnemonic(window.tabs.tabText(i)) for i in range(window.tabs.count())]
    labeled = page.findChildren(QAbstractButton) + page.findChildren(QLabel)
    labels = [c.text() for c in labeled if c.isVisible()]
    letters = [mnemonic(text) for text in labels if mnemonic(text)]
    assert len(letters) == len(set(letters)), letters
    assert not set(letters) & set(taken), set(letters) & set(taken)


def test_the_book_panels_highlight_buttons_take_letters_of_their_own(
    desktop,  # noqa: F811
    qloop,
):
    dune = add_book("Dune", ["Frank Herbert"])
    for note, origin, at in (("mine", "192.168.1.23", 1.0), ("defaced", "192.168.1.99", 2.0)):
        entry = Entry(1_700_000_000, "Fear is the mind-killer.", note)
        store.record(store.Target(dune.id), [entry], source="xmnote", origin=origin, now=at)
    show_all(desktop, start_hidden=False)
    window = desktop.window
    window.resize(1366, 768)
    assert window.library_view.select_book(dune.id)
    box = window.findChild(book_box.BookHighlights)
    assert box is not None and box.earlier_button.isVisible()
    taken = [mnemonic(action.text()) for action in window.menuBar().actions()]
    taken += [mnemonic(window.tabs.tabText(i)) for i in range(window.tabs.count())]
    page = window.tabs.currentWidget()
    others = [c for c in page.findChildren(QAbstractButton) + page.findChildren(QLabel)]
    taken += [mnemonic(c.text()) for c in others if c.isVisible() and c.parent() is not box]
    own = [mnemonic(b.text()) for b in (box.earlier_button, box.copy_button)]
    assert all(own) and len(set(own)) == len(own)
    assert not set(own) & set(taken), set(own) & set(taken)
