"""When this process may fork a child that does a plain piece of work beside it."""

from __future__ import annotations

import sys
import threading


def may_fork() -> bool:
    """A child may be forked: on Linux, where fork() is plain and cheap, from a process with
    no other Python thread (the command line; the window imports on a worker thread). A
    thread holding a lock at the fork would leave it held in the child; such a child takes no
    lock but the interpreter's own, which fork() hands over sound, and leaves with `os._exit`."""
    return sys.platform == "linux" and threading.active_count() == 1
