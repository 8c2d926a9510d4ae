"""The crash report a user pastes into a bug report: versions, tracebacks, never a credential."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.crash_report import (
    Versions,
    crash_report,
    restart_command,
    traceback_text,
)

VERSIONS = Versions(app="1.2.3", python="3.11.9", qt="6.7.2 (PySide6 6.7.2)", system="Linux-6.8")
HEADER = "BookOrbit Desktop 1.2.3\nPython 3.11.9\nQt 6.7.2 (PySide6 6.7.2)\nSystem: Linux-6.8\n"


@pytest.mark.parametrize(
    ("tracebacks", "expected"),
    [
        (["Traceback: KeyError: 'x'"], HEADER + "\nError:\nTraceback: KeyError: 'x'\n"),
        (
            ["first\n", "second"],
            HEADER + "\nError 1 of 2:\nfirst\n\nError 2 of 2:\nsecond\n",
        ),
        (
            ["ValueError: token hc_pat_abc123 refused"],
            HEADER + "\nError:\nValueError: token [redacted] refused\n",
        ),
        (
            ["headers={'Authorization': 'Bearer eyJabc.def.ghi'}"],
            HEADER + "\nError:\nheaders={'Authorization': '[redacted]\n",
        ),
        (
            ["RuntimeError: Bearer s3cr3t-value failed"],
            HEADER + "\nError:\nRuntimeError: [redacted] failed\n",
        ),
        ([], HEADER.rstrip("\n") + "\n"),
    ],
)
def test_crash_report(tracebacks, expected):
    assert crash_report(tracebacks, VERSIONS) == expected


def test_a_traceback_names_the_error_and_masks_tokens():
    try:
        raise RuntimeError("Hardcover refused hc_pat_abc123")
    except RuntimeError as error:
        text = traceback_text(error)
    assert text.startswith("Traceback (most recent call last):")
    assert text.endswith("RuntimeError: Hardcover refused [redacted]")
    assert "hc_pat_abc123" not in text


@pytest.mark.parametrize(
    ("executable", "orig_argv", "argv", "frozen", "expected"),
    [
        (
            "/venv/bin/python",
            ["python", "-m", "bookorbit_desktop", "gui", "--hidden"],
            ["/src/bookorbit_desktop/__main__.py", "gui", "--hidden"],
            False,
            ["/venv/bin/python", "-m", "bookorbit_desktop", "gui", "--hidden"],
        ),
        (
            "/usr/bin/python3.11",
            ["/usr/bin/python3", "/home/u/.local/bin/bookorbit-desktop"],
            ["/home/u/.local/bin/bookorbit-desktop"],
            False,
            ["/usr/bin/python3.11", "/home/u/.local/bin/bookorbit-desktop"],
        ),
        (
            "/opt/bookorbit/bookorbit-desktop",
            ["bookorbit-desktop", "--data-dir", "/d"],
            ["bookorbit-desktop", "--data-dir", "/d"],
            True,
            ["/opt/bookorbit/bookorbit-desktop", "--data-dir", "/d"],
        ),
    ],
)
def test_restart_command(executable, orig_argv, argv, frozen, expected):
    assert restart_command(executable, orig_argv, argv, frozen=frozen) == expected


@pytest.mark.parametrize(
    ("orig_argv", "argv", "frozen", "expected"),
    [
        (
            ["python", "-m", "bookorbit_desktop", "--data-dir", "/d", "gui", "--hidden"],
            ["/src/bookorbit_desktop/__main__.py", "--data-dir", "/d", "gui", "--hidden"],
            False,
            ["/bin/app", "-m", "bookorbit_desktop", "--data-dir", "/d", "gui"],
        ),
        (
            ["bookorbit-desktop", "gui", "--hidden"],
            ["bookorbit-desktop", "gui", "--hidden"],
            True,
            ["/bin/app", "gui"],
        ),
        (
            ["python", "-m", "bookorbit_desktop"],
            ["/src/bookorbit_desktop/__main__.py"],
            False,
            ["/bin/app", "-m", "bookorbit_desktop"],
        ),
    ],
)
def test_a_restart_with_the_window_leaves_out_hidden(orig_argv, argv, frozen, expected):
    assert restart_command("/bin/app", orig_argv, argv, frozen=frozen, shown=True) == expected
