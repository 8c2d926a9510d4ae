"""The token store: normalisation, an injected keyring, and clear errors without one."""

from __future__ import annotations

import logging

import pytest
from keyring.backends import chainer, fail

from bookorbit_desktop.config import default_paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.credentials import (
    LEGACY_ACCOUNT,
    SERVICE,
    TOKEN_ENV,
    TokenStore,
    default_backend,
    library_account,
    normalize_token,
    supplied_token,
)
from bookorbit_desktop.hardcover.api.errors import InvalidTokenFormatError, KeyringUnavailableError
from tests.fakes.file_keyring import FileKeyring, LockedKeyring


@pytest.mark.parametrize(
    ("pasted", "token"),
    [
        ("hc_pat_abc123", "hc_pat_abc123"),
        ("  hc_pat_abc123\n", "hc_pat_abc123"),
        ("Bearer hc_pat_abc123", "hc_pat_abc123"),
        ("bearer   hc_pat_abc123", "hc_pat_abc123"),
        ("Bearer Bearer eyJhbGci.eyJzdWIi.sig", "eyJhbGci.eyJzdWIi.sig"),
        ("\tBEARER\thc_pat_x\r\n", "hc_pat_x"),
        ("Bearerish_token", "Bearerish_token"),
    ],
)
def test_normalize_token(pasted, token):
    assert normalize_token(pasted) == token


@pytest.mark.parametrize("pasted", ["", "   ", "Bearer", "Bearer  \n", "hc_pat_a b", "hc\x00pat"])
def test_normalize_token_refuses_what_cannot_be_a_token(pasted):
    with pytest.raises(InvalidTokenFormatError) as caught:
        normalize_token(pasted)
    assert caught.value.title and "copy" in caught.value.message.lower()


def test_save_load_delete_roundtrip(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    store = TokenStore(backend, data_dir=tmp_path / "library")
    assert store.load() is None
    store.save("Bearer hc_pat_secret\n")
    assert backend.get_password(SERVICE, library_account(tmp_path / "library")) == "hc_pat_secret"
    assert store.load() == "hc_pat_secret"
    assert store.delete() is True
    assert store.load() is None
    assert store.delete() is False


@pytest.mark.parametrize("backend", [fail.Keyring(), chainer.ChainerBackend()])
def test_no_keyring_explains_what_to_install(backend, monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    store = TokenStore(backend)
    for action in (store.load, lambda: store.save("hc_pat_x"), store.delete):
        with pytest.raises(KeyringUnavailableError) as caught:
            action()
        message = caught.value.message
        assert "gnome-keyring" in message
        assert "KWallet" in message
        assert "dbus-run-session" in message
        assert "PYTHON_KEYRING_BACKEND" in message  # the explicit, not silent, file option


def test_locked_keyring_says_to_unlock(caplog):
    caplog.set_level(logging.WARNING)
    with pytest.raises(KeyringUnavailableError) as caught:
        TokenStore(LockedKeyring()).save("hc_pat_secret")
    assert "locked" in caught.value.message
    assert "hc_pat_secret" not in caplog.text


def test_backend_is_chosen_by_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.file_keyring.FileKeyring")
    monkeypatch.setenv("BOOKORBIT_TEST_KEYRING_FILE", str(tmp_path / "k.json"))
    assert isinstance(default_backend(), FileKeyring)


def test_a_broken_backend_name_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no.such.module.Keyring")
    with pytest.raises(KeyringUnavailableError) as caught:
        TokenStore().load()
    assert "PYTHON_KEYRING_BACKEND" in caught.value.message


class PlaintextKeyring(FileKeyring):
    """Named like keyrings.alt's plain-file backend, which a person may opt into."""


def test_plaintext_backend_warns_every_time(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    store = TokenStore(PlaintextKeyring(tmp_path / "plain.json"))
    store.save("hc_pat_secret")
    assert store.insecure_warning() is not None
    assert "plain file" in caplog.text
    assert "hc_pat_secret" not in caplog.text
    assert TokenStore(FileKeyring(tmp_path / "k.json")).insecure_warning() is None


def test_log_files_redact_hardcover_tokens_even_if_logged_by_mistake(tmp_path):
    from bookorbit_desktop.logging_setup import setup_logging

    log_file = setup_logging(tmp_path)
    logging.getLogger("test").warning("token is hc_pat_AbC-123_x and Bearer hc_pat_zz")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_bookorbit", False):
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert "hc_pat_" not in text and "[redacted]" in text


def test_each_library_has_its_own_token(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    first = TokenStore(backend, data_dir=tmp_path / "one")
    second = TokenStore(backend, data_dir=tmp_path / "two")
    first.save("hc_pat_one")
    assert second.load() is None
    second.save("hc_pat_two")
    assert (first.load(), second.load()) == ("hc_pat_one", "hc_pat_two")
    assert second.delete() is True
    assert first.load() == "hc_pat_one"


def test_the_single_entry_of_earlier_versions_belongs_to_the_default_library(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    backend.set_password(SERVICE, LEGACY_ACCOUNT, "hc_pat_old")
    other = TokenStore(backend, data_dir=tmp_path / "other")
    assert other.load() is None  # another library never reuses it
    default = TokenStore(backend, data_dir=default_paths().data_dir)
    assert default.load() == "hc_pat_old"
    assert backend.get_password(SERVICE, LEGACY_ACCOUNT) is None  # moved, not copied
    assert backend.get_password(SERVICE, default.account) == "hc_pat_old"
    assert other.load() is None
    assert default.load() == "hc_pat_old"


def test_disconnecting_the_default_library_also_forgets_an_unmoved_old_entry(tmp_path):
    backend = FileKeyring(tmp_path / "keyring.json")
    backend.set_password(SERVICE, LEGACY_ACCOUNT, "hc_pat_old")
    assert TokenStore(backend, data_dir=tmp_path / "other").delete() is False
    assert backend.get_password(SERVICE, LEGACY_ACCOUNT) == "hc_pat_old"
    assert TokenStore(backend, data_dir=default_paths().data_dir).delete() is True
    assert backend.get_password(SERVICE, LEGACY_ACCOUNT) is None


def test_supplied_token_from_file_then_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert supplied_token() is None
    monkeypatch.setenv(TOKEN_ENV, "  Bearer hc_pat_env\n")
    from_env = supplied_token()
    assert from_env is not None and from_env.token == "hc_pat_env"
    assert from_env.source == TOKEN_ENV and "hc_pat_env" not in repr(from_env)
    token_file = tmp_path / "token.txt"
    token_file.write_text("hc_pat_file\n")
    from_file = supplied_token(token_file)
    assert from_file is not None and from_file.token == "hc_pat_file"
    assert str(token_file) in from_file.source
    with pytest.raises(InvalidValueError) as caught:
        supplied_token(tmp_path / "missing.txt")
    assert "missing.txt" in caught.value.message
    token_file.write_text("two words\n")
    with pytest.raises(InvalidTokenFormatError):
        supplied_token(token_file)
