"""The Edit dialog's description: a rich-text editor that shows the formatting (bold, italics,
lists, headings, links), never the tags, with buttons for the common marks.

It opens the stored description as the book panel shows it (`descriptions.display_html`) and
loads nothing a pasted text names (`OfflineBrowser`). `markup` writes the text back as the
plain HTML the one description rule keeps (`descriptions`): paragraphs, line breaks, headings,
block quotes, lists, bold, italics, underline, strike-through, super- and subscript and web
links. Qt's own HTML (spans with style sheets) is never given to the save, so nothing of the
formatting shown is lost to the cleaning.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QFont,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextCharFormat,
    QTextFormat,
)
from PySide6.QtGui import QTextListFormat as ListFormat
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from bookorbit_desktop.descriptions import display_html
from bookorbit_desktop.ui.text_browser import OfflineBrowser

_NUMBERED = {
    ListFormat.Style.ListDecimal,
    ListFormat.Style.ListLowerAlpha,
    ListFormat.Style.ListUpperAlpha,
    ListFormat.Style.ListLowerRoman,
    ListFormat.Style.ListUpperRoman,
}
_BULLETS, _NUMBERS = ListFormat.Style.ListDisc, ListFormat.Style.ListDecimal
_OBJECT = "\ufffc"  # where an image or another object sat: nothing of it is kept
_LINE_BREAK = "\u2028"


def _marks(format: QTextCharFormat, heading: bool) -> list[tuple[str, str]]:
    """The tags (opening, closing) of a run of text, outermost first."""
    marks = []
    if format.isAnchor() and format.anchorHref():
        href = html.escape(format.anchorHref(), quote=True)
        marks.append((f'<a href="{href}">', "</a>"))
    if format.fontWeight() >= QFont.Weight.Bold.value and not heading:
        marks.append(("<b>", "</b>"))
    if format.fontItalic():
        marks.append(("<i>", "</i>"))
    if format.fontUnderline() and not format.isAnchor():
        marks.append(("<u>", "</u>"))
    if format.fontStrikeOut():
        marks.append(("<s>", "</s>"))
    alignment = format.verticalAlignment()
    if alignment == QTextCharFormat.VerticalAlignment.AlignSuperScript:
        marks.append(("<sup>", "</sup>"))
    elif alignment == QTextCharFormat.VerticalAlignment.AlignSubScript:
        marks.append(("<sub>", "</sub>"))
    return marks


def _runs(block: QTextBlock, heading: bool) -> str:
    parts = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        if fragment.isValid():
            text = html.escape(fragment.text().replace(_OBJECT, ""), quote=False)
            if text.strip(_LINE_BREAK):
                marks = _marks(fragment.charFormat(), heading)
                text = "".join(o for o, _ in marks) + text + "".join(c for _, c in reversed(marks))
            parts.append(text.replace(_LINE_BREAK, "<br>"))
        it += 1
    return "".join(parts)


def document_markup(editor: OfflineBrowser) -> str:
    """The editor's text as the plain HTML a description keeps; empty when it holds no text."""
    out: list[str] = []
    open_list: tuple[object, str] | None = None
    block = editor.document().begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        inner = _runs(block, heading=level > 0).strip()  # a block's ends show no space
        text_list = block.textList()
        if open_list is not None and (text_list is None or text_list != open_list[0]):
            out.append(f"</{open_list[1]}>")
            open_list = None
        if text_list is not None:
            if open_list is None:
                tag = "ol" if text_list.format().style() in _NUMBERED else "ul"
                open_list = (text_list, tag)
                out.append(f"<{tag}>")
            out.append(f"<li>{inner}</li>")
        elif not inner:
            pass  # an empty paragraph: the space between paragraphs shows it already
        elif level:
            out.append(f"<h{min(level, 6)}>{inner}</h{min(level, 6)}>")
        elif block.blockFormat().intProperty(QTextFormat.Property.BlockQuoteLevel):
            out.append(f"<blockquote><p>{inner}</p></blockquote>")
        else:
            out.append(f"<p>{inner}</p>")
        block = block.next()
    if open_list is not None:
        out.append(f"</{open_list[1]}>")
    return "".join(out)


class DescriptionEditor(QWidget):
    def __init__(self, stored: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = OfflineBrowser()
        self.editor.setReadOnly(False)
        self.editor.setAccessibleName("Description")
        self.editor.setTabChangesFocus(True)
        if stored:
            self.editor.setHtml(display_html(stored))
        self.opened = self.markup()  # as the editor shows it: the same text is not a change
        buttons = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for text, name, key, apply in (
            ("B", "Bold", "Ctrl+B", self._bold),
            ("I", "Italic", "Ctrl+I", self._italic),
            ("U", "Underline", "Ctrl+U", self._underline),
            ("•", "Bulleted list", "Ctrl+Shift+8", lambda: self._list(ListFormat.Style.ListDisc)),
            (
                "1.",
                "Numbered list",
                "Ctrl+Shift+7",
                lambda: self._list(ListFormat.Style.ListDecimal),
            ),
        ):
            button = QToolButton()
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(f"{name} ({QKeySequence(key).toString()})")
            button.clicked.connect(apply)
            # The keys act where the text is typed (Ctrl+B in the title line is not its bold).
            QShortcut(QKeySequence(key), self.editor, apply, Qt.ShortcutContext.WidgetShortcut)
            self.buttons[name] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.editor)

    def markup(self) -> str:
        return document_markup(self.editor)

    def _bold(self) -> None:
        bold = self.editor.fontWeight() < QFont.Weight.Bold.value
        self.editor.setFontWeight(QFont.Weight.Bold.value if bold else QFont.Weight.Normal.value)

    def _italic(self) -> None:
        self.editor.setFontItalic(not self.editor.fontItalic())

    def _underline(self) -> None:
        self.editor.setFontUnderline(not self.editor.fontUnderline())

    def _list(self, style: ListFormat.Style) -> None:
        cursor = self.editor.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            current.remove(cursor.block())
            return
        cursor.createList(style)
