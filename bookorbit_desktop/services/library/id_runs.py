"""The library table's long lists of book ids filtered in runs, so that the worker thread
reading an order never holds the interpreter's lock for long: one C loop over 250,000 ids
keeps every other thread waiting until it is done, the window's among them (40 to 80 ms on a
slow machine). Between runs of `RUN` ids the lock goes round.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from itertools import filterfalse

RUN = 8192  # ids a C loop takes at once: well under a millisecond


def kept(ids: array[int], keep: Callable[[int], object]) -> array[int]:
    """The ids `keep` holds for, in their order."""
    found = array("q")
    for start in range(0, len(ids), RUN):
        found.extend(filter(keep, ids[start : start + RUN]))
    return found


def left_out(ids: array[int], leave: Callable[[int], object]) -> array[int]:
    """The ids `leave` does not hold for, in their order."""
    found = array("q")
    for start in range(0, len(ids), RUN):
        found.extend(filterfalse(leave, ids[start : start + RUN]))
    return found
