"""The fork server's children answer as the new interpreters they stand in for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests import forked

WAL = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=wal")
db.execute("CREATE TABLE t (x)")
db.execute("INSERT INTO t VALUES (1)")
print("written")
"""

PROGRAMS = {
    "streams": ["-c", "import sys; print('out'); print('err', file=sys.stderr)"],
    "exit status": ["-c", "import sys; print('leaving'); sys.exit(3)"],
    "exit message": ["-c", "import sys; sys.exit('refused')"],
    "killed": ["-c", "import os, signal; print('before', flush=True); os.kill(os.getpid(), 9)"],
    "arguments, folder and environment": [
        "-c",
        "import os, sys; print(sys.argv, os.getcwd(), os.environ.get('ASKED'))",
        "one",
        "two words",
    ],
    "stdin is empty": ["-c", "import sys; print(repr(sys.stdin.read()))"],
    "exit handlers": ["-c", "import atexit; atexit.register(print, 'at exit'); print('main')"],
    "main module": ["-c", "import __main__; x = 5; print(__main__.x, __name__)"],
    "a module": ["-m", "this"],
    "open files": ["-c", "import os; print(sorted(os.listdir('/proc/self/fd')))"],
}


def _python(tmp_path, code: str, **kwargs) -> subprocess.CompletedProcess:
    return forked.run([sys.executable, "-c", code], cwd=tmp_path, env={}, timeout=30, **kwargs)


def _both(tmp_path, argv: list[str]) -> tuple[subprocess.CompletedProcess, ...]:
    env = {"PATH": os.environ["PATH"], "ASKED": "yes", "PYTHONPATH": str(forked.ROOT)}
    args = [sys.executable, *argv]
    fresh = subprocess.run(
        args, cwd=tmp_path, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    child = forked.run(args, cwd=tmp_path, env=env, timeout=30)
    return fresh, child


@pytest.mark.parametrize("name", PROGRAMS)
def test_a_child_answers_as_a_new_interpreter(tmp_path, name):
    fresh, child = _both(tmp_path, PROGRAMS[name])
    assert (child.returncode, child.stdout, child.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )
    assert child.args == fresh.args


def test_an_uncaught_error_ends_with_its_traceback_and_status_1(tmp_path):
    fresh, child = _both(tmp_path, ["-c", "print('x'); raise ValueError('broken')"])
    assert child.returncode == fresh.returncode == 1
    assert child.stdout == fresh.stdout == "x\n"
    assert child.stderr.startswith("Traceback (most recent call last):\n")
    assert child.stderr.splitlines()[-1] == fresh.stderr.splitlines()[-1] == "ValueError: broken"


def test_a_child_leaves_as_an_interpreter_does(tmp_path):
    """Finalization closes what the program left open: SQLite folds its journal back."""
    for number, run in enumerate((subprocess.run, forked.run)):
        library = tmp_path / f"{number}.sqlite3"
        kwargs = {"capture_output": True, "text": True} if run is subprocess.run else {}
        done = run(
            [sys.executable, "-c", WAL, str(library)],
            cwd=tmp_path,
            env={"PATH": os.environ["PATH"]},
            timeout=30,
            **kwargs,
        )
        assert (done.returncode, done.stdout) == (0, "written\n")
        assert not library.with_name(library.name + "-wal").exists()


def test_a_child_past_its_time_is_killed(tmp_path):
    marker = tmp_path / "pid"
    code = f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        forked.run([sys.executable, "-c", code], cwd=tmp_path, env={}, timeout=1)
    assert time.monotonic() - started < 10
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)  # gone and reaped
    # and the server answers the next request
    assert (
        forked.run([sys.executable, "-c", "print(1)"], cwd=tmp_path, env={}, timeout=30).stdout
        == "1\n"
    )


def test_a_preload_that_fails_is_reported_and_the_server_goes_on(tmp_path):
    with pytest.raises(RuntimeError, match="no_such_module"):
        forked.run(
            [sys.executable, "-c", "pass"],
            cwd=tmp_path,
            env={},
            timeout=30,
            preload=["no_such_module"],
        )
    assert (
        forked.run([sys.executable, "-c", "print(2)"], cwd=tmp_path, env={}, timeout=30).stdout
        == "2\n"
    )


def test_only_python_commands_are_taken(tmp_path):
    with pytest.raises(ValueError, match="not a python"):
        forked.run(["/bin/true"], cwd=tmp_path, env={}, timeout=30)
