"""Settings ▸ KOReader shows the catalog's two addresses, and both answer on the running
server: the Atom feed at /opds and the same catalog as OPDS 2.0 JSON at /opds/v2."""

from __future__ import annotations

import base64
import socket
import urllib.request

from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.server.accounts import key_for_password, set_account
from bookorbit_desktop.services.server import DesktopServer
from bookorbit_desktop.services.settings import load_settings, save_settings
from bookorbit_desktop.ui.settings.dialog import SettingsDialog


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _content_type(url: str) -> str:
    request = urllib.request.Request(url)
    secret = base64.b64encode(b"reader:a long password").decode()
    request.add_header("Authorization", f"Basic {secret}")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(answer.headers["Content-Type"])


def test_both_catalog_addresses_shown_are_served(qtbot, qloop, library):
    set_account("reader", key_for_password("a long password"))
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", _free_port())
    set_setting("server.opds_enabled", True)
    server = DesktopServer(library, addresses=lambda host: [host])
    assert qloop.run_until_complete(server.start()).running
    try:
        dialog = SettingsDialog(load_settings(), save_settings)
        qtbot.addWidget(dialog)
        atom, json_feed = dialog.opds_address_label.text(), dialog.opds2_address_label.text()
        assert json_feed == f"{atom}/v2"
        kinds = [
            qloop.run_until_complete(qloop.run_in_executor(None, _content_type, url))
            for url in (atom, json_feed)
        ]
        assert kinds[0].startswith("application/atom+xml")
        assert kinds[1].startswith("application/opds+json")
    finally:
        qloop.run_until_complete(server.stop())
