"""`bookorbit-desktop hardcover …` as a real process against the loopback fake Hardcover, with
the library's token in a test keyring file: what a cron job runs (for tests and the pull
benchmark)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bookorbit_desktop.hardcover.api.credentials import TOKEN_ENV, library_account
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.services.hardcover.account import USER_ID_KEY, USERNAME_KEY

REPO = Path(__file__).resolve().parents[3]


def connect_library(data_dir: Path, token: str, user_id: int, username: str) -> Path:
    """The state `hardcover connect` leaves (the token in the keyring, the account's id and
    name in the open library), without its requests; the keyring file it made."""
    keyring_file = data_dir.parent / f"{data_dir.name}-keyring.json"
    keyring_file.write_text(json.dumps({f"bookorbit-desktop/{library_account(data_dir)}": token}))
    set_setting(USER_ID_KEY, user_id)
    set_setting(USERNAME_KEY, username)
    return keyring_file


def run_cli(
    data_dir: Path, keyring_file: Path, url: str, *args: str
) -> subprocess.CompletedProcess:
    """One `bookorbit-desktop --data-dir DIR ARGS…` run to its end, reaching Hardcover at
    `url` with the test keyring."""
    script = Path(sys.executable).with_name("bookorbit-desktop")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bookorbit_desktop"]
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.fakes.file_keyring.FileKeyring",
        "BOOKORBIT_TEST_KEYRING_FILE": str(keyring_file),
        "BOOKORBIT_HARDCOVER_URL": url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop(TOKEN_ENV, None)  # the keyring's token, as a cron job has it
    return subprocess.run(
        [*command, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
