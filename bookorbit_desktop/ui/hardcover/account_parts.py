"""What the Hardcover page's account box says, and the token's expiry field it shares with
Settings ▸ Hardcover.

A personal access token (`hc_pat_…`) carries no expiry Hardcover can be asked for: the user
chose it when creating the token. Entered beside the token (optional), it lets the tray warn a
week before it runs out; Settings ▸ Hardcover changes it later.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLineEdit

from bookorbit_desktop.services.hardcover.service import GET_TOKEN_URL, HardcoverStatus
from bookorbit_desktop.ui.asyncqt import error_text
from bookorbit_desktop.ui.widgets import ERROR_COLOUR

EXPIRY_TIP = (
    "The expiry you chose when creating the token on hardcover.app (YYYY-MM-DD). Optional: "
    "with it BookOrbit warns you a week before the token stops working."
)


def expiry_edit() -> QLineEdit:
    """The optional expiry date of a personal token, typed as YYYY-MM-DD."""
    edit = QLineEdit()
    edit.setPlaceholderText("YYYY-MM-DD (optional)")
    # Wide enough to show the whole placeholder, with room for the field's own margins.
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 28)
    edit.setAccessibleName("Hardcover token expiry date")
    edit.setToolTip(EXPIRY_TIP)
    return edit


def _warnings(warnings: tuple[str, ...]) -> str:
    return "".join(
        f"<br><span style='color:{ERROR_COLOUR}'>{html.escape(warning)}</span>"
        for warning in warnings
    )


def _features_off(off: tuple[tuple[str, str], ...]) -> str:
    """Each feature the token turns off, and how to turn it on."""
    if not off:
        return ""
    lines = "".join(
        f"<br><span style='color:{ERROR_COLOUR}'>Off: {html.escape(feature)}. The token lacks "
        f"the \u201c{html.escape(scope)}\u201d permission.</span>"
        for scope, feature in off
    )
    return lines + (
        f"<br>To turn {'it' if len(off) == 1 else 'them'} on, create a new token on "
        f"<a href='{html.escape(GET_TOKEN_URL)}'>Hardcover's API page</a> (Get Token… ticks "
        "every permission BookOrbit uses), paste it below and press Connect."
    )


def connect_failure(error: BaseException, status: HardcoverStatus | None) -> str:
    """What the page says below the token when Connect fails. A reason the account box
    already shows in red (no password storage, say) is not said twice: the title points
    there."""
    title, message = error_text(error)
    if status is not None and message in status.warnings:
        return f"{title}: see above."
    return f"{title}: {message}"


def account_html(status: HardcoverStatus | None) -> str:
    """The account box's text: looking in the keyring, how to connect, or who is connected
    (and that the saved token is refused, or lacks a permission a feature needs)."""
    if status is not None and status.checking:
        return "Looking for a saved Hardcover token in the keyring…"
    if status is None or not status.connected:
        text = (
            "Connect your Hardcover account to match your books with Hardcover's books "
            "and editions. "
            f"Create a token on <a href='{html.escape(GET_TOKEN_URL)}'>Hardcover's API "
            "page</a> (Get Token…), paste it below and press Connect. It is checked with "
            "Hardcover and kept in your system's keyring, never in BookOrbit's files."
        )
        text += _warnings(status.warnings if status is not None else ())
        if status is not None and status.keyring_unreadable:
            text += "<br>Press F5 (View ▸ Refresh) to look for the saved token again."
        return text
    who = f"<b>@{html.escape(status.username)}</b>" if status.username else "your account"
    text = f"Connected as {who}. The token is kept in {html.escape(status.keyring)}."
    if status.paused_reason:
        text += (
            f"<br><span style='color:{ERROR_COLOUR}'>Hardcover no longer accepts the saved "
            "token (it expired or was revoked), so syncing is paused. Paste a new token "
            "below and press Connect (Get Token… creates one).</span>"
        )
    if status.token_expiry and status.token_expiry_soon:
        text += _warnings((status.token_expiry,))
    elif status.token_expiry:
        text += f"<br>{html.escape(status.token_expiry)}"
    return text + _features_off(status.features_off) + _warnings(status.warnings)
