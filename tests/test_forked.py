"""The fork server's children answer as the new interpreters they stand in for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
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
    "killed": ["-c", "import os; print('kept', flush=True); os.kill(os.getpid(), 9)"],
    # What a kill sweep's child printed last is lost or kept as its buffering says.
    "killed with output unwritten": [
        "-c",
        "import os, sys; print('out'); print('err', file=sys.stderr); print('e', end='',"
        " file=sys.stderr); os.kill(os.getpid(), 9)",
    ],
    "arguments, folder and environment": [
        "-c",
        "import os, sys; print(sys.argv, sys.path[0], os.getcwd(), os.environ.get('ASKED'))",
        "one",
        "two words",
    ],
    "stdin is empty": ["-c", "import sys; print(repr(sys.stdin.read()))"],
    "exit handlers": ["-c", "import atexit; atexit.register(print, 'at exit'); print('main')"],
    "main module": ["-c", "import __main__; x = 5; print(__main__.x, __name__)"],
    "main module at exit": [
        "-c",
        "import atexit, sys; x = 7; atexit.register(lambda: print(sys.modules['__main__'].x))",
    ],
    "a module": ["-m", "this"],
    "a module that reads stdin": ["-m", "json.tool"],
    "open files": ["-c", "import os; print(sorted(os.listdir('/proc/self/fd')))"],
}


def _python(tmp_path, code: str, timeout: float = 30, **kwargs) -> subprocess.CompletedProcess:
    return forked.run([sys.executable, "-c", code], cwd=tmp_path, env={}, timeout=timeout, **kwargs)


def _both(
    tmp_path, argv, *, unbuffered=False, preload=()
) -> tuple[subprocess.CompletedProcess, ...]:
    env = {"PATH": os.environ["PATH"], "ASKED": "yes", "PYTHONPATH": str(forked.ROOT)}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    args = [sys.executable, *argv]
    fresh = subprocess.run(
        args, cwd=tmp_path, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    child = forked.run(args, cwd=tmp_path, env=env, timeout=30, preload=preload)
    return fresh, child


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
@pytest.mark.parametrize("name", PROGRAMS)
def test_a_child_answers_as_a_new_interpreter(tmp_path, name, unbuffered):
    fresh, child = _both(tmp_path, PROGRAMS[name], unbuffered=unbuffered)
    assert (child.returncode, child.stdout, child.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )


@pytest.mark.parametrize(
    ("preload", "argv"),
    [
        (["this"], PROGRAMS["streams"]),  # a module that prints as it loads: the server's output
        (["json.tool"], PROGRAMS["a module that reads stdin"]),  # -m runs it afresh
    ],
)
def test_what_the_server_preloaded_changes_no_answer(tmp_path, preload, argv):
    fresh, child = _both(tmp_path, argv, preload=preload)
    assert (child.returncode, child.stdout, child.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )


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


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _sleeper(tmp_path) -> tuple[str, object]:
    marker = tmp_path / "pid"
    code = f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    return code, marker


def test_a_child_past_its_time_is_killed(tmp_path):
    code, marker = _sleeper(tmp_path)
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        _python(tmp_path, code, timeout=1)
    assert time.monotonic() - started < 10
    assert _gone(int(marker.read_text()))  # killed and reaped
    assert _python(tmp_path, "print(1)").stdout == "1\n"  # and the server answers the next


def test_a_call_interrupted_half_way_leaves_the_next_one_its_own_answer(
    tmp_path, ctrl_c_interrupts
):
    code, marker = _sleeper(tmp_path)
    main = threading.main_thread().ident
    assert main is not None
    # A real SIGINT (Ctrl-C, or a test's timeout) cuts the wait for the answer short.
    timer = threading.Timer(1.0, signal.pthread_kill, (main, signal.SIGINT))
    started = time.monotonic()
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            _python(tmp_path, code)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 20  # cut short, not ended by the call's 30 s timeout
    deadline = time.monotonic() + 10
    while not _gone(int(marker.read_text())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(int(marker.read_text()))
    assert _python(tmp_path, "print('A')").stdout == "A\n"
    assert _python(tmp_path, "print('B')").stdout == "B\n"


def test_the_server_and_its_child_end_with_the_test_process(tmp_path):
    code, marker = _sleeper(tmp_path)
    tester = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tests import forked; "
            f"forked.run([sys.executable, '-c', {code!r}], cwd='/', env={{}}, timeout=60)",
        ],
        cwd=forked.ROOT,
        env={**os.environ, "PYTHONPATH": str(forked.ROOT)},
    )
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(marker.read_text())
    tester.kill()
    tester.wait()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child)


def test_a_preload_that_fails_is_reported_and_the_server_goes_on(tmp_path):
    with pytest.raises(RuntimeError, match="no_such_module"):
        _python(tmp_path, "pass", preload=["no_such_module"])
    assert _python(tmp_path, "print(2)").stdout == "2\n"


def test_only_python_commands_are_taken(tmp_path):
    with pytest.raises(ValueError, match="not a python"):
        forked.run(["/bin/true"], cwd=tmp_path, env={}, timeout=30)
