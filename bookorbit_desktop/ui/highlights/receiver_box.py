"""The Highlights page's switch for KOReader's Wi-Fi export (Export highlights ▸ XMNote).

Off until the user ticks it. Apply saves the choice and restarts the server, which then runs
the receiver on the chosen port (KOReader always posts to 8080; calibre's content server also
listens there by default, hence the port). The box then says what to type into KOReader, or
why the receiver could not start.

Without a pairing secret anyone on the Wi-Fi may post highlights (nothing they replace is
lost: see `earlier_dialog`). "Require a Secret" makes a long random one in one click, shows it
with a Copy button and how to type it into KOReader, and restarts the server to require it.
"Stop Requiring" asks first (KOReader then needs no secret), forgets it and restarts the server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.highlights import service
from bookorbit_desktop.services.server import ServerInfo
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.widgets import push_button, wide_row, wrapped_label

STEPS = (
    "In KOReader: open a book, Tools ▸ Export highlights ▸ Choose formats and services ▸ "
    "XMNote ▸ Set XMNote IP, type {where}, and tick Export to XMNote. Then Export highlights ▸ "
    "Export all notes in current book."
)
SECRET_HINT = (
    "KOReader must send this secret: in Set XMNote IP type the address above, ending in "
    "/send?k= and the secret (KOReader adds the rest). Other devices' posts are refused."
)
SECRET_HINT_NO_ADDRESS = (
    "KOReader must send this secret: the address to type in Set XMNote IP appears above once "
    "the receiver runs, ending in /send?k= and the secret (KOReader adds the rest). Other "
    "devices' posts are refused."
)
NO_SECRET_HINT = (
    "No pairing secret: any device on this Wi-Fi may send highlights. Texts they replace are "
    "kept (Earlier Texts… in a book's Highlights)."
)

STOP_QUESTION = (
    "Stop requiring the pairing secret? KOReader then needs no secret: any device on this "
    "Wi-Fi may send highlights (texts they replace are kept)."
)

# Alt+D, E, F, S, V open the window's menus (G, H, L, T, U its pages): these take others.
REQUIRE_TEXT = "Re&quire a Secret"
NEW_TEXT = "&New Secret"
STOP_TEXT = "St&op Requiring"


@dataclass(frozen=True)
class ReceiverAccess:
    """How the box restarts the server (the window's own restart, which keeps the status bar
    and tray in step) and reads what the server runs now."""

    restart: Callable[[], Awaitable[ServerInfo]]
    info: Callable[[], ServerInfo]


def hosts_of(info: ServerInfo) -> list[str]:
    """The addresses the server is reachable at, from its URLs."""
    return [urlsplit(url).hostname or "" for url in info.base_urls if urlsplit(url).hostname]


def shows_address(info: ServerInfo, settings: service.ReceiverSettings) -> bool:
    """Whether the status shows the address to type into KOReader: only while the receiver is
    switched on and running."""
    return settings.on and not info.highlights_problem and info.highlights_port is not None


def status_text(info: ServerInfo, settings: service.ReceiverSettings) -> str:
    if not settings.on:
        return "Off: KOReader's highlight exports are not received."
    if info.highlights_problem:
        return info.highlights_problem
    if info.highlights_port is None:
        return "Not running yet: save to start it."
    addresses = service.exporter_addresses(hosts_of(info), info.highlights_port, settings.secret)
    where = " or ".join(addresses) or "this computer's address"
    return f"Receiving on port {info.highlights_port}. " + STEPS.format(where=where)


def secret_hint(info: ServerInfo, settings: service.ReceiverSettings) -> str:
    """What the secret asks of KOReader, pointing at the address only while it is shown."""
    if not settings.secret:
        return NO_SECRET_HINT
    return SECRET_HINT if shows_address(info, settings) else SECRET_HINT_NO_ADDRESS


class ReceiverBox(QGroupBox):
    question_opened = Signal(object)  # the "Stop requiring?" box, once it is on screen

    def __init__(self, access: ReceiverAccess, parent: QWidget | None = None) -> None:
        super().__init__("Receive highlights over Wi-Fi", parent)
        self._access = access
        settings = service.receiver_settings()
        self.receiving = settings.on  # switched on as saved (the server may not run yet)
        self.on_check = QCheckBox("Receive KOReader's highlight e&xports (XMNote)")
        self.on_check.setAccessibleName("Receive KOReader's highlight exports")
        self.on_check.setChecked(settings.on)
        self.port_spin = QSpinBox()
        self.port_spin.setAccessibleName("Receiver port")
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(settings.port)
        self.port_spin.setPrefix("port ")
        self.apply_button = push_button("S&ave", self.apply, name="Save the receiver's settings")
        self.status = wrapped_label()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.secret_hint = wrapped_label()
        self.secret_field = QLineEdit()
        self.secret_field.setAccessibleName("Pairing secret")
        self.secret_field.setReadOnly(True)
        self.copy_secret_button = push_button(
            "&Copy Secret", self.copy_secret, name="Copy the pairing secret"
        )
        self.require_button = push_button(REQUIRE_TEXT, self.require_secret)
        self.stop_button = push_button(
            STOP_TEXT, self.stop_requiring, name="Stop requiring a pairing secret"
        )
        row = wide_row(self.on_check, self.port_spin, self.apply_button)
        secret_row = wide_row(
            self.secret_field, self.copy_secret_button, self.require_button, self.stop_button
        )
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.secret_hint)
        layout.addLayout(secret_row)
        self.on_check.toggled.connect(self._changed)
        self.port_spin.valueChanged.connect(self._changed)
        self.show_info(access.info())

    def _changed(self) -> None:
        saved = service.receiver_settings()
        wanted = (self.on_check.isChecked(), self.port_spin.value())
        self.apply_button.setEnabled(wanted != (saved.on, saved.port))

    def refresh(self) -> None:
        """Show what the server runs now (it may have started since the box was made)."""
        self.show_info(self._access.info())

    def show_info(self, info: ServerInfo) -> None:
        settings = service.receiver_settings()
        self.receiving = settings.on
        self.status.setText(status_text(info, settings))
        self.secret_hint.setText(secret_hint(info, settings))
        self.secret_field.setText(settings.secret or "")
        self.secret_field.setVisible(bool(settings.secret))
        self.copy_secret_button.setVisible(bool(settings.secret))
        self.stop_button.setVisible(bool(settings.secret))
        self.require_button.setText(NEW_TEXT if settings.secret else REQUIRE_TEXT)
        self.require_button.setAccessibleName(
            "Make a new pairing secret" if settings.secret else "Require a pairing secret"
        )
        self._changed()

    def copy_secret(self) -> None:
        QGuiApplication.clipboard().setText(self.secret_field.text())

    def require_secret(self) -> None:
        """Make a new secret, show it, and restart the server so that it is required."""
        service.require_secret()
        self.show_info(self._access.info())
        self.task = spawn(self._restart_and_show(), self)

    def stop_requiring(self) -> None:
        """Ask, then forget the secret and restart the server so that none is required."""
        self.task = spawn(self._stop_requiring(), self)

    async def _stop_requiring(self) -> None:
        box, chosen = action_or_cancel(self, "Stop Requiring the Secret", STOP_QUESTION, STOP_TEXT)
        await run_dialog(box, lambda: self.question_opened.emit(box))
        if box.clickedButton() is not chosen:
            return
        service.stop_requiring_secret()
        self.show_info(self._access.info())
        await self._restart_and_show()

    def apply(self) -> None:
        try:
            service.save_receiver(self.on_check.isChecked(), self.port_spin.value())
        except BookOrbitError as error:
            show_error(self, error)
            return
        self.apply_button.setEnabled(False)
        self.task = spawn(self._restart_and_show(), self)

    async def _restart_and_show(self) -> None:
        self.status.setText("Restarting the server…")
        self.show_info(await self._access.restart())
