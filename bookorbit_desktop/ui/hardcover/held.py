"""The books a Cancel holds, on the Hardcover page: how many, Send Held, Discard Held….

Hidden while nothing is held. Send runs the user's own pass over the held books (the hold is
the user's to lift, `services.hardcover`); Discard asks first, then takes Hardcover's values
back into the library as one undo step (books Hardcover holds nothing of are excluded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QWidget

from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.hardcover.questions import confirm

if TYPE_CHECKING:
    from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.ui.widgets import push_button


def discard_text(taking_back: int, excluding: int) -> str:
    """The Discard question: what it does to which books, and what takes it back."""
    parts = []
    if taking_back:
        parts.append(
            f"{books(taking_back)} {'takes' if taking_back == 1 else 'take'} Hardcover's "
            "status, rating and dates back (Undo brings yours back)"
        )
    if excluding:
        parts.append(
            f"{books(excluding)} not on Hardcover {'is' if excluding == 1 else 'are'} "
            "excluded from the sync (Include on this page syncs them again)"
        )
    held = books(taking_back + excluding)
    return f"Discard what you held back for {held}? " + "; ".join(parts) + ". Nothing is sent."


def books(count: int) -> str:
    return f"{count:,} {'book' if count == 1 else 'books'}"


class HeldLine(QWidget):
    send_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("hardcoverHeld")
        self.send_button = push_button(
            "Send &Held",
            self.send_requested.emit,
            tip="Send the changes you held back when you cancelled a sync",
        )
        self.discard_button = push_button(
            "&Discard Held…",
            self.discard_requested.emit,
            tip="Take Hardcover's values back for the books you held back (asks first)",
        )
        layout.addWidget(self.label, 1)
        layout.addWidget(self.send_button)
        layout.addWidget(self.discard_button)
        self.hide()

    def show_count(self, held: int) -> None:
        self.label.setText(
            f"{books(held)} held after you cancelled a sync: nothing sends them until you do."
        )
        self.setVisible(held > 0)


async def discard_held(
    window: QWidget,
    preview: tuple[int, int],
    discard: Callable[[], str],
    opened: Callable[[QMessageBox], object],
) -> str | None:
    """Ask, then discard; the result in words (None: the user said no, or nothing is held)."""
    if not any(preview):
        return None
    if not await confirm(
        window,
        "Discard held changes?",
        discard_text(*preview),
        "&Discard",
        opened,
        destructive=True,
    ):
        return None
    return discard()


def wire_held(
    line: HeldLine,
    service: HardcoverService,
    window: QWidget,
    sync_now: Callable[[list[int]], Any],
    changed: Callable[[str], None],
    question_opened: SignalInstance,
) -> None:
    """Send Held runs the user's own pass over the held books; Discard Held… asks, then
    discards and says what it did (`changed`)."""

    async def discard() -> None:
        preview = service.discard_preview()
        done = await discard_held(window, preview, service.discard_held, question_opened.emit)
        if done is not None:
            changed(done)

    line.send_requested.connect(lambda: sync_now(service.held_books()))
    line.discard_requested.connect(lambda: spawn(discard(), window))
