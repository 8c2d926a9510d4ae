"""Which process may push to Hardcover: a lease row in the library database.

The desktop app and `serve` both run a sync worker for the same library; whoever holds the
lease pushes, the other waits. A holder renews the lease while it works; a lease that was not
renewed in time can be taken over, and so can one whose process on this computer is gone (a
crash or a SIGKILL), so a restarted app resumes at once.
"""

from __future__ import annotations

import os
import socket
import time
import uuid

from bookorbit_desktop.library.store.models import SyncLease, database

NAME = "hardcover-sync"
TTL = 120.0  # seconds; a pass renews it before each book


def new_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(holder: str, *, ttl: float = TTL, now: float | None = None) -> bool:
    """Take or renew the lease; False while another live holder has it."""
    now = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):
        row = SyncLease.get_or_none(SyncLease.name == NAME)
        if row is None:
            SyncLease.insert(name=NAME, holder=holder, expires_at=now + ttl).execute()
            return True
        if row.holder != holder and row.expires_at > now and _alive(row.holder):
            return False
        SyncLease.update(holder=holder, expires_at=now + ttl).where(
            SyncLease.name == NAME
        ).execute()
        return True


def _alive(holder: str) -> bool:
    """False only when the holder is a process of this computer that no longer exists."""
    rest = holder.split(":")
    try:
        host, pid = rest[0], int(rest[1])
    except (IndexError, ValueError):
        return True
    if host != socket.gethostname() or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def describe(holder: str | None) -> str:
    """The holder in words: "another BookOrbit process (pid 4242)"."""
    parts = (holder or "").split(":")
    if len(parts) >= 2 and parts[1].isdigit():
        if parts[0] != socket.gethostname():
            return f"another BookOrbit process (pid {parts[1]} on {parts[0]})"
        return f"another BookOrbit process (pid {parts[1]})"
    return "another BookOrbit process"


def release(holder: str) -> None:
    with database.atomic("IMMEDIATE"):
        SyncLease.delete().where((SyncLease.name == NAME) & (SyncLease.holder == holder)).execute()


def holder_now(*, now: float | None = None) -> str | None:
    """Who holds a live lease, if anyone."""
    now = time.time() if now is None else now
    row = SyncLease.get_or_none(SyncLease.name == NAME)
    return row.holder if row is not None and row.expires_at > now else None
