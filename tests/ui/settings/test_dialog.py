"""The Settings dialog saves through the real settings service into a real library."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bookorbit_desktop.server import accounts
from bookorbit_desktop.services import autostart
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog, StartAtLogin
from tests.ui.events import wheel


@pytest.fixture
def dialog(qtbot, library):
    dialog = SettingsDialog(load_settings(), save_settings, lan_addresses=["192.168.1.20"])
    qtbot.addWidget(dialog)
    return dialog


def test_shows_the_address_to_type_into_koreader(dialog):
    assert dialog.address_label.text() == "http://192.168.1.20:8765/kosync"
    dialog.port_spin.setValue(9001)
    assert dialog.address_label.text() == "http://192.168.1.20:9001/kosync"
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData("127.0.0.1"))
    assert dialog.address_label.text() == "http://127.0.0.1:9001/kosync"


def test_shows_both_catalog_addresses_while_the_catalog_is_on(dialog):
    assert dialog.opds_address_label.text() == "http://192.168.1.20:8765/opds"
    assert dialog.opds2_address_label.text() == "http://192.168.1.20:8765/opds/v2"
    dialog.port_spin.setValue(9001)
    assert dialog.opds2_address_label.text() == "http://192.168.1.20:9001/opds/v2"
    dialog.opds_check.setChecked(False)
    assert dialog.opds_address_label.text() == dialog.opds2_address_label.text()
    assert dialog.opds2_address_label.text() == "— (the catalog is off)"
    dialog.opds_check.setChecked(True)
    assert dialog.opds_address_label.text() == "http://192.168.1.20:9001/opds"


def test_copy_button_puts_the_address_on_the_clipboard(dialog, qtbot):
    QApplication.clipboard().clear()
    dialog._copy_address()
    assert QApplication.clipboard().text() == "http://192.168.1.20:8765/kosync"


def test_saving_stores_every_field_and_the_account(dialog, qtbot):
    dialog.host_combo.setCurrentIndex(dialog.host_combo.findData("192.168.1.20"))
    dialog.port_spin.setValue(9001)
    dialog.opds_check.setChecked(False)
    assert not dialog.page_size_spin.isEnabled()
    dialog.registration_check.setChecked(True)
    dialog.threshold_spin.setValue(98.5)
    qtbot.keyClicks(dialog.username_edit, "reader")
    qtbot.keyClicks(dialog.password_edit, "s3cret pass")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = load_settings()
    assert stored.host == "192.168.1.20"
    assert stored.port == 9001
    assert stored.opds_enabled is False
    assert stored.allow_registration is True
    assert stored.finish_threshold == pytest.approx(0.985)
    assert stored.username == "reader"
    assert accounts.verify(
        accounts.load_account(), "reader", accounts.key_for_password("s3cret pass")
    )
    assert dialog.saved == stored
    assert dialog.server_changed
    assert dialog.password_edit.text() == ""  # the password does not linger in the widget


def test_a_rejected_value_is_shown_and_nothing_is_saved(dialog, qtbot):
    before = load_settings()
    dialog.port_spin.setValue(9001)
    qtbot.keyClicks(dialog.username_edit, "reader")  # a new account needs a password
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisibleTo(dialog)
    assert "Choose a password" in dialog.error_label.text()
    assert dialog.result() == 0 and dialog.saved is None
    assert load_settings() == before
    qtbot.keyClicks(dialog.password_edit, "pw")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert load_settings().port == 9001


def test_changing_only_reading_settings_does_not_restart_the_server(dialog, qtbot):
    dialog.threshold_spin.setValue(90.0)
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert not dialog.server_changed
    assert load_settings().finish_threshold == pytest.approx(0.9)


def test_existing_account_keeps_its_password_when_left_empty(qtbot, library):
    save_settings(replace(load_settings(), username="me"), "pw")
    dialog = SettingsDialog(load_settings(), save_settings)
    qtbot.addWidget(dialog)
    assert dialog.username_edit.text() == "me"
    assert dialog.password_edit.placeholderText() == "unchanged"
    assert "logs in as “me”" in dialog.account_label.text()
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert accounts.verify(accounts.load_account(), "me", accounts.key_for_password("pw"))
    # Without a LAN address list the dialog still says what to type.
    assert dialog.address_label.text().endswith(":8765/kosync")


def test_start_at_login_writes_the_autostart_entry(qtbot, library, tmp_path):
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    login = StartAtLogin(
        autostart.is_enabled(environ),
        lambda enabled: autostart.set_enabled(
            enabled, environ=environ, command=["/usr/bin/bookorbit-desktop", "gui", "--hidden"]
        ),
    )
    dialog = SettingsDialog(load_settings(), save_settings, start_at_login=login, log_dir="/x")
    qtbot.addWidget(dialog)
    assert not dialog.login_check.isChecked()
    dialog.login_check.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()
    assert autostart.is_enabled(environ)


def test_a_failing_start_at_login_is_shown(qtbot, library, tmp_path):
    (tmp_path / "autostart").write_text("a file where the folder should be")
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    login = StartAtLogin(False, lambda enabled: autostart.set_enabled(enabled, environ=environ))
    dialog = SettingsDialog(load_settings(), save_settings, start_at_login=login)
    qtbot.addWidget(dialog)
    dialog.login_check.setChecked(True)
    dialog.port_spin.setValue(9100)
    dialog.accept()
    assert dialog.result() == 0
    assert "Could not write" in dialog.error_label.text()
    assert load_settings().port == 8765  # nothing else was saved either


def test_start_at_login_is_greyed_out_where_unsupported(qtbot, library):
    dialog = SettingsDialog(load_settings(), save_settings, start_at_login=None)
    qtbot.addWidget(dialog)
    assert not dialog.login_check.isEnabled()


def test_registration_is_offered_only_while_there_is_no_account(qtbot, library):
    dialog = SettingsDialog(load_settings(), save_settings)
    qtbot.addWidget(dialog)
    assert dialog.registration_check.isEnabled()
    accounts.set_account("reader", accounts.key_for_password("pw"))
    # With an account, KOReader's Register is always refused: the box would promise nothing.
    dialog = SettingsDialog(load_settings(), save_settings)
    qtbot.addWidget(dialog)
    assert not dialog.registration_check.isEnabled()
    assert "account" in dialog.registration_check.toolTip()


def test_every_tab_scrolls_and_the_dialog_fits_its_screen(dialog, qtbot):
    from PySide6.QtWidgets import QScrollArea

    dialog.show()
    qtbot.waitExposed(dialog)
    free = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().width() <= free.width()
    assert dialog.frameGeometry().height() <= free.height()
    for index in range(dialog.tabs.count()):
        assert isinstance(dialog.tabs.widget(index), QScrollArea), dialog.tabs.tabText(index)
    assert dialog.save_button.isVisible()


def test_the_wheel_over_an_unfocused_field_changes_nothing(dialog, qtbot):
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.wanted()
    for field in (dialog.port_spin, dialog.host_combo, dialog.page_size_spin):
        wheel(field)
    dialog.tabs.setCurrentIndex(1)
    wheel(dialog.threshold_spin)
    assert dialog.wanted() == before


def test_copying_the_address_says_so_on_the_button(dialog, qtbot):
    from bookorbit_desktop.ui import widgets

    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "http://192.168.1.20:8765/kosync"
    assert dialog.copy_button.text() == "Copied ✓"
    qtbot.waitUntil(lambda: dialog.copy_button.text() == "&Copy", timeout=widgets.COPIED_MS + 2000)
