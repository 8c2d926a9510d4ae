"""`bookorbit-desktop metadata google-key --stdin|--remove`: the optional Google Books API key
in the keyring (a file-backed one, as the window and the metadata fetch read it)."""

from __future__ import annotations

import io
import sys

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.hardcover.api.credentials import SERVICE
from bookorbit_desktop.metadata_sources.keys import GOOGLE_BOOKS_ACCOUNT, GoogleBooksKey
from tests.fakes.file_keyring import FileKeyring

KEY = "AIzaSyExampleKey0123456789"


@pytest.fixture
def keyring_file(tmp_path, monkeypatch):
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.file_keyring.FileKeyring")
    monkeypatch.setenv("BOOKORBIT_TEST_KEYRING_FILE", str(path))
    monkeypatch.setenv("BOOKORBIT_DATA_DIR", str(tmp_path / "data"))
    return path


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["metadata", "google-key", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_key_is_read_from_stdin_kept_in_the_keyring_and_removed(
    keyring_file, monkeypatch, capsys
):
    code, out, err = run(monkeypatch, capsys, "--stdin", stdin=f"  {KEY}\n")
    assert code == 0 and "Saved the Google Books API key in the system keyring." in out
    assert KEY not in out + err  # never echoed
    assert FileKeyring(keyring_file).get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT) == KEY
    assert GoogleBooksKey(FileKeyring(keyring_file)).load() == KEY  # what a fetch sends

    code, out, _ = run(monkeypatch, capsys, "--remove")
    assert code == 0 and out.strip() == "Removed the Google Books API key."
    assert FileKeyring(keyring_file).get_password(SERVICE, GOOGLE_BOOKS_ACCOUNT) is None
    code, out, _ = run(monkeypatch, capsys, "--remove")
    assert code == 0 and out.strip() == "No key was saved."


def test_a_key_on_the_command_line_or_a_malformed_one_is_refused(keyring_file, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys)
    assert code == 2 and "--stdin" in err and out == ""
    code, _, err = run(monkeypatch, capsys, "--stdin", stdin="two words\n")
    assert code == 2 and "not a Google Books API key" in err
    code, _, err = run(monkeypatch, capsys, "--stdin", stdin="\n")
    assert code == 2 and "not a Google Books API key" in err
    assert not keyring_file.exists() or "google" not in keyring_file.read_text()
