"""Budgets for the log lines a client can cause by the thousand: a few per address a minute.

A guesser sends thousands of wrong passwords; a script can push thousands of positions that
each start or finish a book. A line for each would rotate the log through its whole size in
minutes, push out everything useful, and cost the event loop a write to the disk per request.
So the first `burst` lines of a kind from an address in a minute are logged as they happen,
later ones are only counted, and once the minute is over one summary line says how many more
there were. A person reading, or typing a password wrong, never comes near a budget.
(`lenient_http` uses one key for every address, which bounds the lines of all of them
together; its next line tells how many were left out.)

`LineBudget` is the rule, pure and driven by the caller's clock; `BudgetedLog` logs through
one on the event loop and wakes itself for the summaries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

WINDOW_SECONDS = 60.0
_MAX_TRACKED = 10_000


class LineBudget:
    """Which lines get logged now, and the summaries due once their minute ended."""

    def __init__(
        self, burst: int = 1, window: float = WINDOW_SECONDS, max_tracked: int = _MAX_TRACKED
    ) -> None:
        self.burst = burst
        self.window = window
        self._max_tracked = max_tracked
        # address -> (start of its minute, lines logged in it, lines only counted in it)
        self._minutes: OrderedDict[str, tuple[float, int, int]] = OrderedDict()
        self.unlogged = 0  # lines counted, never logged one by one (for tests and figures)

    def note(self, address: str, now: float) -> tuple[bool, int]:
        """Record a line for `address`: (it is logged now, lines of the address's previous
        minute not summed up yet, for that line to mention)."""
        minute = self._minutes.get(address)
        if minute is not None and now - minute[0] < self.window:
            start, logged, counted = minute
            if logged < self.burst:
                self._minutes[address] = (start, logged + 1, counted)
                return True, 0
            self._minutes[address] = (start, logged, counted + 1)
            self.unlogged += 1
            return False, 0
        if minute is None and len(self._minutes) >= self._max_tracked:
            self._minutes.popitem(last=False)  # its summary is lost, never the memory bound
        self._minutes[address] = (now, 1, 0)
        self._minutes.move_to_end(address)  # keeps the minutes in the order they began
        return True, minute[2] if minute is not None else 0

    def due(self, now: float) -> list[tuple[str, int]]:
        """(address, lines not logged) for every minute that ended with some; forgets
        minutes that ended. The minutes are kept in the order they began, so this looks only
        at those that ended and the first that did not: `BudgetedLog` asks before every line,
        and a spray of guesses keeps thousands of addresses here."""
        summaries = []
        while self._minutes:
            address, (start, _logged, counted) = next(iter(self._minutes.items()))
            if now - start < self.window:
                break
            del self._minutes[address]
            if counted:
                summaries.append((address, counted))
        return summaries

    def waiting(self) -> bool:
        """True while some minute holds lines its summary has not told yet."""
        return any(counted for _start, _logged, counted in self._minutes.values())


class BudgetedLog:
    """Lines of one kind, logged within a `LineBudget`. Call `line` on the event loop.

    `summary` is a %-format taking the number of lines not logged and the address, e.g.
    "Refused %d more logins from %s in the last minute".
    """

    def __init__(
        self,
        logger: logging.Logger,
        level: int,
        summary: str,
        budget: LineBudget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget if budget is not None else LineBudget()
        self._logger = logger
        self._level = level
        self._summary = summary
        self._clock = clock
        self._summary_pending = False  # a wake-up for the summaries is scheduled

    def line(self, address: str, message: str, error: BaseException | None = None) -> None:
        """Log `message` (caused by `address`, with `error`'s traceback when given) now, or
        count it for the minute's summary."""
        now = self._clock()
        self._log_summaries(now)  # so no minute that ended is left for `note` to mention
        own_line, _before = self.budget.note(address, now)
        if own_line:
            self._logger.log(self._level, "%s", message, exc_info=error)
        elif not self._summary_pending:
            self._summary_pending = True
            asyncio.get_running_loop().call_later(self.budget.window, self._summarise)

    def _summarise(self) -> None:
        self._summary_pending = False
        self._log_summaries(self._clock())
        if self.budget.waiting():
            self._summary_pending = True
            asyncio.get_running_loop().call_later(self.budget.window / 4, self._summarise)

    def _log_summaries(self, now: float) -> None:
        for address, count in self.budget.due(now):
            self._logger.log(self._level, self._summary, count, address)
