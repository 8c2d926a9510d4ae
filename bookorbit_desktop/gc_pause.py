"""Building tens of thousands of objects at once without the cycle collector's repeated scans.

Reading a 50,000-book library makes about a million small objects (rows, lists, texts) that
all live on. Python's cycle collector runs a full scan each time the objects made since the
last one reach a quarter of those alive, so a bulk build scans the growing heap again and
again: a third to a half of the read's time. None of these objects form cycles (reference
counting frees them), so the collector is paused while they are made; the first collection
after the pause finds any cycle other code made meanwhile. Threads share one collector: it
runs again once the last of them is done. The window's own collector (`ui.gc_guard`), which
collects by hand, waits for that too.

A server that has started holds its long-lived objects (modules, the library's caches, the
positions of every pushed document); `freeze_long_lived` moves them out of the collector's
sight, so a full collection under load scans only what came since (with a 10,000-book library
a full scan held every request up for about 30 ms).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # builds under way
_was_enabled = False  # the collector's state before the first of them


def collection_paused() -> bool:
    """True while a build has the collector paused (`paused_collection`): a collection then
    would only scan the objects being made, again and again."""
    return _paused > 0


@contextmanager
def paused_collection() -> Iterator[None]:
    """No cycle collection while the body runs (nor while another thread's pause lasts)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def freeze_long_lived() -> None:
    """Collect what is garbage now, then leave everything still alive out of later scans."""
    gc.collect()
    gc.freeze()
