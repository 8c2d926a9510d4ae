"""The token store against a real Secret Service keyring (gnome-keyring on a private D-Bus).

A child Python process runs under `dbus-run-session` with a freshly unlocked gnome-keyring in
a throw-away HOME, and saves, reads and deletes the token through our credentials module with
keyring's normal backend choice (no test backend).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
MISSING = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(tool)]

CHILD = textwrap.dedent(
    """
    from bookorbit_desktop.hardcover.api.credentials import TokenStore, backend_name
    store = TokenStore()
    print("backend", backend_name(store.check()))
    print("before", store.load())
    store.save("  Bearer hc_pat_real_keyring_token\\n")
    print("loaded", store.load())
    print("deleted", store.delete())
    print("after", store.load())

    # One entry per library; the single entry of earlier versions goes to the default one.
    import keyring
    from pathlib import Path
    from bookorbit_desktop.hardcover.api.credentials import LEGACY_ACCOUNT, SERVICE
    keyring.set_password(SERVICE, LEGACY_ACCOUNT, "hc_pat_from_an_earlier_version")
    other = TokenStore(data_dir=Path.home() / "other-library")
    print("other_before", other.load())
    print("default_adopts", store.load())
    print("legacy_left", keyring.get_password(SERVICE, LEGACY_ACCOUNT))
    other.save("hc_pat_other_library")
    print("default_after_other", store.load())
    print("other_after", other.load())
    print("other_deleted", other.delete())
    print("default_kept", store.load())
    """
)


@pytest.mark.skipif(
    bool(MISSING),
    reason=f"needs {' and '.join(MISSING)} (Debian packages dbus and gnome-keyring; "
    "`make test` installs them when run as root)",
)
def test_token_roundtrip_through_gnome_keyring(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS", "BOOKORBIT_DATA_DIR"}
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_RUNTIME_DIR=str(tmp_path),
        PYTHONPATH=str(REPO),
    )
    shell = (
        "echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        f'"{sys.executable}" "{script}"'
    )
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["backend"] == "keyring.backends.SecretService.Keyring"
    assert lines["before"] == "None"
    assert lines["loaded"] == "hc_pat_real_keyring_token"
    assert lines["deleted"] == "True"
    assert lines["after"] == "None"
    assert lines["other_before"] == "None"
    assert lines["default_adopts"] == "hc_pat_from_an_earlier_version"
    assert lines["legacy_left"] == "None"
    assert lines["default_after_other"] == "hc_pat_from_an_earlier_version"
    assert lines["other_after"] == "hc_pat_other_library"
    assert lines["other_deleted"] == "True"
    assert lines["default_kept"] == "hc_pat_from_an_earlier_version"
    # The secret went to the keyring's own encrypted store, not to a file of ours.
    keyrings = home / ".local" / "share" / "keyrings"
    assert keyrings.exists()
    for path in keyrings.rglob("*"):
        if path.is_file():
            assert b"hc_pat_real_keyring_token" not in path.read_bytes()
