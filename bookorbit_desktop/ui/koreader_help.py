"""The steps that connect KOReader to this computer, worded for the place that shows them.

Settings shows them between the address and the account fields ("the address above", "the
user name and password below"); Help ▸ KOReader Setup has neither, so it names the addresses
themselves and where the account is made, says why there is no address yet while the server
listens on this computer only for want of an account, and that an e-reader cannot reach it
while the user chose this computer only.
"""

from __future__ import annotations

import html
import ipaddress
from urllib.parse import urlsplit

from bookorbit_desktop.ui.status import AppStatus, server_summary, where_to_create_account


def koreader_steps(address: str, account: str, catalog: str | None = None) -> str:
    """The steps as rich text: `address` and `account` say what to type (already escaped);
    `catalog`, when given, adds the OPDS catalog step."""
    steps = (
        "<b>In KOReader</b> (on the same Wi-Fi as this computer):"
        "<ol>"
        "<li>Open any book.</li>"
        "<li>Tap the top of the screen, then the Tools menu (wrench) ▸ <i>Progress sync</i>.</li>"
        f"<li><i>Custom sync server</i>: type {address}.</li>"
        f"<li><i>Register / Login</i> with {account}.</li>"
    )
    if catalog:
        steps += (
            "<li>To browse and download books: the Search menu (magnifier) ▸ <i>OPDS catalog</i>"
            f" ▸ <i>+</i>, type {catalog} and the same user name and password.</li>"
        )
    return steps + "</ol>"


SETTINGS_STEPS = koreader_steps("the address above", "the user name and password below")


def help_text(status: AppStatus) -> str:
    """Help ▸ KOReader Setup for the server as it is now."""
    account = "the user name and password of the KOReader account (Settings ▸ KOReader)"
    if not status.server_running:
        return f"<b>{html.escape(server_summary(status))}</b>"
    if status.server_notice or not status.kosync_urls:
        where = where_to_create_account(status)
        return (
            "<b>The server is not on your network yet.</b> It listens on this computer only "
            f"until a KOReader account exists: create it {where}, then open this help again "
            "for the addresses to type."
        )
    sync, opds = status.kosync_urls[0], status.opds_urls[0] if status.opds_urls else None
    lines = ""
    if all(_on_this_computer(url) for url in status.base_urls):
        lines = (
            "<b>An e-reader cannot reach these addresses:</b> the server listens on this "
            "computer only (Settings ▸ KOReader ▸ <i>Listen on</i>). Choose your network there "
            "for the address to type on your e-reader.<br><br>"
        )
    lines += f"Sync server address: <b>{html.escape(sync)}</b><br>"
    if opds:
        lines += f"OPDS catalog address: <b>{html.escape(opds)}</b><br>"
    else:
        lines += "The OPDS catalog is turned off (Settings ▸ KOReader).<br>"
    catalog = f"<b>{html.escape(opds)}</b>" if opds else None
    return lines + "<br>" + koreader_steps(f"<b>{html.escape(sync)}</b>", account, catalog)


def _on_this_computer(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
