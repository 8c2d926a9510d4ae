"""A highlight's text from a device is shown in tooltips as text, never drawn as HTML."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from bookorbit_desktop.ui.text import TOOLTIP_CHARACTERS, plain_tooltip


@pytest.mark.parametrize(
    "text", ["<img src=http://192.168.1.99/x.png>", "<a href='x'>link</a> & more", "Fear.\nMind"]
)
def test_a_tooltip_shows_the_text_as_it_is(qapp, text):
    document = QTextDocument()
    document.setHtml(plain_tooltip(text))
    assert document.toPlainText() == text


def test_a_long_text_is_cut_in_the_tooltip(qapp):
    document = QTextDocument()
    document.setHtml(plain_tooltip("x" * (TOOLTIP_CHARACTERS + 500)))
    assert document.toPlainText() == "x" * TOOLTIP_CHARACTERS + "…"
