"""The LAN server KOReader talks to: one aiohttp app on one port, with kosync, OPDS and WebDAV.

`app.build_app` assembles it, `app.LanServer` starts and stops it (headless or on the GUI's
loop), `lan.lan_addresses` lists the addresses a device can reach it on. No database call and
no password hash runs on the event loop: `workers.DbWorkers` owns the threads that do them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bookorbit_desktop.config import Paths
from bookorbit_desktop.guards.log_budget import BudgetedLog, LineBudget
from bookorbit_desktop.guards.throttle import LoginThrottle
from bookorbit_desktop.server.accounts import AccountCache
from bookorbit_desktop.server.guessing import GuessingReport
from bookorbit_desktop.server.workers import DbWorkers

# A person starts or finishes a few books a day; a script replaying pushes can do it hundreds of
# times a second, and writing a line for each would slow every answer.
READING_LINES_PER_MINUTE = 20


def _refusal_lines() -> BudgetedLog:
    return BudgetedLog(
        logging.getLogger("bookorbit_desktop.server.login"),
        logging.WARNING,
        "Refused %d more logins from %s in the last minute (one line per address a minute)",
    )


def _reading_lines() -> BudgetedLog:
    return BudgetedLog(
        logging.getLogger("bookorbit_desktop.server.kosync.routes"),
        logging.INFO,
        "%d more books started, resumed or finished by pushes from %s in the last minute"
        f" (the first {READING_LINES_PER_MINUTE} a minute are logged one by one)",
        LineBudget(burst=READING_LINES_PER_MINUTE),
    )


@dataclass
class ServerContext:
    """What the server's handlers need, injected so tests can swap any part."""

    paths: Paths
    opds_enabled: bool = True
    # Called (book_id) after a push changed a book's progress or status. It must return at once:
    # the Hardcover sync schedules its own work; KOReader's request must not wait for it.
    # It runs on the event loop after the answer is on its way; an exception is only logged.
    on_reading_changed: Callable[[int], None] | None = None
    # Called (what, address) after a device logged in ("KOReader" or "catalog"); like the
    # hook above it runs on the event loop after the check and must return at once.
    on_login: Callable[[str, str], None] | None = None
    # Called (addresses) when someone guesses the password from that many addresses, and with
    # 0 when it stopped (`guessing`); on the event loop, and it must return at once.
    on_guessing: Callable[[int], None] | None = None
    clock: Callable[[], float] = field(default=time.time)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    guessing: GuessingReport = field(default_factory=GuessingReport)
    workers: DbWorkers = field(default_factory=DbWorkers)
    account: AccountCache = field(default_factory=AccountCache)
    # Lines a client can cause by the thousand, logged within a budget per address a minute:
    # refused logins, and books whose state a push changed.
    refusals: BudgetedLog = field(default_factory=_refusal_lines)
    reading_lines: BudgetedLog = field(default_factory=_reading_lines)
