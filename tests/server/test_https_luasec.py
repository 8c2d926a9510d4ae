"""HTTPS as KOReader's own HTTP libraries speak it: LuaSocket + LuaSec (Debian's luajit,
lua-socket and lua-sec), with LuaSec's default client settings, against a real `serve
--https-port` process. Skipped, with the reason, where those packages are missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.server.hostile.support import KEY, PASSWORD, USER, basic, prepare_library, serving
from tests.server.test_https import _https_banner

CLIENT = Path(__file__).with_name("luasec_client.lua")


def _luasec_missing() -> str | None:
    if shutil.which("luajit") is None:
        return "luajit is not installed (Debian package luajit; `make test` installs it as root)"
    probe = subprocess.run(
        ["luajit", "-e", "require('ssl.https'); require('ltn12')"], capture_output=True
    )
    if probe.returncode != 0:
        return "LuaSec is not installed (Debian packages lua-sec and lua-socket)"
    return None


def test_luasec_syncs_and_opens_the_catalog_over_https(tmp_path):
    if reason := _luasec_missing():
        pytest.skip(reason)
    data_dir = prepare_library(tmp_path / "data")
    document = "e" * 32
    with serving(data_dir, opds=True, extra_args=("--https-port", "0")) as served:
        port, _fingerprint = _https_banner(served.process)
        result = subprocess.run(
            [
                "luajit",
                str(CLIENT),
                f"https://127.0.0.1:{port}",
                USER,
                KEY,
                basic(USER, PASSWORD),
                document,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    answers = {line.split(" ", 1)[0]: line for line in result.stdout.splitlines()}
    assert answers["auth"] == 'auth 200 {"authorized":"OK"}'
    assert answers["push"].startswith(f'push 200 {{"document":"{document}","timestamp":')
    assert answers["pull"].startswith("pull 200 {")
    assert '"percentage":0.42' in answers["pull"] and '"device_id":"LUASEC"' in answers["pull"]
    assert answers["catalog"].startswith("catalog 200 <?xml")
