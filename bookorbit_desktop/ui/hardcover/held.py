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

DISCARD_TEXT = (
    "Discard what you held back from Hardcover for {books}? Their status, rating and dates "
    "take Hardcover's values back (Undo brings yours back); books not on Hardcover are "
    "excluded from the sync. Nothing is sent."
)


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
    held: list[int],
    discard: Callable[[], str],
    opened: Callable[[QMessageBox], object],
) -> str | None:
    """Ask, then discard; the result in words (None: the user said no, or nothing is held)."""
    if not held:
        return None
    if not await confirm(
        window,
        "Discard held changes?",
        DISCARD_TEXT.format(books=books(len(held))),
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
        held = service.held_books()
        done = await discard_held(window, held, service.discard_held, question_opened.emit)
        if done is not None:
            changed(done)

    line.send_requested.connect(lambda: sync_now(service.held_books()))
    line.discard_requested.connect(lambda: spawn(discard(), window))
