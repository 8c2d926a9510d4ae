"""Who may post highlights: the checks the receiver makes before it reads a body.

Anyone on the Wi-Fi can reach the port, and a web page in a browser on this computer could
post to it too, so a request is refused unless: its source is on the local network (the shared
rule, `guards.addresses.local_network`); its Host is an IP literal, as KOReader sends it (a
name would mean DNS rebinding); it carries no `Origin` (browsers add one, KOReader never does);
it says `application/json`; it carries the pairing secret when the user set one (`?k=SECRET`,
typed into KOReader's IP field as `IP:PORT/send?k=SECRET`, KOReader then appends
":8080/send"); and its address stays within `request_rate` (the shared `guards.rate`).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from collections.abc import Callable

from bookorbit_desktop.guards.rate import AddressRate

# KOReader posts one book after another, so an export of a whole library is a burst of
# hundreds of requests from one device; anything far beyond that is not KOReader.
REQUESTS_BURST = 600.0
REQUESTS_PER_SECOND = 20.0
# All addresses together get this many addresses' worth: a real device keeps being served
# while three strangers flood at their own full rate (a stranger spraying many addresses
# still gets no more than this in all).
TOTAL_SHARES = 4


def ip_literal_host(host: str | None) -> bool:
    """True when the Host header is an IP address (with or without a port)."""
    if not host:
        return False
    name = host.strip()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def json_content(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def secret_matches(expected: str | None, given: str | None) -> bool:
    """No secret set: anything passes. Set: `given` (up to KOReader's appended ":8080/send")
    must equal it."""
    if not expected:
        return True
    offered = (given or "").split(":", 1)[0]
    return hmac.compare_digest(offered.encode(), expected.encode())


def request_rate(clock: Callable[[], float] = time.monotonic) -> AddressRate:
    """How many posts each address may make (and all of them together, `TOTAL_SHARES`
    times that)."""
    return AddressRate(
        REQUESTS_PER_SECOND,
        REQUESTS_BURST,
        total_rate=TOTAL_SHARES * REQUESTS_PER_SECOND,
        total_burst=TOTAL_SHARES * REQUESTS_BURST,
        clock=clock,
    )
