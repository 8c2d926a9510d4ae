"""Settings ▸ KOReader ▸ Devices on the real device service: a locked keyring is said, and a
password the keyring refuses stays typed so the user can try again."""

from __future__ import annotations

from bookorbit_desktop.services.devices.service import DeviceService
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.device_password_box import DevicePasswordAccess
from bookorbit_desktop.ui.settings.dialog import SettingsDialog, SettingsSections
from tests.fakes.file_keyring import FileKeyring, LockedKeyring


def dialog_for(qtbot, service: DeviceService) -> SettingsDialog:
    access = DevicePasswordAccess(service.has_password, service.set_password)
    dialog = SettingsDialog(
        load_settings(), save_settings, sections=SettingsSections(device_password=access)
    )
    qtbot.addWidget(dialog)
    return dialog


def test_a_locked_keyring_is_said_and_the_typed_password_is_kept(qtbot, library):
    dialog = dialog_for(qtbot, DeviceService(library, backend=LockedKeyring()))
    box = dialog.device_password
    assert box is not None
    qtbot.waitUntil(lambda: "refused to read the device password" in box.state_label.text())
    box.password_edit.setText("kobo-pass")
    dialog.accept()
    assert "refused to save the device password" in dialog.error_label.text()
    assert dialog.saved is not None and box.password_edit.text() == "kobo-pass"


def test_a_saved_password_goes_to_the_keyring_only(qtbot, library, tmp_path):
    keyring = FileKeyring(tmp_path / "keyring.json")
    service = DeviceService(library, backend=keyring)
    dialog = dialog_for(qtbot, service)
    qtbot.waitUntil(lambda: dialog.device_password.state_label.text().startswith("No password"))
    dialog.device_password.password_edit.setText("kobo-pass")
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert service.passwords.load() == "kobo-pass"
    assert dialog.device_password.password_edit.text() == ""
    assert dialog.device_password.state_label.text().startswith("A password is saved")
    for file in library.data_dir.rglob("*"):  # not in the library, its settings or its logs
        assert not file.is_file() or b"kobo-pass" not in file.read_bytes(), file
