"""Settings ▸ Hardcover: the token's expiry typed beside the token goes with Connect; once
connected it is changed or cleared with Save (a mistyped date stops the Save before anything is
stored); a legacy token's own expiry is shown, not typed. The tray warns from a week before."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.services.settings import load_settings, load_sync_settings, save_settings
from bookorbit_desktop.ui.settings.access import settings_sections
from bookorbit_desktop.ui.settings.dialog import SettingsDialog
from bookorbit_desktop.ui.token_notice import TokenExpiryNotice


def make_dialog(qtbot, server, hardcover) -> SettingsDialog:
    dialog = SettingsDialog(
        load_settings(), save_settings, sections=settings_sections(server, hardcover)
    )
    qtbot.addWidget(dialog)
    return dialog


def click_and_wait(qloop, tab, button) -> None:
    async def click():
        button.click()
        await tab.task

    qloop.run_until_complete(click())


def test_the_expiry_goes_with_connect_and_the_tray_warns(qtbot, qloop, server, hardcover, fake):
    soon = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    tab = make_dialog(qtbot, server, hardcover).hardcover
    assert tab.expiry_edit.text() == "" and not tab.expiry_edit.isReadOnly()
    tab.token_edit.setText(fake.token)
    tab.expiry_edit.setText(soon)
    click_and_wait(qloop, tab, tab.connect_button)
    assert tab.user_label.text() == "reader"
    assert tab.expiry_edit.text() == soon
    assert f"expires {soon}" in tab.token_health.text() and "Warning:" in tab.token_health.text()
    shown: list[str] = []
    notice = TokenExpiryNotice(lambda title, text: shown.append(text))

    async def check():
        notice.check()
        await notice.task

    qloop.run_until_complete(check())
    assert len(shown) == 1 and soon in shown[0]


def test_once_connected_save_changes_and_clears_it(qtbot, qloop, server, hardcover, fake):
    qloop.run_until_complete(hardcover.connect(fake.token))
    dialog = make_dialog(qtbot, server, hardcover)
    assert dialog.hardcover.expiry_edit.text() == ""
    assert "expiry unknown" in dialog.hardcover.token_health.text()
    dialog.hardcover.expiry_edit.setText("2031-01-31")
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert token_health.entered_expiry() == "2031-01-31"

    again = make_dialog(qtbot, server, hardcover)
    tab = again.hardcover
    assert tab.expiry_edit.text() == "2031-01-31"
    assert "expires 2031-01-31" in tab.token_health.text()
    tab.expiry_edit.setText("31/01/2031")
    tab.progress_check.setChecked(False)
    with qtbot.assertNotEmitted(again.accepted):
        again.save_button.click()
    assert "YYYY-MM-DD" in again.error_label.text()
    assert token_health.entered_expiry() == "2031-01-31"
    assert load_sync_settings().on_progress is True  # nothing else was stored either

    tab.expiry_edit.clear()
    with qtbot.waitSignal(again.accepted):
        again.save_button.click()
    assert token_health.entered_expiry() == ""
    assert load_sync_settings().on_progress is False


def _jwt(exp: int) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'exp': exp})}.c2lnbmF0dXJl"


def test_a_token_with_its_own_expiry_shows_it_read_only(qtbot, qloop, server, hardcover, fake):
    day = dt.date(2030, 6, 1)
    exp = int(dt.datetime.combine(day, dt.time(12)).timestamp())
    token = fake.catalog.add_token(fake.user_id, token=_jwt(exp))
    qloop.run_until_complete(hardcover.connect(token))
    dialog = make_dialog(qtbot, server, hardcover)
    tab = dialog.hardcover
    assert tab.expiry_edit.text() == day.isoformat() and tab.expiry_edit.isReadOnly()
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()  # nothing to store for it
    assert token_health.own_expiry() == day.isoformat()
    with pytest.raises(InvalidValueError, match="its own expiry"):
        token_health.set_expiry("2030-01-01")
