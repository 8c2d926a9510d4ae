"""Settings ▸ KOReader ▸ HTTPS: serve an encrypted port next to the plain one.

Over plain HTTP the sync key and the catalog password cross the Wi-Fi readable by anyone on
it. With HTTPS the server also listens on a second port with a self-signed certificate made on
this computer; KOReader does not check certificates, so the addresses are all it needs: the
sync address and, with the catalog on, the OPDS addresses (Atom, and OPDS 2.0 at /opds/v2
for readers that speak it). The certificate's fingerprint is
shown so a careful user can compare it with what a browser shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.status import KOSYNC_PATH, OPDS_PATH
from bookorbit_desktop.ui.widgets import (
    push_button,
    selectable_label,
    show_copied,
    wide_row,
    wrapped_label,
)

OPDS2_PATH = f"{OPDS_PATH}/v2"  # the same catalog as OPDS 2.0 JSON
CATALOG_OFF = "— (the catalog is off)"

WHY = (
    "Use HTTPS on a Wi-Fi you share or do not control: over plain HTTP your KOReader sync key "
    "and catalog password (Basic auth) cross it unencrypted. KOReader does not verify "
    "certificates, so it accepts this computer's own; type the https addresses below on the "
    "device instead of the http ones."
)


class HttpsBox(QGroupBox):
    """`fingerprint()` makes the certificate if needed and returns its SHA-256 fingerprint;
    `host()` is the address shown in the http address too; `opds` is the dialog's catalog
    switch (the OPDS address is shown only with the catalog on)."""

    def __init__(
        self,
        https_port: int | None,
        http_port: QSpinBox,
        opds: QCheckBox,
        host: Callable[[], str],
        fingerprint: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Encrypted connection (HTTPS)", parent)
        self._http_port = http_port
        self._opds = opds
        self._host = host
        self._fingerprint = fingerprint
        layout = QVBoxLayout(self)
        why = wrapped_label(WHY)
        layout.addWidget(why)
        form = QFormLayout()
        layout.addLayout(form)
        row = QHBoxLayout()
        self.enabled_check = QCheckBox("Also serve &HTTPS on port")
        self.port_spin = QSpinBox()
        self.port_spin.setAccessibleName("HTTPS port")
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(https_port or min(http_port.value() + 1, 65535))
        row.addWidget(self.enabled_check)
        row.addWidget(self.port_spin)
        row.addStretch(1)
        form.addRow(row)
        self.address_label = selectable_label("httpsAddress")
        form.addRow("HTTPS sync address:", self.address_label)
        self.opds_label = selectable_label("httpsOpdsAddress")
        form.addRow("HTTPS catalog (OPDS):", self.opds_label)
        self.opds2_label = selectable_label("httpsOpds2Address")
        form.addRow("HTTPS catalog (OPDS 2.0):", self.opds2_label)
        self.fingerprint = ""  # "AB:CD:..." once the certificate exists
        self.fingerprint_label = selectable_label("certificateFingerprint")
        self.copy_button = push_button(
            "Cop&y", self._copy_fingerprint, tip="Copy the certificate's fingerprint"
        )
        form.addRow("Certificate (SHA-256):", wide_row(self.fingerprint_label, self.copy_button))
        self.enabled_check.setChecked(https_port is not None)
        self.enabled_check.toggled.connect(self._update)
        self.port_spin.valueChanged.connect(self._update)
        opds.toggled.connect(self.refresh_address)
        self._update()

    def https_port(self) -> int | None:
        """The port wanted, or None for no HTTPS."""
        return self.port_spin.value() if self.enabled_check.isChecked() else None

    def address(self, path: str = KOSYNC_PATH) -> str:
        return f"https://{self._host()}:{self.port_spin.value()}{path}"

    def refresh_address(self) -> None:
        on = self.enabled_check.isChecked()
        self.address_label.setText(self.address() if on else "—")
        for label, path in ((self.opds_label, OPDS_PATH), (self.opds2_label, OPDS2_PATH)):
            if not on:
                label.setText("—")
            else:
                label.setText(self.address(path) if self._opds.isChecked() else CATALOG_OFF)

    def _update(self) -> None:
        on = self.enabled_check.isChecked()
        self.port_spin.setEnabled(on)
        self.copy_button.setEnabled(False)
        self.refresh_address()
        self.fingerprint = ""
        if not on:
            self.fingerprint_label.setText("—")
            return
        try:
            self.fingerprint = self._fingerprint()
        except (BookOrbitError, OSError) as error:
            message = error.message if isinstance(error, BookOrbitError) else str(error)
            self.fingerprint_label.setWordWrap(True)
            self.fingerprint_label.setText(f"The certificate could not be made: {message}")
            return
        self.fingerprint_label.setText(two_lines(self.fingerprint))
        self.copy_button.setEnabled(True)

    def _copy_fingerprint(self) -> None:
        QGuiApplication.clipboard().setText(self.fingerprint)
        show_copied(self.copy_button)


def two_lines(fingerprint: str) -> str:
    """The 32 bytes of a fingerprint as two lines of 16, as certificate viewers show them."""
    pairs = fingerprint.split(":")
    half = (len(pairs) + 1) // 2
    return ":".join(pairs[:half]) + "\n" + ":".join(pairs[half:])
