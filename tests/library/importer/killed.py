"""A script that starts an import's children, prints their pids on one line and kills itself
with SIGKILL, as `kill -9` or the out-of-memory killer would: what its children do then."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psutil

from tests.library.files.file_child import ROOT


@contextmanager
def children_of_a_killed_process(script: str, *args: str) -> Iterator[list[psutil.Process]]:
    """The children whose pids `script` printed, once it is dead; killed when the block ends."""
    killed = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,  # the children keep it open: their line is read, not its end
        text=True,
    )
    assert killed.stdout is not None
    with killed.stdout:
        children = [psutil.Process(int(pid)) for pid in killed.stdout.readline().split()]
    try:
        assert killed.wait(60) == -signal.SIGKILL
        yield children
    finally:
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def running(process: psutil.Process) -> bool:
    """Still running: neither gone nor a zombie (its parent gone, none may reap it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    """Wait for `condition()` (a busy machine: up to `seconds`), failing with `what`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
