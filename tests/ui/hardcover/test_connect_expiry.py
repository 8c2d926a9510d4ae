"""The expiry typed beside the token on the Hardcover page goes with Connect (a personal token
has no expiry Hardcover can be asked for), and the tray's week-ahead warning then fires. The
page and the tray's tooltip say it too, in the same whole days as `hardcover status`."""

from __future__ import annotations

import datetime as dt

from bookorbit_desktop.services.hardcover import token_health
from bookorbit_desktop.ui.status import tooltip
from bookorbit_desktop.ui.token_notice import TITLE, TokenExpiryNotice
from tests.ui.hardcover.conftest import connect


def test_the_expiry_goes_with_connect_and_the_tray_warns(hc, fake, qloop):
    soon = (dt.date.today() + dt.timedelta(days=4)).isoformat()
    hc.view.expiry_edit.setText(f" {soon} ")
    connect(hc, fake, qloop)
    assert hc.view.account_message.text() == "", hc.view.account_message.text()
    assert "Connected as <b>@reader</b>" in hc.view.account_label.text()
    assert token_health.entered_expiry() == soon
    assert hc.view.expiry_edit.text() == ""  # done with; Settings changes it from now on
    shown: list[tuple[str, str]] = []
    notice = TokenExpiryNotice(lambda title, text: shown.append((title, text)))

    async def check():
        notice.check()
        await notice.task

    qloop.run_until_complete(check())
    assert shown and shown[0][0] == TITLE and soon in shown[0][1]


def test_a_mistyped_expiry_keeps_the_token_out(hc, fake, qloop, keyring_file):
    hc.view.expiry_edit.setText("next month")
    connect(hc, fake, qloop)
    assert "YYYY-MM-DD" in hc.view.account_message.text()
    assert hc.status is not None and not hc.status.connected
    assert not keyring_file.exists() or fake.token not in keyring_file.read_text()
    assert hc.view.expiry_edit.text() == "next month"  # to correct
    assert fake.requests == []  # refused before asking Hardcover


def test_without_an_expiry_it_stays_unknown(hc, fake, qloop):
    connect(hc, fake, qloop)
    assert token_health.entered_expiry() == ""
    assert "expiry unknown" in " ".join(token_health.lines())


def test_the_page_and_the_tray_say_the_expiry_in_whole_days(hc, fake, qloop):
    ahead = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    hc.view.expiry_edit.setText(ahead)
    connect(hc, fake, qloop)
    said = f"The Hardcover token expires on {ahead} (in 3 days)."
    assert said in hc.view.account_label.text()
    assert said in tooltip(hc.hub.status)
    assert any(said in line for line in token_health.lines())  # `hardcover status`'s words


def test_an_expiry_weeks_away_shows_on_the_page_only(hc, fake, qloop):
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    hc.view.expiry_edit.setText(later)
    connect(hc, fake, qloop)
    assert f"expires on {later} (in 30 days)." in hc.view.account_label.text()
    assert later not in tooltip(hc.hub.status)  # the tray warns from a week before
