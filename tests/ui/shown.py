"""What a tooltip shows, read back as text (a tooltip of outside text is escaped rich text)."""

from __future__ import annotations

from PySide6.QtGui import Qt, QTextDocument


def tooltip_text(tip: str) -> str:
    """The text `tip` shows (only for tests' own harmless texts: its HTML is laid out)."""
    if not Qt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()
