"""Settings ▸ KOReader ▸ "Can a device on this network reach this address?"

The test (a real connection to the server's own LAN address, and a look at which firewall is
on) runs on a worker thread; its verdict says what was found and, when a firewall is on, what
to type or click to let the e-reader in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from bookorbit_desktop.services.reachability import Verdict
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import ERROR_COLOUR, message_label, push_button, wrapped_label

OK_COLOUR = "#2e7d32"


class ReachabilityBox(QGroupBox):
    tested = Signal(object)  # the Verdict, on the GUI thread

    def __init__(self, test: Callable[[], Verdict], parent: QWidget | None = None) -> None:
        super().__init__("Can a device on this network reach this address?", parent)
        self._test = test
        self._thread: threading.Thread | None = None
        layout = QVBoxLayout(self)
        self.test_button = push_button("&Test the connection", self.start)
        self.result_label = show_plain(wrapped_label())
        self.result_label.setObjectName("reachabilityResult")
        self.allow_label = message_label("reachabilityAllow")
        self.allow_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result_label)
        layout.addWidget(self.allow_label)
        self.tested.connect(self._show)

    def start(self) -> None:
        if self._thread is not None:
            return
        self.test_button.setEnabled(False)
        self.result_label.setStyleSheet("")
        self.result_label.setText("Testing…")
        self.allow_label.hide()
        self._thread = threading.Thread(target=self._run, name="reachability", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.tested.emit(self._test())

    def _show(self, verdict: Verdict) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        self.test_button.setEnabled(True)
        colour = OK_COLOUR if verdict.reachable else ERROR_COLOUR
        self.result_label.setStyleSheet(f"color: {colour};")
        self.result_label.setText(verdict.message)
        if verdict.how_to_allow:
            self.allow_label.setText(f"To allow it: {verdict.how_to_allow}")
            self.allow_label.show()
