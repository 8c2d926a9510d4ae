"""With no password storage on the computer, the Hardcover page explains it once: the account
box says it from start-up, and a Connect that cannot keep the token points there instead of
repeating it (the fake Hardcover over real HTTP, real widgets offscreen)."""

from __future__ import annotations

from keyring.backends import fail

from tests.ui.hardcover.conftest import connect, make_controller


def test_connect_without_a_keyring_says_why_once(library, fake, qtbot, qloop):
    hc = make_controller(library, fake, fail.Keyring(), qtbot)
    hc.refresh()
    qloop.run_until_complete(hc.check_account())  # as at start-up
    why = "BookOrbit keeps the Hardcover token only in the system"
    assert why in hc.view.account_label.text()

    connect(hc, fake, qloop)
    shown = hc.view.account_label.text() + hc.view.account_message.text()
    assert shown.count(why) == 1, shown
    assert hc.view.account_message.text() == "No secure password storage found: see above."
    assert hc.view.account_message.isVisibleTo(hc.view)
    assert hc.status is not None and not hc.status.connected
