"""Settings ▸ KOReader ▸ HTTPS: the port, the addresses to type and the certificate's
fingerprint, saved through the real settings service; the restarted server answers over TLS
on 127.0.0.1 with that certificate."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import ssl

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server.tls import CERTIFICATE_FILE, ensure_certificate, tls_folder
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog, SettingsSections


def _fingerprint_of(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _fingerprint_of_file(pem: bytes) -> str:
    return _fingerprint_of(ssl.PEM_cert_to_DER_cert(pem.decode()))


@pytest.fixture
def made(library):
    """What the app passes: make the certificate in the data folder, give its fingerprint."""
    calls: list[str] = []

    def certificate() -> str:
        found = ensure_certificate(tls_folder(library.data_dir)).fingerprint
        calls.append(found)
        return found

    return certificate, calls


def _dialog(qtbot, certificate) -> SettingsDialog:
    dialog = SettingsDialog(
        load_settings(),
        save_settings,
        lan_addresses=["192.168.1.20"],
        sections=SettingsSections(certificate=certificate),
    )
    qtbot.addWidget(dialog)
    return dialog


def test_off_by_default_and_no_certificate_made(qtbot, made, library):
    certificate, calls = made
    dialog = _dialog(qtbot, certificate)
    assert dialog.https is not None
    assert not dialog.https.enabled_check.isChecked()
    assert not dialog.https.port_spin.isEnabled()
    assert dialog.https.fingerprint_label.text() == "—" and dialog.https.fingerprint == ""
    assert calls == []
    assert not (tls_folder(library.data_dir) / CERTIFICATE_FILE).exists()


def test_turning_it_on_shows_the_certificate_and_the_address(qtbot, made, library):
    certificate, calls = made
    dialog = _dialog(qtbot, certificate)
    dialog.https.enabled_check.setChecked(True)
    assert dialog.https.port_spin.value() == 8766  # next to the sync port
    assert dialog.https.address_label.text() == "https://192.168.1.20:8766/kosync"
    assert dialog.https.opds_label.text() == "https://192.168.1.20:8766/opds"
    assert dialog.https.opds2_label.text() == "https://192.168.1.20:8766/opds/v2"
    pem = (tls_folder(library.data_dir) / CERTIFICATE_FILE).read_bytes()
    assert dialog.https.fingerprint == _fingerprint_of_file(pem) == calls[-1]
    shown = dialog.https.fingerprint_label.text().splitlines()
    assert ":".join(shown) == calls[-1] and len(shown) == 2
    QApplication.clipboard().clear()
    dialog.https.copy_button.click()
    assert QApplication.clipboard().text() == calls[-1]
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData("127.0.0.1"))
    assert dialog.https.address_label.text() == "https://127.0.0.1:8766/kosync"
    dialog.opds_check.setChecked(False)
    assert dialog.https.opds_label.text() == "— (the catalog is off)"
    assert dialog.https.opds2_label.text() == "— (the catalog is off)"
    dialog.https.enabled_check.setChecked(False)
    assert dialog.https.address_label.text() == dialog.https.opds_label.text() == "—"
    assert dialog.https.opds2_label.text() == "—"


def test_saving_stores_the_port_and_restarts_the_server(qtbot, made):
    certificate, _calls = made
    dialog = _dialog(qtbot, certificate)
    dialog.https.enabled_check.setChecked(True)
    dialog.https.port_spin.setValue(9443)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert load_settings().https_port == 9443
    assert dialog.server_changed
    again = _dialog(qtbot, certificate)  # opened again: as saved
    assert again.https.enabled_check.isChecked() and again.https.port_spin.value() == 9443
    again.https.enabled_check.setChecked(False)
    with qtbot.waitSignal(again.accepted):
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert load_settings().https_port is None


def test_the_https_port_cannot_be_the_sync_port(qtbot, made):
    certificate, _calls = made
    dialog = _dialog(qtbot, certificate)
    dialog.https.enabled_check.setChecked(True)
    dialog.https.port_spin.setValue(dialog.port_spin.value())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() or dialog.result() == 0
    assert "cannot share port" in dialog.error_label.text()
    assert load_settings().https_port is None


def test_a_certificate_that_cannot_be_made_says_so(qtbot):
    def broken() -> str:
        raise OSError("Permission denied")

    dialog = _dialog(qtbot, broken)
    dialog.https.enabled_check.setChecked(True)
    assert "could not be made: Permission denied" in dialog.https.fingerprint_label.text()
    assert not dialog.https.copy_button.isEnabled()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _https_get(port: int, path: str) -> tuple[bytes, bytes]:
    """The answer over TLS, and the certificate the server showed (KOReader-like: unverified)."""
    client = ssl.create_default_context()
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client)
    shown = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    answer = await reader.read()
    writer.close()
    return answer, shown


def test_once_saved_the_restarted_server_answers_over_https(qtbot, qloop, library):
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", _free_port())
    server = DesktopServer(library, addresses=lambda host: [host])
    assert qloop.run_until_complete(server.start()).https_port is None
    try:
        dialog = _dialog(qtbot, server.certificate_fingerprint)
        dialog.https.enabled_check.setChecked(True)
        port = _free_port()
        dialog.https.port_spin.setValue(port)
        with qtbot.waitSignal(dialog.accepted):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.server_changed  # what makes the window restart the server
        info = qloop.run_until_complete(server.restart())
        assert info.https_port == port
        assert info.certificate_fingerprint == dialog.https.fingerprint
        answer, shown = qloop.run_until_complete(_https_get(port, "/kosync/healthcheck"))
        assert answer.startswith(b"HTTP/1.1 200")
        assert _fingerprint_of(shown) == dialog.https.fingerprint
    finally:
        qloop.run_until_complete(server.stop())
