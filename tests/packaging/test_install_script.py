"""install.sh's refusals, run from the source tree (the whole install is exercised on the real
archive by test_bundle.py): each one says why, exits 1 and writes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "install.sh"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        ["sh", str(SCRIPT), *args],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("--bogus",), {}, "unknown option --bogus"),
        ((), {"BOOKORBIT_INSTALL_DIR": "relative/dir"}, "must be an absolute path"),
        ((), {"BOOKORBIT_INSTALL_DIR": "/tmp/a$b"}, "contains a character a desktop entry"),
        ((), {"BOOKORBIT_INSTALL_DIR": "/tmp/a%b"}, "contains a character a desktop entry"),
        ((), {"BOOKORBIT_INSTALL_DIR": "/tmp/a|b"}, "contains a character a desktop entry"),
        ((), {}, "run install.sh from the unpacked BookOrbitDesktop folder"),
    ],
)
def test_refusals_explain_and_write_nothing(tmp_path, args, env, message):
    result = run(tmp_path, *args, **env)
    assert result.returncode == 1
    assert message in result.stderr
    assert not any((tmp_path / "home").rglob("*"))


def test_uninstall_with_nothing_installed_says_so(tmp_path):
    result = run(tmp_path, "--uninstall")
    assert result.returncode == 0
    assert "is not installed" in result.stdout
    assert not any((tmp_path / "home").rglob("*"))


def test_help_shows_the_usage_only(tmp_path):
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Install BookOrbit Desktop for this user")
    assert "./install.sh --uninstall" in result.stdout
    assert "set -eu" not in result.stdout
