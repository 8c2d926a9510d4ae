"""`about`: what a bug report or a move needs, for each kind of keyring situation."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop import __version__
from bookorbit_desktop.cli import main
from tests.logging_support import restore_root_logger  # noqa: F401

FILE = "tests.fakes.file_keyring.FileKeyring"


@pytest.mark.parametrize(
    ("backend", "keyring", "shown"),
    [
        (FILE, FILE, f"keyring    the system keyring ({FILE})"),  # named in words, class beside
        ("keyring.backends.fail.Keyring", None, "keyring    not available: BookOrbit keeps"),
        ("no.such.Backend", None, "keyring    not available: The password storage named in"),
    ],
)
def test_about_names_folders_and_keyring(tmp_path, monkeypatch, capsys, backend, keyring, shown):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    monkeypatch.setenv("BOOKORBIT_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "about", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["version"] == __version__
    assert facts["runs_as"] == "python"
    assert facts["database"] == str(data / "library.sqlite3")
    assert facts["log_dir"] == str(data / "logs")
    assert facts["keyring"] == keyring
    assert (facts["keyring_problem"] is None) is (keyring is not None)

    assert main(["--data-dir", str(data), "about"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"BookOrbit Desktop {__version__} (Python: ")
    assert f"library    {data / 'library.sqlite3'}" in out
    assert f"covers     {data / 'covers'}" in out
    assert shown in out
