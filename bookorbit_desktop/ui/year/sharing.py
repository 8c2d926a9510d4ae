"""Share…: the picture's size, whether it may quote highlights (off unless ticked), and the file
it is saved to, asked without a nested event loop."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.ui.asyncqt import run_dialog


@dataclass(frozen=True)
class ShareChoice:
    path: Path
    size: str  # "story" or "wide"
    highlights: bool  # quote the year's latest highlights


class ShareDialog(QDialog):
    def __init__(self, parent: QWidget | None, year: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Share {year}")
        self.story = QRadioButton("&Phone story (1080 × 1920)")
        self.story.setChecked(True)
        self.wide = QRadioButton("&Wide (1920 × 1080)")
        self.highlights = QCheckBox("Quote my latest &highlights (private: off unless ticked)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("A picture of the year: covers of the books finished and the headline figures.")
        )
        for widget in (self.story, self.wide, self.highlights, buttons):
            layout.addWidget(widget)

    @property
    def size_name(self) -> str:
        return "story" if self.story.isChecked() else "wide"


async def ask_share(parent: QWidget, year: int) -> ShareChoice | None:
    """The user's choice of size, highlights and file; None when they cancel."""
    options = ShareDialog(parent, year)
    try:
        if await run_dialog(options) != QDialog.DialogCode.Accepted:
            return None
        size, highlights = options.size_name, options.highlights.isChecked()
    finally:
        options.deleteLater()
    target = str(Path.home() / f"reading-{year}-{size}.png")
    chooser = QFileDialog(parent, "Save the Picture of the Year", target, "PNG pictures (*.png)")
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.setDefaultSuffix("png")
    try:
        if await run_dialog(chooser) != QDialog.DialogCode.Accepted or not chooser.selectedFiles():
            return None
        return ShareChoice(Path(chooser.selectedFiles()[0]), size, highlights)
    finally:
        chooser.deleteLater()
