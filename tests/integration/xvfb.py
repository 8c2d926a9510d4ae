"""A private Xvfb display for tests and the screenshot script: the display number Xvfb picks
itself (`-displayfd`), so runs never collide."""

from __future__ import annotations

import os
import subprocess


def start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str] | None:
    """Xvfb with one `size` screen ("1366x768") and its DISPLAY value; None if it did not
    start."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        return None
    return xvfb, f":{number}"
