"""One process owns a library: `serve`, the window and `restore`, as real processes.

A second owner is refused with a message naming the first (its pid and command), and pushes a
running server acknowledged survive a restore attempted next to it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bookorbit_desktop.config import resolve_paths
from tests.server.hostile.support import KEY, USER, exchange, http_request, prepare_library
from tests.server.hostile.support import serving as serving_library
from tests.server.hostile.test_data_folder import cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

WINDOW = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from bookorbit_desktop.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    window = SingleInstance(Path(sys.argv[1]))
    print("owner" if window.acquire() else window.refused.message, flush=True)
    sys.stdin.readline()  # hold the library until the test closes our input
    """
)


def window_process(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def push(port: int, document: str, percentage: float) -> tuple[int, bytes, float]:
    body = json.dumps(
        {"document": document, "percentage": percentage, "progress": "p", "device": "kobo"}
    ).encode()
    headers = {"x-auth-user": USER, "x-auth-key": KEY, "Content-Type": "application/json"}
    return asyncio.run(exchange(port, http_request("PUT", "/kosync/syncs/progress", headers, body)))


def test_a_second_serve_and_a_restore_are_refused_while_serve_runs(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    archive = tmp_path / "before.zip"
    assert cli(data_dir, "backup", str(archive)).returncode == 0
    with serving_library(data_dir) as served:
        acknowledged = [f"doc{n}" for n in range(20) if push(served.port, f"doc{n}", 0.5)[0] == 200]
        assert len(acknowledged) == 20
        second = cli(data_dir, "serve", "--host", "127.0.0.1", "--port", "0")
        restore = cli(data_dir, "restore", str(archive))
        for result, command in ((second, "serve"), (restore, "restore")):
            assert result.returncode == 2, result
            assert f"is in use by `serve` (pid {served.process.pid})" in result.stderr
            assert f"then run `{command}` again" in result.stderr
            assert "Traceback" not in result.stderr
        window = window_process(data_dir)
        refused, _ = window.communicate("\n", timeout=60)
        assert f"is in use by `serve` (pid {served.process.pid})" in refused
        assert push(served.port, "after", 0.25)[0] == 200  # still the one owner
    status = cli(data_dir, "kosync", "status", "--json")
    assert json.loads(status.stdout)["documents"] == 21  # no acknowledged push lost


def test_serve_and_restore_are_refused_while_the_window_runs(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    archive = tmp_path / "before.zip"
    assert cli(data_dir, "backup", str(archive)).returncode == 0
    window = window_process(data_dir)
    try:
        assert window.stdout is not None
        assert window.stdout.readline().strip() == "owner"
        for args in (("serve", "--host", "127.0.0.1", "--port", "0"), ("restore", str(archive))):
            result = cli(data_dir, *args)
            assert result.returncode == 2
            assert f"is in use by `window` (pid {window.pid})" in result.stderr
            assert "Quit it (tray menu > Quit)" in result.stderr
    finally:
        window.communicate("\n", timeout=60)
    assert cli(data_dir, "restore", str(archive)).returncode == 0  # free once the window quit


def test_a_killed_owner_leaves_the_library_free(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    with serving_library(data_dir) as served:
        served.process.kill()
        served.process.wait(timeout=20)
    with serving_library(data_dir) as again:
        assert push(again.port, "doc", 0.5)[0] == 200
    assert resolve_paths(data_dir).data_dir.joinpath("bookorbit-desktop.lock").read_text() == ""
