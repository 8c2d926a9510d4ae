"""A description stored raw (as a library from before descriptions were cleaned holds it) is
shown in a real book panel, offscreen, in a process of its own under an address-space limit:
`<img src="/dev/zero">` once made Qt read /dev/zero until the process aborted, local images
were read and shown and `file:` links were clickable. Now nothing is loaded, and a click opens
only the web link, in the desktop's browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[3]
# Well above what the render needs (its peak is under 400 MB, with malloc's per-thread arenas
# capped so the figure does not grow with the machine's cores): reading /dev/zero passes it
# within a second, and a healthy render never comes near it.
LIMIT = 1 << 30
TIMEOUT = 60


def test_a_stored_description_loads_nothing_and_opens_only_web_links(tmp_path):
    secret = tmp_path / "secret.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(secret))
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.library.description_render",
         str(tmp_path / "data"), str(LIMIT), str(secret)],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "MALLOC_ARENA_MAX": "2"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    shown = json.loads(done.stdout.splitlines()[-1])
    assert shown["shown"] == "Dune.\nlocal run web"  # no image, no file's text
    assert "<img" not in shown["html"] and "root:" not in shown["html"]
    assert shown["anchors"] == ["https://example.org/dune"]
    assert shown["opened"] == ["https://example.org/dune"]  # clicked: local, run, web
    assert shown["source"] == ""  # the widget itself never navigated
    # Raw HTML given straight to the widget: every image is the blank one, nothing was read.
    assert set(map(tuple, shown["raw_sizes"].values())) == {(1, 1)}
    assert "root:" not in shown["raw_shown"]
