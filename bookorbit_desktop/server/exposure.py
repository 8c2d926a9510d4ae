"""Whether the server may answer on the LAN yet: only once there is an account to protect it.

A fresh install has no sync account; a server on the Wi-Fi would then answer anyone (the
catalog refuses everything, but registration, health checks and the parser are open). So until
an account exists, or the user allowed a device to register one, the server listens on
loopback only, says why, and moves to the chosen address by itself as soon as one of the two
becomes true, and back to loopback when neither is any more (the account removed while
serving): `LanServer` checks every `RECHECK_SECONDS`.
"""

from __future__ import annotations

import ipaddress

from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server import accounts

LOOPBACK = "127.0.0.1"
RECHECK_SECONDS = 2.0

LOOPBACK_NOTICE = (
    "No sync account exists yet, so the server answers only on this computer ({loopback}). "
    "Create the account (in Settings, or with `bookorbit-desktop kosync set-user NAME "
    "--password-stdin`), or allow KOReader's Register with `bookorbit-desktop kosync "
    "allow-registration on`; the server then opens to your network by itself."
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen_host(wanted: str, *, has_account: bool, registration_allowed: bool) -> str:
    """The address to listen on now: `wanted`, or loopback while nothing protects the server."""
    if has_account or registration_allowed or is_loopback(wanted):
        return wanted
    return LOOPBACK


def may_open() -> bool:
    """True when an account exists or registration is allowed (reads the library)."""
    return accounts.load_account() is not None or bool(get_setting("kosync.allow_registration"))


def notice() -> str:
    return LOOPBACK_NOTICE.format(loopback=LOOPBACK)
