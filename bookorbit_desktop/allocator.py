"""Handing memory the app has freed back to the system (glibc's `malloc_trim`).

Reading a large library makes and frees tens of megabytes of short-lived objects (query rows,
lists being built) among the long-lived ones; the C allocator keeps the freed pages for later,
so the process stays that much larger. `malloc_trim` returns every free page. Only glibc has
it: elsewhere there is nothing to call.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any


def glibc() -> Any | None:
    """The C library when it is glibc (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if getattr(libc, "mallopt", None) is not None else None  # not musl


def trim_function(libc: Any | None = None) -> Callable[[], None] | None:
    """The call that gives the heap's free pages back (None where there is none)."""
    libc = glibc() if libc is None else libc
    malloc_trim = getattr(libc, "malloc_trim", None)
    if malloc_trim is None:
        return None
    return lambda: malloc_trim(0)
