"""Settings sections that act at once: the reachability test, watched folders, Hardcover.

Real parts throughout: the LAN server on 127.0.0.1, the library database, folders in the test's
folder, and the fake Hardcover over HTTP with the token in a file-backed keyring.
"""

from __future__ import annotations

from bookorbit_desktop.app import settings_sections
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.reachability import LOOPBACK_ONLY, check_reachability
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.services.settings import load_settings, load_sync_settings, save_settings
from bookorbit_desktop.ui.asyncqt import running_tasks, signal_future
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from bookorbit_desktop.ui.status import LOOPBACK_SUMMARY, AppStatus, server_summary


def make_dialog(qtbot, server, hardcover):
    dialog = SettingsDialog(
        load_settings(), save_settings, sections=settings_sections(server, hardcover)
    )
    qtbot.addWidget(dialog)
    return dialog


async def run_test(dialog):
    verdict = signal_future(dialog.reachability.tested)
    dialog.reachability.test_button.click()
    assert dialog.reachability.result_label.text() == "Testing…"
    return (await verdict)[0]


def test_the_reachability_test_finds_the_running_server(qtbot, qloop, server, hardcover):
    info = qloop.run_until_complete(server.start())
    dialog = make_dialog(qtbot, server, hardcover)
    verdict = qloop.run_until_complete(run_test(dialog))
    assert verdict.reachable
    text = dialog.reachability.result_label.text()
    assert text.startswith(f"The server answers at 127.0.0.1:{info.port}.")
    assert dialog.reachability.test_button.isEnabled()


def test_the_reachability_test_says_when_the_server_is_stopped(qtbot, qloop, server, hardcover):
    dialog = make_dialog(qtbot, server, hardcover)
    verdict = qloop.run_until_complete(run_test(dialog))
    assert not verdict.reachable
    assert "not running" in dialog.reachability.result_label.text()


def test_loopback_only_until_an_account_exists_is_explained(library, qloop):
    set_setting("server.host", "0.0.0.0")
    set_setting("server.port", 0)
    server = DesktopServer(library)
    info = qloop.run_until_complete(server.start())
    try:
        assert info.running and info.notice
        assert check_reachability(info).message == LOOPBACK_ONLY
    finally:
        qloop.run_until_complete(server.stop())
    status = AppStatus(server_running=True, server_notice=info.notice)
    assert server_summary(status) == LOOPBACK_SUMMARY
    assert "Settings" in LOOPBACK_SUMMARY


def test_watched_folders_are_added_and_removed(qtbot, server, hardcover, tmp_path):
    dialog = make_dialog(qtbot, server, hardcover)
    box = dialog.folders
    books = tmp_path / "Books"
    books.mkdir()
    with qtbot.waitSignal(box.changed):
        box.add_folder(str(books))
    assert [box.folder_list.item(i).text() for i in range(box.folder_list.count())] == [
        str(books.resolve())
    ]
    with qtbot.assertNotEmitted(box.changed):
        box.add_folder(str(tmp_path / "nowhere"))
    assert "is not a folder" in box.error_label.text()
    assert not box.remove_button.isEnabled()
    box.folder_list.setCurrentRow(0)
    with qtbot.waitSignal(box.changed):
        box.remove_button.click()
    assert box.folder_list.count() == 0


def test_hardcover_connect_settings_and_disconnect(qtbot, qloop, server, hardcover, fake):
    dialog = make_dialog(qtbot, server, hardcover)
    tab = dialog.hardcover
    assert tab.user_label.text() == "not connected"
    assert not tab.disconnect_button.isEnabled() and not tab.connect_button.isEnabled()
    tab.token_edit.setText(f"Bearer {fake.token}")

    async def click(button):
        button.click()
        await tab.task

    qloop.run_until_complete(click(tab.connect_button))
    assert tab.user_label.text() == "reader"
    assert tab.token_edit.text() == ""  # the saved token is never shown back
    assert "keyring" in tab.token_edit.placeholderText()
    assert tab.disconnect_button.isEnabled()

    tab.progress_check.setChecked(False)
    tab.privacy_combo.setCurrentIndex(tab.privacy_combo.findData("private"))
    assert not tab.privacy_for_all_check.isChecked()  # entries made on hardcover.app kept
    tab.privacy_for_all_check.setChecked(True)
    dialog.save_button.click()
    stored = load_sync_settings()
    assert (stored.on_progress, stored.on_status, stored.privacy) == (False, True, "private")
    assert stored.privacy_for_all is True
    assert make_dialog(qtbot, server, hardcover).hardcover.privacy_for_all_check.isChecked()

    qloop.run_until_complete(click(tab.disconnect_button))
    assert tab.user_label.text() == "not connected"
    assert not running_tasks()


def test_a_refused_token_is_explained(qtbot, qloop, server, hardcover):
    dialog = make_dialog(qtbot, server, hardcover)
    tab = dialog.hardcover
    tab.token_edit.setText("not-a-token")
    tab.connect_button.click()
    qloop.run_until_complete(tab.task)
    assert tab.user_label.text() == "not connected"
    assert tab.account_message.text() and tab.account_message.text() != "Connected."
    assert tab.token_edit.text() == ""


def test_the_sync_triggers_follow_the_switch(qtbot, server, hardcover):
    dialog = make_dialog(qtbot, server, hardcover)
    tab = dialog.hardcover
    tab.enabled_check.setChecked(False)
    assert not tab.status_check.isEnabled() and not tab.rating_check.isEnabled()
    assert [tab.privacy_combo.itemText(i) for i in range(tab.privacy_combo.count())] == [
        "As on my Hardcover account",
        "Public",
        "Followers",
        "Private",
    ]
