"""The reachability self-test for the window: which address to test, and the verdict.

The window tests the address it tells the user to type into KOReader (the best LAN address);
`server.reachability` does the probing and the firewall reading.
"""

from __future__ import annotations

import sys

from bookorbit_desktop.server.reachability import Verdict, advise, gather_facts
from bookorbit_desktop.services.server import ServerInfo

__all__ = ["LOOPBACK_ONLY", "Verdict", "check_reachability"]

LOOPBACK_ONLY = (
    "No KOReader account exists yet, so the server answers only on this computer. Create the "
    "account (user name and password) and save: the server then opens to your network."
)


def check_reachability(info: ServerInfo) -> Verdict:
    """Probe the running server at its first LAN address; blocking, use a thread."""
    if not info.running:
        return Verdict(
            False,
            None,
            "The sync server is not running; save the settings to start it, then test again.",
            None,
        )
    if info.notice:
        return Verdict(False, None, LOOPBACK_ONLY, None)
    url = info.base_urls[0] if info.base_urls else f"http://127.0.0.1:{info.port}"
    host = url.removeprefix("http://").rsplit(":", 1)[0].strip("[]")
    return advise(gather_facts(host, info.port), program=sys.executable)
