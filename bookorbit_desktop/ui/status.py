"""What the app is doing right now, shared by the tray, the status bar and the settings.

`AppStatus` is a plain value; the rules that turn it into a tray state and texts are pure
functions so they can be tested without a screen. `StatusHub` holds the current value and
tells every view when it changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from bookorbit_desktop import APP_DISPLAY_NAME
from bookorbit_desktop.services.hardcover.sync import Waits, waits_parts
from bookorbit_desktop.ui.icons import TrayState
from bookorbit_desktop.ui.text import counted

KOSYNC_PATH = "/kosync"
OPDS_PATH = "/opds"
# The server waits on loopback until a KOReader account exists (`server/exposure.py`).
LOOPBACK_SUMMARY = (
    "KOReader sync server: this computer only until a KOReader account exists; create it in "
    "Settings (Ctrl+,) and the server opens to your network"
)
# The same while the Welcome page, with its own account form, is open.
LOOPBACK_WELCOME_SUMMARY = (
    "KOReader sync server: this computer only until a KOReader account exists; create it on "
    "the Welcome page (step 2) and the server opens to your network"
)


@dataclass(frozen=True)
class AppStatus:
    server_running: bool = False
    server_starting: bool = True
    base_urls: tuple[str, ...] = ()  # "http://192.168.1.20:8765", best address first
    opds_enabled: bool = True
    server_problem: str | None = None  # why the server is not running, in the user's words
    server_notice: str | None = None  # running on loopback only: why, and how to open it
    # Someone guesses the KOReader password from this many addresses (`server/guessing.py`).
    password_guessers: int = 0
    sync_available: bool = False  # a Hardcover account is connected
    sync_paused: bool = False
    syncing: bool = False
    sync_problem: str | None = None
    sync_done: int = 0  # books done in the running pass
    sync_total: int = 0
    last_sync: float | None = None  # when a pass last finished (Unix seconds)
    # What waits for the sync, each book in one state (`hardcover.sync.waiting`, `Waits`):
    pending: int = 0  # books a pass sends (the background worker too)
    to_match: int = 0  # books a sync would look up on Hardcover first
    held: int = 0  # books the user's Cancel held back until they send or discard them
    awaiting_review: int = 0  # new books that wait for the user's review before going out
    to_pick: int = 0  # books being read whose Hardcover match waits for the user's choice
    in_conflict: int = 0  # books with a field changed both here and on hardcover.app
    failed: int = 0  # books whose change Hardcover refused for good
    goal: str | None = None  # the current reading goal in one line (`services.goals`)

    @staticmethod
    def waits_fields(waits: Waits) -> dict[str, int]:
        """The fields of `waits`, for `StatusHub.update`."""
        return {
            "pending": waits.to_send,
            "to_match": waits.to_look_up,
            "held": waits.held,
            "awaiting_review": waits.to_review,
            "to_pick": waits.to_pick,
            "in_conflict": waits.in_conflict,
            "failed": waits.failed,
        }

    @property
    def waits(self) -> Waits:
        return Waits(
            to_send=self.pending,
            to_review=self.awaiting_review,
            held=self.held,
            to_look_up=self.to_match,
            to_pick=self.to_pick,
            in_conflict=self.in_conflict,
            failed=self.failed,
        )

    welcome_open: bool = False  # the Welcome page (first run) is in the window
    inbox: int = 0  # imported books waiting in the Inbox for the user's approval
    pull_problem: str | None = None  # the last read of hardcover.app's changes failed (a line)
    token_expiry: str | None = None  # the token expires within a week (or did): the line

    @property
    def kosync_urls(self) -> tuple[str, ...]:
        return tuple(url + KOSYNC_PATH for url in self.base_urls)

    @property
    def opds_urls(self) -> tuple[str, ...]:
        return tuple(url + OPDS_PATH for url in self.base_urls) if self.opds_enabled else ()


def tray_state(status: AppStatus) -> TrayState:
    """The icon to show: problems first, then activity, then pauses."""
    if status.server_problem or status.sync_problem:
        return TrayState.ERROR
    if not status.server_running:
        return TrayState.OFFLINE
    if status.syncing:
        return TrayState.SYNCING
    if status.sync_available and status.sync_paused:
        return TrayState.PAUSED
    return TrayState.IDLE


def server_summary(status: AppStatus) -> str:
    """One line for the status bar and the tray tooltip."""
    guessing = guessing_line(status)
    if guessing:
        return guessing
    if status.server_running:
        if status.server_notice:
            return LOOPBACK_WELCOME_SUMMARY if status.welcome_open else LOOPBACK_SUMMARY
        if status.kosync_urls:
            return f"KOReader sync server: {status.kosync_urls[0]}"
        return "KOReader sync server running"
    if status.server_problem:
        return f"Server stopped: {status.server_problem}"
    if status.server_starting:
        return "Starting the KOReader sync server…"
    return "KOReader sync server stopped"


def guessing_line(status: AppStatus) -> str | None:
    """What the server says while someone guesses the password from many addresses."""
    if not status.server_running or not status.password_guessers:
        return None
    addresses = counted("%n address(es)", status.password_guessers)
    return f"KOReader sync server: someone is guessing the password from {addresses}"


# Why only some devices get in meanwhile, for the status bar's tooltip.
GUESSING_TIP = (
    "Devices that logged in before still sync. Logins from other addresses are refused without "
    "a check until the guessing stops; the log lists the addresses."
)


def where_to_create_account(status: AppStatus) -> str:
    """Where the user makes the KOReader account: the form in front of them, if open."""
    return "on the Welcome page" if status.welcome_open else "in Settings"


# What Sync Now does, said wherever it is offered (button, menu, tray): a pass reads the changes
# made on hardcover.app first, then sends the library's (`hardcover.sync.engine`).
SYNC_NOW_TIP = "Get your changes from Hardcover, then send the library's"


def sync_unavailable_reason(status: AppStatus) -> str | None:
    """Why "Sync Now" cannot run right now, in the user's words; None when it can. Nothing
    waiting to be sent is no reason: Sync Now also gets what changed on hardcover.app."""
    if not status.sync_available:
        return "Connect your Hardcover account first (Hardcover page)"
    if status.sync_problem and status.sync_problem.startswith("Hardcover token"):
        return "Hardcover refused the saved token: connect again on the Hardcover page"
    if status.sync_paused:
        return "Hardcover sync is paused"
    if status.syncing:
        return "A sync is running"
    return None


def can_sync_now(status: AppStatus) -> bool:
    """ "Sync Now" is offered with an account whose token Hardcover accepts, while no run is
    going and sync is not paused."""
    return sync_unavailable_reason(status) is None


def new_attention(previous: str | None, status: AppStatus) -> str | None:
    """The notification to show when sync newly needs the user (`previous`: the problem of
    the last status); None when nothing new happened, so a problem is announced once."""
    problem = status.sync_problem
    if not problem or problem == previous:
        return None
    if problem.startswith("Hardcover token"):
        return "Hardcover no longer accepts the saved token. Connect again on the Hardcover page."
    return f"{problem}. The Hardcover page says which books and why."


def new_review_notice(previous: int, status: AppStatus) -> str | None:
    """The notification when more new books start waiting for the user's review than before
    (`previous`); None otherwise, so it is said once, not on every pass."""
    if status.awaiting_review <= previous or not status.sync_available:
        return None
    return (  # always more than five books: the worker publishes up to five by itself
        f"{status.awaiting_review:,} books are ready to go to Hardcover: review them with "
        "Sync Now on the Hardcover page. Nothing new is published before you do."
    )


def new_pick_notice(previous: int, status: AppStatus) -> str | None:
    """The notification when more books than before wait for the user to choose their
    Hardcover book (found by the background worker, say); once, not on every pass."""
    if status.to_pick <= previous or not status.sync_available:
        return None
    books = f"{status.to_pick:,} of your {'book' if status.to_pick == 1 else 'books'}"
    return (
        f"Hardcover has several possible books for {books}: choose on the "
        "Hardcover page (Needs review, Pick…). Nothing is sent for them until you do."
    )


def when_text(seconds: float, now: float) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago"."""
    ago = max(0.0, now - seconds)
    if ago < 60:
        return "just now"
    for size, text in (
        (86400, "%n day(s) ago"),
        (3600, "%n hour(s) ago"),
        (60, "%n minute(s) ago"),
    ):
        if ago >= size:
            return counted(text, int(ago // size))
    return "just now"


def pull_problem_line(reason: str, refused: bool, next_at: float | None) -> str:
    """The status line for a failed pull: what happened, why, and what comes next."""
    line = f"Hardcover: could not read your changes from hardcover.app ({reason.rstrip('.')})"
    if refused:
        return line + ". Connect again on the Hardcover page"
    if next_at is None:
        return line + ". The next sync tries again"
    at = time.strftime("%H:%M", time.localtime(next_at))
    return line + f". Next try at {at}, or Sync Now"


def sync_summary(status: AppStatus) -> str:
    if not status.sync_available:
        return "Hardcover: not connected"
    if status.sync_problem:
        if status.sync_problem.startswith("Hardcover"):
            return status.sync_problem  # error titles such as "Hardcover rate limit reached"
        return f"Hardcover: {status.sync_problem}"
    if status.syncing:
        if status.sync_total:
            # Books finished, like the dialog's bar (its line names the book being sent).
            total = counted("%n book(s)", status.sync_total)
            return f"Hardcover: syncing, {status.sync_done} of {total} done"
        return "Hardcover: syncing…"
    if status.sync_paused:
        return "Hardcover: sync paused"
    if status.pull_problem:
        return status.pull_problem
    return "Hardcover: connected"


def sync_details(status: AppStatus, now: float) -> str | None:
    """ "Last sync 5 minutes ago · 3 books waiting · 2 books to look up" (None without an
    account)."""
    if not status.sync_available:
        return None
    parts = [
        "Last sync " + when_text(status.last_sync, now) if status.last_sync else "Never synced"
    ]
    parts.extend(waits_parts(status.waits))
    return " · ".join(parts)


def tooltip(status: AppStatus, now: float | None = None) -> str:
    lines = [APP_DISPLAY_NAME, server_summary(status), sync_summary(status)]
    details = sync_details(status, time.time() if now is None else now)
    if details:
        lines.append(details)
    if status.token_expiry and status.sync_available:
        lines.append(status.token_expiry)
    if status.inbox:
        lines.append(f"{counted('%n book(s)', status.inbox)} in the Inbox")
    if status.goal:
        lines.append(status.goal)
    return "\n".join(lines)


class StatusHub(QObject):
    """Holds the current `AppStatus` and emits `changed` with the new value."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = AppStatus()

    @property
    def status(self) -> AppStatus:
        return self._status

    def update(self, **changes: Any) -> AppStatus:
        new = replace(self._status, **changes)
        if new != self._status:
            self._status = new
            self.changed.emit(new)
        return new
