"""The LAN server KOReader talks to: one aiohttp app on one port, with kosync, OPDS and WebDAV.

`app.build_app` assembles it, `app.LanServer` starts and stops it (headless or on the GUI's
loop), `lan.lan_addresses` lists the addresses a device can reach it on. No database call and
no password hash runs on the event loop: `workers.DbWorkers` owns the threads that do them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bookorbit_desktop.config import Paths
from bookorbit_desktop.server.accounts import AccountCache
from bookorbit_desktop.server.refusal_log import RefusalLog
from bookorbit_desktop.server.throttle import LoginThrottle
from bookorbit_desktop.server.workers import DbWorkers


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
    clock: Callable[[], float] = field(default=time.time)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    workers: DbWorkers = field(default_factory=DbWorkers)
    account: AccountCache = field(default_factory=AccountCache)
    refusals: RefusalLog = field(default_factory=RefusalLog)
