"""The window's first paint loads only what it shows: the LAN server, the ebook readers and
writers, the metadata sources and the HTML and fuzzy-matching libraries load later (when the
server starts, or when first used). Each would add to every start."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Loaded after the window is shown, or only when used.
LATER = (
    "aiohttp",
    "lxml",
    "nh3",
    "re2",
    "rapidfuzz",
    "PIL",
    "pypdf",
    "keyring",
    "multiprocessing",
    "bookorbit_desktop.server.app",
    "bookorbit_desktop.library.metadata.reader",
    "bookorbit_desktop.library.metadata.epub_write",
    "bookorbit_desktop.metadata_sources.openlibrary",
    "bookorbit_desktop.metadata_sources.googlebooks",
)
# The real app, started as the menu starts it, noting what is loaded once its window is shown
# (the log line the start-up benchmark times), then asked to quit as SIGTERM asks it.
PROBE = """
import json, logging, os, signal, sys
later = json.loads(sys.argv.pop(1))

class Shown(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("Window shown"):
            loaded = [name for name in later if name in sys.modules]
            print(json.dumps({"loaded": loaded}), file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGTERM)

logging.getLogger("bookorbit_desktop.app").addHandler(Shown())
from bookorbit_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_first_paint_loads_none_of_what_comes_later(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(LATER), "--data-dir", str(tmp_path), "gui"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    reports = [line for line in result.stderr.splitlines() if line.startswith('{"loaded"')]
    assert reports, result.stderr
    assert json.loads(reports[0]) == {"loaded": []}
    assert result.returncode == 0, result.stderr
