"""The Hardcover token's health as the app remembers it: its expiry, the scopes Hardcover
refused and what they turn off, and the tray's expiry warning (at most once a day).

Kept in the library's settings table (never the token itself). `HardcoverAccount` writes it
when a token is connected and whenever Hardcover refuses a scope; the window, the tray and
`hardcover status` read it here.
"""

from __future__ import annotations

import datetime as dt
import time

from bookorbit_desktop.hardcover.api.token_health import TokenHealth
from bookorbit_desktop.library.store.settings import delete_setting, get_private, set_setting

HEALTH_KEY = "hardcover.token_health"
WARNED_KEY = "hardcover.token_warned_on"  # the local day the tray last warned


def load() -> TokenHealth:
    return TokenHealth.from_json(get_private(HEALTH_KEY))


def save(health: TokenHealth) -> None:
    set_setting(HEALTH_KEY, health.to_json())


def forget() -> None:
    delete_setting(HEALTH_KEY)
    delete_setting(WARNED_KEY)


def note_missing(scope: str | None) -> None:
    """Hardcover refused a scope: remember it, so the window says which feature is off."""
    if scope:
        save(load().with_missing([scope]))


def warning_due(now: float | None = None) -> str | None:
    """The expiry warning if one is due and none was given today (then it counts as given)."""
    now = time.time() if now is None else now
    text = load().expiry_warning(now)
    if text is None:
        return None
    today = dt.datetime.fromtimestamp(now).date().isoformat()
    if get_private(WARNED_KEY) == today:
        return None
    set_setting(WARNED_KEY, today)
    return text


def lines(now: float | None = None) -> list[str]:
    """What `hardcover status` and the Settings tab say about the token."""
    now = time.time() if now is None else now
    health = load()
    shown = [f"Token: {health.kind}, expires {health.expiry_text()}"]
    warning = health.expiry_warning(now)
    if warning:
        shown.append(f"Warning: {warning}")
    shown.extend(health.disabled())
    return shown


async def warning_due_later(now: float | None = None) -> str | None:
    """`warning_due` in a worker thread, for the window's event loop."""
    from bookorbit_desktop.library.store.off_loop import off_loop

    return await off_loop(warning_due, now)
