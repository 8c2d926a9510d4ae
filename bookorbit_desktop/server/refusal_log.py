"""A budget for the log lines of refused logins: one line per address per minute.

A guesser sends thousands of wrong passwords; a line for each would rotate the log through
its whole size in minutes and push out everything useful. So the first refusal from an
address in a minute is logged as it happens, later ones are only counted, and once the minute
is over one summary line says how many more there were. Pure, driven by the caller's clock.
"""

from __future__ import annotations

from collections import OrderedDict

WINDOW_SECONDS = 60.0
_MAX_TRACKED = 10_000


class RefusalLog:
    """Which refusals get a line now, and the summaries due once their minute ended."""

    def __init__(self, window: float = WINDOW_SECONDS, max_tracked: int = _MAX_TRACKED) -> None:
        self.window = window
        self._max_tracked = max_tracked
        # address -> (start of its minute, refusals not logged in it)
        self._minutes: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self.unlogged = 0  # refusals counted, never logged one by one (for tests and figures)
        self.summary_pending = False  # the caller has asked to be woken for the summaries

    def note(self, address: str, now: float) -> tuple[bool, int]:
        """Record a refusal from `address`: (it gets its own line now, refusals of the
        address's previous minute not summed up yet, for that line to mention)."""
        minute = self._minutes.get(address)
        if minute is not None and now - minute[0] < self.window:
            self._minutes[address] = (minute[0], minute[1] + 1)
            self.unlogged += 1
            return False, 0
        if minute is None and len(self._minutes) >= self._max_tracked:
            self._minutes.popitem(last=False)  # its summary is lost, never the memory bound
        self._minutes[address] = (now, 0)
        self._minutes.move_to_end(address)
        return True, minute[1] if minute is not None else 0

    def due(self, now: float) -> list[tuple[str, int]]:
        """(address, refusals not logged) for every minute that ended with some; forgets
        minutes that ended."""
        ended = [key for key, (start, _) in self._minutes.items() if now - start >= self.window]
        summaries = []
        for address in ended:
            _start, count = self._minutes.pop(address)
            if count:
                summaries.append((address, count))
        return summaries

    def waiting(self) -> bool:
        """True while some minute holds refusals its summary has not told yet."""
        return any(count for _start, count in self._minutes.values())
