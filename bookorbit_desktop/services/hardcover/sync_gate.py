"""One sync pass at a time: the coordinator the background worker and Sync Now share.

In this process the worker's pass starts only when no other pass runs and gives way, between
two books, as soon as the user starts one (`PassGate`); between processes the library's sync
lease decides, under the one name this process holds it by (`HOLDER`).
"""

from __future__ import annotations

import asyncio
import threading

from bookorbit_desktop.hardcover.sync import lease


class PassGate:
    """One sync pass at a time in this process (the worker runs on a thread of its own): the
    worker's pass starts only when no other runs, and gives way between two books as soon as
    the user starts one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: str | None = None
        self._free = threading.Event()
        self._free.set()
        self._users_waiting = 0

    def try_worker(self) -> bool:
        with self._lock:
            if self._owner is not None or self._users_waiting:
                return False
            self._owner = "worker"
            self._free.clear()
            return True

    def user_waiting(self) -> bool:
        return self._users_waiting > 0

    async def enter_user(self) -> None:
        with self._lock:
            self._users_waiting += 1
        try:
            while True:
                with self._lock:
                    if self._owner is None:
                        self._owner = "user"
                        self._free.clear()
                        return
                await asyncio.to_thread(self._free.wait, 0.5)
        finally:
            with self._lock:
                self._users_waiting -= 1

    def leave(self) -> None:
        with self._lock:
            self._owner = None
            self._free.set()


GATE = PassGate()  # the process's one coordinator
HOLDER = lease.new_holder()  # the process's name on the library's sync lease
