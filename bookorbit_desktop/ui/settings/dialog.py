"""Settings: the server, OPDS, the KOReader account and device password, reading, watched
folders, Hardcover, the metadata sources' key.

Every tab scrolls where the screen is too small for it, and the dialog never grows beyond the
screen, so a 1366x768 or 1280x720 laptop shows its title bar and buttons. The dialog edits a
copy of the settings and hands it to an injected `save` function; if that raises (a port out
of range, a new user name without a password), the message appears in the dialog and nothing
is stored, so the user can correct the field and try again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.reachability import Verdict
from bookorbit_desktop.services.settings import (
    ALL_INTERFACES,
    MAX_PAGE_SIZE,
    MIN_PAGE_SIZE,
    THIS_COMPUTER_ONLY,
    DesktopSettings,
)
from bookorbit_desktop.ui.koreader_help import SETTINGS_STEPS
from bookorbit_desktop.ui.settings.contact_box import ContactAccess
from bookorbit_desktop.ui.settings.device_password_box import (
    DevicePasswordAccess,
    DevicePasswordBox,
)
from bookorbit_desktop.ui.settings.folders_box import FolderAccess, WatchedFoldersBox
from bookorbit_desktop.ui.settings.hardcover_tab import HardcoverAccess, HardcoverTab
from bookorbit_desktop.ui.settings.https_box import CATALOG_OFF, OPDS2_PATH, HttpsBox
from bookorbit_desktop.ui.settings.inbox_box import InboxAccess, InboxBox, library_page
from bookorbit_desktop.ui.settings.metadata_tab import GoogleKeyAccess, MetadataTab
from bookorbit_desktop.ui.settings.reachability_box import ReachabilityBox
from bookorbit_desktop.ui.settings.table_box import TableAccess, TableBox
from bookorbit_desktop.ui.status import KOSYNC_PATH, OPDS_PATH
from bookorbit_desktop.ui.text import plain_label
from bookorbit_desktop.ui.widgets import (
    ERROR_COLOUR,
    fit_to_screen,
    push_button,
    scrolling,
    secret_edit,
    selectable_label,
    show_copied,
    wheel_needs_focus,
    wide_row,
    wrapped_label,
)

SaveSettings = Callable[[DesktopSettings, str], DesktopSettings]


class StartAtLogin:
    """Whether the app starts at login, and how to change that (None where unsupported)."""

    def __init__(self, enabled: bool, apply: Callable[[bool], None]) -> None:
        self.enabled = enabled
        self.apply = apply


@dataclass
class SettingsSections:
    """The sections that act on more than the stored settings; each one is optional."""

    reachability: Callable[[], Verdict] | None = None  # blocking; run on a worker thread
    folders: FolderAccess | None = None
    inbox: InboxAccess | None = None
    table: TableAccess | None = None
    hardcover: HardcoverAccess | None = None
    google_key: GoogleKeyAccess | None = None
    contact_email: ContactAccess | None = None  # shown with the Google key (Metadata tab)
    # Makes the HTTPS certificate if needed; its SHA-256 fingerprint.
    certificate: Callable[[], str] | None = None
    device_password: DevicePasswordAccess | None = None


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: DesktopSettings,
        save: SaveSettings,
        *,
        lan_addresses: Sequence[str] = (),
        start_at_login: StartAtLogin | None = None,
        log_dir: str = "",
        sections: SettingsSections | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._original = settings
        self._save = save
        self._lan_addresses = list(lan_addresses)
        self._start_at_login = start_at_login
        self._log_dir = log_dir
        self.saved: DesktopSettings | None = None
        sections = sections or SettingsSections()
        self.reachability = (
            ReachabilityBox(sections.reachability) if sections.reachability else None
        )
        self.folders = WatchedFoldersBox(sections.folders) if sections.folders else None
        self.inbox = InboxBox(sections.inbox) if sections.inbox else None
        self.table_box = TableBox(sections.table) if sections.table else None
        self.hardcover = HardcoverTab(sections.hardcover) if sections.hardcover else None
        self.metadata = (
            MetadataTab(sections.google_key, sections.contact_email)
            if sections.google_key
            else None
        )
        self._certificate = sections.certificate
        self.device_password = (
            DevicePasswordBox(sections.device_password) if sections.device_password else None
        )
        self.https: HttpsBox | None = None

        # Each tab scrolls when the screen is too small for it (a 1366x768 laptop).
        self.tabs = tabs = QTabWidget()
        tabs.addTab(scrolling(self._koreader_tab(settings)), "KOReader")
        tabs.addTab(scrolling(self._reading_tab(settings)), "Reading")
        if self.folders is not None:
            library = library_page(self.folders, self.inbox, self.table_box)
            tabs.addTab(scrolling(library), "Library")
        if self.hardcover is not None:
            tabs.addTab(scrolling(self.hardcover), "Hardcover")
        if self.metadata is not None:
            tabs.addTab(scrolling(self.metadata), "Metadata")
        tabs.addTab(scrolling(self._general_tab()), "General")
        self.error_label = plain_label()
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            f"color: #ffffff; background: {ERROR_COLOUR}; padding: 6px; border-radius: 4px;"
        )
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._update_address()
        wheel_needs_focus(self)
        fit_to_screen(self)

    # -- tabs -----------------------------------------------------------------------------

    def _koreader_tab(self, settings: DesktopSettings) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self._server_group(settings))
        if self._certificate is not None:
            self.https = HttpsBox(
                settings.https_port,
                self.port_spin,
                self.opds_check,
                self._shown_host,
                self._certificate,
            )
            layout.addWidget(self.https)
        if self.reachability is not None:
            layout.addWidget(self.reachability)
        steps = wrapped_label(SETTINGS_STEPS)
        steps.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(steps)
        layout.addWidget(self._account_group(settings))
        if self.device_password is not None:
            layout.addWidget(self.device_password)
        layout.addStretch(1)
        return page

    def _server_group(self, settings: DesktopSettings) -> QGroupBox:
        server = QGroupBox("Server")
        form = QFormLayout(server)
        self.host_combo = QComboBox()
        self.host_combo.addItem("All network interfaces", ALL_INTERFACES)
        self.host_combo.addItem("This computer only", THIS_COMPUTER_ONLY)
        for address in self._lan_addresses:
            self.host_combo.addItem(f"Only {address}", address)
        index = self.host_combo.findData(settings.host)
        if index < 0:
            self.host_combo.addItem(f"Only {settings.host}", settings.host)
            index = self.host_combo.count() - 1
        self.host_combo.setCurrentIndex(index)
        self.host_combo.currentIndexChanged.connect(self._update_address)
        form.addRow("&Listen on:", self.host_combo)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1024, 65535)
        self.port_spin.setValue(settings.port)
        self.port_spin.valueChanged.connect(self._update_address)
        form.addRow("&Port:", self.port_spin)
        self.opds_check = QCheckBox(
            "Offer the &OPDS catalog (browse and download books in KOReader)"
        )
        self.opds_check.setChecked(settings.opds_enabled)
        form.addRow(self.opds_check)
        self.page_size_spin = QSpinBox()
        self.page_size_spin.setRange(MIN_PAGE_SIZE, MAX_PAGE_SIZE)
        self.page_size_spin.setValue(settings.opds_page_size)
        self.page_size_spin.setSuffix(" books per page")
        self.page_size_spin.setEnabled(settings.opds_enabled)
        self.opds_check.toggled.connect(self.page_size_spin.setEnabled)
        form.addRow("OPDS page si&ze:", self.page_size_spin)
        self.address_label = selectable_label("serverAddress")
        self.copy_button = push_button(
            "&Copy", self._copy_address, tip="Copy the address to type into KOReader"
        )
        form.addRow("Sync server address:", wide_row(self.address_label, self.copy_button))
        self.opds_address_label = selectable_label("opdsAddress")
        form.addRow("Catalog (OPDS):", self.opds_address_label)
        self.opds2_address_label = selectable_label("opds2Address")
        self.opds2_address_label.setToolTip("The same catalog as OPDS 2.0, for readers that use it")
        form.addRow("Catalog (OPDS 2.0):", self.opds2_address_label)
        self.opds_check.toggled.connect(self._update_address)
        return server

    def _account_group(self, settings: DesktopSettings) -> QGroupBox:
        account = QGroupBox("Account (KOReader sync and OPDS)")
        form = QFormLayout(account)
        self.username_edit = QLineEdit(settings.username or "")
        self.username_edit.setPlaceholderText("for example: reader")
        form.addRow("&User name:", self.username_edit)
        self.password_edit = secret_edit()
        self.password_edit.setPlaceholderText(
            "unchanged" if settings.username else "choose a password"
        )
        form.addRow("Pass&word:", self.password_edit)
        self.registration_check = QCheckBox("Allow &registration from a device")
        self.registration_check.setToolTip(
            "While no account exists, KOReader's Register button creates it."
        )
        self.registration_check.setChecked(settings.allow_registration)
        if settings.username:
            # The server refuses Register whenever an account exists.
            self.registration_check.setEnabled(False)
            self.registration_check.setToolTip(
                "An account exists, so KOReader logs in with it; Register is not needed."
            )
        form.addRow(self.registration_check)
        self.account_label = wrapped_label(self._account_text(settings))
        form.addRow(self.account_label)
        return account

    def _reading_tab(self, settings: DesktopSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setDecimals(1)
        self.threshold_spin.setRange(50.0, 100.0)
        self.threshold_spin.setSingleStep(0.5)
        self.threshold_spin.setSuffix(" %")
        self.threshold_spin.setValue(round(settings.finish_threshold * 100, 1))
        form.addRow("Count a book as &finished at:", self.threshold_spin)
        hint = wrapped_label(
            "KOReader rarely reaches exactly 100 % because of notes and back matter at the end "
            "of a book; when a device reports at least this much, the book is marked read."
        )
        form.addRow(hint)
        return page

    def _general_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.login_check = QCheckBox("&Start BookOrbit when I log in (in the tray)")
        self.login_check.setToolTip(
            "KOReader can only sync while BookOrbit runs; starting at login keeps it available."
        )
        if self._start_at_login is None:
            self.login_check.setEnabled(False)
            self.login_check.setToolTip("Not available on this system.")
        else:
            self.login_check.setChecked(self._start_at_login.enabled)
        form.addRow(self.login_check)
        if self._log_dir:
            logs = QLabel(f"Log files: {self._log_dir}")
            logs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            logs.setWordWrap(True)
            form.addRow(logs)
        return page

    # -- behaviour ------------------------------------------------------------------------

    @staticmethod
    def _account_text(settings: DesktopSettings) -> str:
        if settings.username:
            return (
                f"KOReader logs in as “{settings.username}”. Leave the password empty to keep "
                "it; type a new one to change it."
            )
        return (
            "No account yet: choose a user name and password here, or allow registration and "
            "press Register in KOReader."
        )

    def _shown_host(self) -> str:
        host = self.host_combo.currentData()
        if host in (ALL_INTERFACES, "::"):
            return self._lan_addresses[0] if self._lan_addresses else "<this computer's address>"
        return str(host)

    def address(self, path: str = KOSYNC_PATH) -> str:
        return f"http://{self._shown_host()}:{self.port_spin.value()}{path}"

    def _update_address(self) -> None:
        self.address_label.setText(self.address())
        on = self.opds_check.isChecked()
        self.opds_address_label.setText(self.address(OPDS_PATH) if on else CATALOG_OFF)
        self.opds2_address_label.setText(self.address(OPDS2_PATH) if on else CATALOG_OFF)
        if self.https is not None:
            self.https.refresh_address()

    def _copy_address(self) -> None:
        QGuiApplication.clipboard().setText(self.address())
        show_copied(self.copy_button)

    def wanted(self) -> DesktopSettings:
        """The settings as currently entered."""
        return DesktopSettings(
            host=str(self.host_combo.currentData()),
            port=self.port_spin.value(),
            opds_enabled=self.opds_check.isChecked(),
            opds_page_size=self.page_size_spin.value(),
            allow_registration=self.registration_check.isChecked(),
            finish_threshold=round(self.threshold_spin.value() / 100, 4),
            username=self.username_edit.text().strip() or None,
            https_port=(
                self.https.https_port() if self.https is not None else self._original.https_port
            ),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        try:
            if self.hardcover is not None:
                self.hardcover.check()  # a mistyped date stops the Save before anything else
            # Start-at-login first: if it fails, nothing else has been changed yet.
            login = self._start_at_login
            if login is not None and self.login_check.isChecked() != login.enabled:
                login.apply(self.login_check.isChecked())
                login.enabled = self.login_check.isChecked()
            self.saved = self._save(self.wanted(), self.password_edit.text())
            if self.hardcover is not None:
                self.hardcover.apply()
            if self.device_password is not None:
                self.device_password.apply()
        except BookOrbitError as error:
            self.show_error(error.message)
            return
        self.password_edit.clear()
        super().accept()

    @property
    def server_changed(self) -> bool:
        return self.saved is not None and self._original.server_differs(self.saved)
