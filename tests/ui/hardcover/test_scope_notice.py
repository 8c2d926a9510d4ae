"""The Hardcover page says which feature a token's missing permission turns off, and how to turn
it on: learned when connecting, and from a pull that Hardcover refused the lists."""

from __future__ import annotations

from bookorbit_desktop.services.hardcover.pulled import pull_now
from tests.fakes.hardcover_catalog import SYNC_SCOPES
from tests.ui.hardcover.conftest import connect, refresh

LISTS_OFF = "Off: your Hardcover lists as shelves"
EVERY = SYNC_SCOPES | {"read:journal", "read:lists", "read:goals", "write:goals"}


def _scopes(fake, scopes) -> None:
    for token in fake.catalog.tokens.values():
        token["scopes"] = frozenset(scopes)


def test_a_pull_refused_the_lists_turns_the_shelves_off_on_the_page(hc, fake, qloop):
    _scopes(fake, EVERY)
    connect(hc, fake, qloop)
    assert "Connected as" in hc.view.account_label.text()
    assert "Off:" not in hc.view.account_label.text()
    # The token loses read:lists (made again from Hardcover's E-Reader preset, say).
    _scopes(fake, EVERY - {"read:lists"})
    result = qloop.run_until_complete(pull_now(hc.service.account))
    assert result.error is None and result.off == ["read:lists"]
    refresh(hc, qloop)
    text = hc.view.account_label.text()
    assert LISTS_OFF in text and "read:lists" in text
    assert "keys/new?scope=" in text and "read:lists" in text.split("keys/new?scope=")[1]
    # A token with every permission, connected again: nothing is off.
    _scopes(fake, EVERY)
    connect(hc, fake, qloop)
    assert "Off:" not in hc.view.account_label.text()


def test_connecting_a_token_without_read_lists_says_so(hc, fake, qloop):
    _scopes(fake, EVERY - {"read:lists"})
    connect(hc, fake, qloop)
    assert LISTS_OFF in hc.view.account_label.text()
