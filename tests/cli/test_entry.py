"""Ctrl-C while the program is still loading its command line, or parsing what it was asked:
one line and status 130, as during a command, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.forked import ROOT

# Runs the program's entry as the installed `bookorbit-desktop` does, with Ctrl-C arriving as
# the module named in argv[1] loads (a KeyboardInterrupt where the import stands).
INTERRUPTED_WHILE_LOADING = """
import sys

loading = sys.argv[1]

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == loading:
            raise KeyboardInterrupt

sys.meta_path.insert(0, CtrlC())
sys.argv = ["bookorbit-desktop", *sys.argv[2:]]
from bookorbit_desktop.entry import main
sys.exit(main())
"""


@pytest.mark.parametrize(
    ("loading", "words"),
    [
        ("bookorbit_desktop.cli", ["books"]),  # the command line itself
        ("bookorbit_desktop.logging_setup", ["books"]),  # one of its parts
        ("bookorbit_desktop.cli.library", ["books"]),  # the command's own module, while parsing
    ],
)
def test_ctrl_c_while_loading_ends_with_one_line_and_status_130(tmp_path, loading, words):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            INTERRUPTED_WHILE_LOADING,
            loading,
            "--data-dir",
            str(tmp_path),
            *words,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "\nInterrupted.\n")
