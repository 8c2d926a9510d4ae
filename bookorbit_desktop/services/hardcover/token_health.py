"""The Hardcover token's health as the app remembers it: its expiry, the scopes Hardcover
refused and what they turn off, and the tray's expiry warning (at most once a day).

Kept in the library's settings table (never the token itself). `HardcoverAccount` writes it
when a token is connected and whenever Hardcover refuses a scope; the user may enter or change
a personal token's expiry later (`set_expiry`: Settings > Hardcover, `hardcover expires`); the
window, the tray and `hardcover status` read it here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import replace

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.api.token_health import (
    FEATURES,
    PAT,
    TokenHealth,
    parse_expiry,
)
from bookorbit_desktop.library.store.settings import delete_setting, get_private, set_setting

HEALTH_KEY = "hardcover.token_health"
WARNED_KEY = "hardcover.token_warned_on"  # the local day the tray last warned
ENTER_EXPIRY = (
    "expiry unknown: enter the date you chose on hardcover.app to be warned a week before "
    "(Settings ▸ Hardcover, or: bookorbit-desktop hardcover expires YYYY-MM-DD)"
)


def load() -> TokenHealth:
    return TokenHealth.from_json(get_private(HEALTH_KEY))


def save(health: TokenHealth) -> None:
    set_setting(HEALTH_KEY, health.to_json())


def forget() -> None:
    delete_setting(HEALTH_KEY)
    delete_setting(WARNED_KEY)


def note_missing(scopes: Iterable[str]) -> None:
    """Hardcover refused these scopes: remember them, so the window says which feature is
    off (until a token is connected again)."""
    refused = set(scopes)
    if not refused:
        return
    health = load()
    if not refused <= set(health.missing):
        save(health.with_missing(refused))


def features_off() -> list[tuple[str, str]]:
    """(scope, feature) for each feature off for lack of a scope, for the Hardcover page."""
    return [(scope, FEATURES.get(scope, scope)) for scope in load().missing]


def own_expiry() -> str | None:
    """The expiry the token itself carries (a legacy JWT's), as YYYY-MM-DD; None otherwise."""
    health = load()
    if health.expiry_source != "jwt" or health.expires_at is None:
        return None
    return dt.datetime.fromtimestamp(health.expires_at).date().isoformat()


def entered_expiry() -> str:
    """The expiry the user entered for the saved token, as YYYY-MM-DD ("" when none)."""
    health = load()
    if health.expiry_source != "entered" or health.expires_at is None:
        return ""
    return dt.datetime.fromtimestamp(health.expires_at).date().isoformat()


def check_expiry(text: str) -> None:
    """InvalidValueError unless `text` is empty or a date (YYYY-MM-DD)."""
    if text.strip():
        parse_expiry(text)


def set_expiry(text: str | None) -> TokenHealth:
    """The user's word on the saved token's expiry (YYYY-MM-DD); empty or None forgets it.

    A token that carries its own expiry keeps it. A new date may warn again the same day.
    """
    day = own_expiry()
    if day is not None:
        raise InvalidValueError(
            f"This token carries its own expiry ({day}); there is nothing to enter for it.",
            title="Expiry in the token",
        )
    entered = parse_expiry(text) if text and text.strip() else None
    health = replace(load(), expires_at=entered, expiry_source="entered" if entered else None)
    save(health)
    delete_setting(WARNED_KEY)
    return health


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


def expiry_notice(now: float | None = None) -> tuple[str | None, bool]:
    """What the Hardcover page and the tray say of the expiry (None: unknown), and whether it
    is time to warn (a week before it, or past it)."""
    now = time.time() if now is None else now
    health = load()
    return health.expiry_line(now), health.expires_soon(now)


def lines(now: float | None = None) -> list[str]:
    """What `hardcover status` and the Settings tab say about the token."""
    now = time.time() if now is None else now
    health = load()
    if health.expires_at is not None:
        shown = [f"Token: {health.kind}, expires {health.expiry_text()}"]
    elif health.kind == PAT:
        shown = [f"Token: {health.kind}, {ENTER_EXPIRY}"]
    else:
        shown = [f"Token: {health.kind}, expiry unknown"]
    warning = health.expiry_warning(now)
    if warning:
        shown.append(f"Warning: {warning}")
    shown.extend(health.disabled())
    return shown


async def warning_due_later(now: float | None = None) -> str | None:
    """`warning_due` in a worker thread, for the window's event loop."""
    from bookorbit_desktop.library.store.off_loop import off_loop

    return await off_loop(warning_due, now)
