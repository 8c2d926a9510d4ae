"""Settings values: each check as a table, and saving that is all-or-nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.server import accounts
from bookorbit_desktop.services.settings import (
    check_account,
    check_host,
    check_page_size,
    check_port,
    check_port_pair,
    check_threshold,
    load_settings,
    save_settings,
)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0.0.0.0", True),
        ("127.0.0.1", True),
        ("192.168.1.20", True),
        ("::", True),
        (" 10.0.0.2 ", True),
        ("localhost", False),
        ("", False),
        ("999.1.1.1", False),
    ],
)
def test_check_host(value, ok):
    if ok:
        assert check_host(value) == value.strip()
    else:
        with pytest.raises(InvalidValueError, match="not an IP address"):
            check_host(value)


@pytest.mark.parametrize(
    ("value", "ok"), [(8765, True), (1024, True), (65535, True), (80, False), (70000, False)]
)
def test_check_port(value, ok):
    if ok:
        assert check_port(value) == value
    else:
        with pytest.raises(InvalidValueError, match="between 1024 and 65535"):
            check_port(value)


@pytest.mark.parametrize(
    ("value", "ok"), [(50, True), (5, True), (500, True), (4, False), (501, False)]
)
def test_check_page_size(value, ok):
    if ok:
        assert check_page_size(value) == value
    else:
        with pytest.raises(InvalidValueError):
            check_page_size(value)


@pytest.mark.parametrize(
    ("value", "ok"), [(0.995, True), (0.5, True), (1.0, True), (0.49, False), (1.01, False)]
)
def test_check_threshold(value, ok):
    if ok:
        assert check_threshold(value) == value
    else:
        with pytest.raises(InvalidValueError, match="finished"):
            check_threshold(value)


@pytest.mark.parametrize(
    ("current", "username", "password", "result"),
    [
        (None, "", "", None),  # no account, none wanted
        (None, "reader", "secret", ("reader", "secret")),
        (None, "  reader ", "secret", ("reader", "secret")),
        ("reader", "reader", "", None),  # unchanged
        ("reader", "reader", "new", ("reader", "new")),  # new password
        ("reader", "other", "pw", ("other", "pw")),  # renamed with its password
        (None, "reader", "", "Choose a password"),
        ("reader", "other", "", "type its password again"),
        ("reader", "", "", "cannot be left without"),
        (None, "", "secret", "user name to go with"),
        (None, "a:b", "pw", "must not contain ':'"),
    ],
)
def test_check_account(current, username, password, result):
    if isinstance(result, str):
        with pytest.raises(InvalidValueError, match=result):
            check_account(current, username, password)
    else:
        assert check_account(current, username, password) == result


def test_defaults_then_save_everything(library):
    settings = load_settings()
    assert (settings.host, settings.port, settings.opds_enabled) == ("0.0.0.0", 8765, True)
    assert settings.username is None
    wanted = replace(
        settings,
        port=9000,
        opds_enabled=False,
        opds_page_size=25,
        allow_registration=True,
        finish_threshold=0.98,
        username="reader",
    )
    saved = save_settings(wanted, "correct horse")
    assert saved == wanted
    assert load_settings() == wanted
    account = accounts.load_account()
    assert accounts.verify(account, "reader", accounts.key_for_password("correct horse"))
    assert settings.server_differs(saved)
    assert not saved.server_differs(replace(saved, finish_threshold=0.9))


def test_a_bad_value_saves_nothing(library):
    before = load_settings()
    wanted = replace(before, port=9000, username="reader")  # new account without a password
    with pytest.raises(InvalidValueError, match="Choose a password"):
        save_settings(wanted, "")
    assert load_settings() == before
    assert accounts.load_account() is None


def test_remove_account(library):
    save_settings(replace(load_settings(), username="reader"), "pw")
    saved = save_settings(replace(load_settings(), username=None), remove_account=True)
    assert saved.username is None
    assert accounts.load_account() is None


@pytest.mark.parametrize(
    ("port", "https_port", "refused"),
    [(8765, None, False), (8765, 8766, False), (8765, 8765, True), (0, 0, False)],
)
def test_http_and_https_need_a_port_each(port, https_port, refused):
    if refused:
        with pytest.raises(InvalidValueError, match=f"cannot share port {port}"):
            check_port_pair(port, https_port)
    else:
        check_port_pair(port, https_port)


def test_serve_refuses_one_port_for_both_with_the_settings_words(paths, capsys):
    args = ["--data-dir", str(paths.data_dir), "serve", "--port", "8800", "--https-port", "8800"]
    assert main(args) == 2
    assert "HTTP and HTTPS cannot share port 8800: choose another port for HTTPS." in (
        capsys.readouterr().err
    )
