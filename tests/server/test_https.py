"""HTTPS next to HTTP: the self-signed certificate, and KOReader-like clients over it.

KOReader's HTTP stack does not verify server certificates, so the clients here do not either
(aiohttp with `ssl=False`); they sync progress and browse and download from the catalog
through a real `serve --https-port` process.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import ssl
import stat
from pathlib import Path

import aiohttp
import pytest

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.server.tls import ensure_certificate, server_context, tls_folder
from tests.factories import add_book
from tests.server.hostile.support import KEY, PASSWORD, USER, basic, prepare_library, serving

FINGERPRINT = re.compile(r"SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})")
HTTPS_PORT = re.compile(r"HTTPS on port (\d+)")


def test_a_certificate_is_made_once_and_reused(tmp_path):
    folder = tmp_path / "tls"
    first = ensure_certificate(folder)
    again = ensure_certificate(folder)
    assert again == first
    assert re.fullmatch(r"(?:[0-9A-F]{2}:){31}[0-9A-F]{2}", first.fingerprint)
    assert stat.S_IMODE(first.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    server_context(first)  # the pair loads into a TLS server context


def test_a_damaged_certificate_is_made_again(tmp_path):
    folder = tmp_path / "tls"
    first = ensure_certificate(folder)
    first.certificate.write_text("not a certificate")
    again = ensure_certificate(folder)
    assert again.fingerprint != first.fingerprint
    server_context(again)


def test_the_certificate_is_valid_from_yesterday_for_years(tmp_path):
    from cryptography import x509

    now = datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    made = ensure_certificate(tmp_path / "tls", now=now)
    certificate = x509.load_pem_x509_certificate(made.certificate.read_bytes())
    assert certificate.not_valid_before_utc < now
    assert certificate.not_valid_after_utc > now + datetime.timedelta(days=365 * 5)


def _library_with_a_book(data_dir: Path, tmp_path: Path) -> bytes:
    prepare_library(data_dir)
    content = b"PK\x03\x04 an epub, more or less" * 100
    book_file = tmp_path / "Dune.epub"
    book_file.write_bytes(content)
    open_database(resolve_paths(data_dir).db_file)
    add_book("Dune", ("Frank Herbert",), file=book_file)
    close_database()
    return content


def _https_banner(process) -> tuple[int, str]:
    """The HTTPS port and fingerprint `serve` printed (the lines after its first)."""
    port = fingerprint = None
    while fingerprint is None:
        line = process.stdout.readline()
        assert line, "serve ended its banner without the HTTPS lines"
        if found := HTTPS_PORT.search(line):
            port = int(found.group(1))
        if found := FINGERPRINT.search(line):
            fingerprint = found.group(1)
    assert port is not None
    return port, fingerprint


def _served_fingerprint(port: int) -> str:
    pem = ssl.get_server_certificate(("127.0.0.1", port))
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


async def test_koreader_like_clients_sync_and_browse_over_https(tmp_path):
    data_dir = tmp_path / "data"
    content = _library_with_a_book(data_dir, tmp_path)
    extra = ("--https-port", "0")
    with serving(data_dir, opds=True, extra_args=extra) as served:
        port, fingerprint = _https_banner(served.process)
        assert port != served.port
        assert _served_fingerprint(port) == fingerprint
        base = f"https://127.0.0.1:{port}"
        sync = {"x-auth-user": USER, "x-auth-key": KEY}
        push = {"document": "d" * 32, "progress": "/body/p[3]", "percentage": 0.3, "device": "K"}
        connector = aiohttp.TCPConnector(ssl=False)  # no verification, as KOReader
        async with aiohttp.ClientSession(connector=connector) as session:
            async with session.put(f"{base}/kosync/syncs/progress", json=push, headers=sync) as r:
                assert r.status == 200 and (await r.json())["document"] == "d" * 32
            async with session.get(f"{base}/kosync/syncs/progress/{'d' * 32}", headers=sync) as r:
                assert (await r.json())["percentage"] == 0.3
            async with session.get(
                f"{base}/kosync/users/auth", headers={**sync, "x-auth-key": "x"}
            ) as r:
                assert r.status == 401
            auth = {"Authorization": basic(USER, PASSWORD)}
            async with session.get(f"{base}/opds/recent", headers=auth) as r:
                feed = await r.text()
                assert r.status == 200 and "Dune" in feed
            download = re.search(r'href="(/opds/download/[^"]+)"', feed)
            assert download is not None
            async with session.get(base + download.group(1), headers=auth) as r:
                assert r.status == 200 and await r.read() == content
            async with session.get(f"{base}/opds/opensearch.xml", headers=auth) as r:
                assert f"https://127.0.0.1:{port}/" in await r.text()
            async with session.get(
                f"{base}/opds", headers={"Authorization": basic(USER, "no")}
            ) as r:
                assert r.status == 401
        # Plain HTTP still answers next to it.
        health = f"http://127.0.0.1:{served.port}/kosync/healthcheck"
        async with aiohttp.ClientSession() as session, session.get(health) as r:
            assert r.status == 200
    # The next start serves the same certificate.
    with serving(data_dir, extra_args=extra) as served:
        port, again = _https_banner(served.process)
        assert again == fingerprint == _served_fingerprint(port)
    key = tls_folder(data_dir) / "key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_without_https_port_no_certificate_is_made(tmp_path):
    data_dir = prepare_library(tmp_path / "data")
    with serving(data_dir):
        pass
    assert not tls_folder(data_dir).exists()


@pytest.mark.parametrize("value", ["-1", "70000"])
def test_a_bad_https_port_is_refused_clearly(tmp_path, value):
    import subprocess
    import sys

    data_dir = prepare_library(tmp_path / "data")
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir)]
    result = subprocess.run(
        [*command, "serve", "--port", "0", "--https-port", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "HTTPS port must be a number from 1 to 65535" in result.stderr + result.stdout
