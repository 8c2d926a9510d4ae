"""Showing highlights again without losing the reader's place: the scroll position, and the
selected text while it is still where it was (a reload after another connection wrote)."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser


def set_html_keeping_place(browser: QTextBrowser, html: str) -> None:
    bar = browser.verticalScrollBar()
    top = bar.value()
    cursor = browser.textCursor()
    anchor, position, selected = cursor.anchor(), cursor.position(), cursor.selectedText()
    browser.setHtml(html)
    end = browser.document().characterCount() - 1
    if selected and max(anchor, position) <= end:
        again = browser.textCursor()
        again.setPosition(anchor)
        again.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        if again.selectedText() == selected:
            browser.setTextCursor(again)
    bar.setValue(top)
