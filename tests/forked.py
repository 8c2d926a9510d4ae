"""`run` stands in for `subprocess.run([sys.executable, "-m" or "-c", ...], capture_output=True,
text=True)` in the kill sweeps, which start one short program for each step they kill it at.

A new interpreter spends most of such a child's time starting and importing the app (a quarter
of a second here, dozens of times a test). `run` asks a server instead: one process per test
process, started once, that imports what its children need (`preload`) and forks each child
from itself. The child is then what the new interpreter would have been: its own process, with
the arguments, environment, working folder and standard streams asked for (stdin is
/dev/null; stdout and stderr buffered as that environment makes them), running the module or
code as `__main__` (a module run with -m is run afresh, though preloaded), leaving as an
interpreter leaves (exit handlers, finalization), with its exit status as `subprocess.run`
reports it (-9 when killed). The server runs no thread, opens no library and holds nothing but
its own pipes, so a child inherits nothing a fresh interpreter would not have. The server
kills a child past its time, and leaves, killing its child, when its test process ends.

Unlike `subprocess.run`, the answer does not wait for processes the child started and left
running: use it for programs that start none. What an interpreter settles once as it starts
(its locale, its hash seed, its flags, `sys.path` from PYTHONPATH) is the server's.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_server: subprocess.Popen[bytes] | None = None
_lock = threading.Lock()
_pending = bytearray()  # what the server sent after the last line read


def run(
    args: list[str],
    *,
    cwd: Path | str,
    env: Mapping[str, str],
    timeout: float,
    preload: Iterable[str] = (),
) -> subprocess.CompletedProcess[str]:
    """`args` (`[sys.executable, "-m", module, ...]` or `[sys.executable, "-c", code, ...]`)
    run as `subprocess.run(args, cwd=cwd, env=env, timeout=timeout, capture_output=True,
    text=True)` would, in a child forked from a server that imported `preload` first."""
    if len(args) < 3 or args[0] != sys.executable or args[1] not in ("-m", "-c"):
        raise ValueError(f"not a python -m or -c command: {args!r}")
    request = {
        "how": args[1],
        "what": args[2],
        "argv": [str(arg) for arg in args[3:]],
        "cwd": str(cwd),
        "env": dict(env),
        "preload": list(preload),
        "timeout": timeout,
    }
    with _lock:
        server = _started()
        try:
            assert server.stdin is not None
            server.stdin.write(json.dumps(request).encode() + b"\n")
            server.stdin.flush()
            answer = _line(server)
        except BaseException:
            # Interrupted half way (a test's timeout, Ctrl-C): the server's next answer would
            # be this request's. It goes, with its child; the next call starts another.
            _stop(server)
            raise
    if "error" in answer:
        raise RuntimeError(f"the fork server could not run {args!r}: {answer['error']}")
    if answer["timed_out"]:
        raise subprocess.TimeoutExpired(args, timeout, answer["stdout"], answer["stderr"])
    return subprocess.CompletedProcess(args, answer["status"], answer["stdout"], answer["stderr"])


def _started() -> subprocess.Popen[bytes]:
    global _server
    if _server is None or _server.poll() is not None:
        _pending.clear()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        _server = subprocess.Popen(
            [sys.executable, "-m", "tests.forked"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        atexit.register(_stop, _server)
    return _server


def _stop(server: subprocess.Popen[bytes]) -> None:
    """The server sees its requests end: it kills the child it is waiting for, if any, and
    leaves (killed itself, it could not kill its child)."""
    if server.stdin is not None:
        with contextlib.suppress(OSError):  # the rest of a request cut short cannot go
            server.stdin.close()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    _pending.clear()


def _line(server: subprocess.Popen[bytes]) -> dict[str, Any]:
    """The server's next answer line, read from its pipe unbuffered (a line read ahead would
    hide from `select` that the next one had arrived)."""
    assert server.stdout is not None
    fd = server.stdout.fileno()
    searched = 0
    while (end := _pending.find(b"\n", searched)) < 0:
        searched = len(_pending)
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise RuntimeError(f"the fork server ended (status {server.wait()})")
        _pending.extend(chunk)
    line = bytes(_pending[:end])
    del _pending[: end + 1]
    return json.loads(line)


# The server's side -------------------------------------------------------------------------


def _serve() -> dict[str, Any] | None:
    """Answer requests until stdin ends (returns None); in a forked child, return its request."""
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)  # nothing the server prints can reach the answers
    os.close(null)
    for raw in iter(requests.readline, b""):
        request = json.loads(raw)
        try:
            for name in request["preload"]:
                __import__(name)
        except BaseException as error:  # reported to the test, which raises it
            answers.write(json.dumps({"error": repr(error)}).encode() + b"\n")
            continue
        if threading.active_count() != 1:
            raise RuntimeError("a preloaded module started a thread: the children cannot fork")
        sys.stdout.flush()  # what a preloaded module printed stays the server's
        sys.stderr.flush()
        folder = Path(tempfile.mkdtemp(prefix="forked-"))
        out, err = folder / "out", folder / "err"
        pid = os.fork()
        if pid == 0:
            requests.close()
            answers.close()
            _streams(out, err, request["env"])
            return request
        status, timed_out = _wait(pid, requests.fileno(), float(request["timeout"]))
        answer = {
            "status": status,
            "timed_out": timed_out,
            "stdout": out.read_text(errors="replace"),
            "stderr": err.read_text(errors="replace"),
        }
        shutil.rmtree(folder)
        if status is None:
            return None  # the test process went away: so does the server
        answers.write(json.dumps(answer).encode() + b"\n")
    return None


def _wait(pid: int, requests: int, timeout: float) -> tuple[int | None, bool]:
    """The child's exit status as subprocess reports it, and whether it was killed for taking
    longer than `timeout`; None when the test process went away meanwhile (the child is
    killed then too)."""
    child = os.pidfd_open(pid)
    try:
        ready = select.select([child, requests], [], [], timeout)[0]
    finally:
        os.close(child)
    went_away = requests in ready and child not in ready
    if not ready or went_away:
        os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still the child's
    _pid, status = os.waitpid(pid, 0)
    return (None if went_away else os.waitstatus_to_exitcode(status)), not ready


def _streams(out: Path, err: Path, env: Mapping[str, str]) -> None:
    """Standard streams as a new interpreter with `env` has them: stdin /dev/null, stdout and
    stderr the capture files, block- and line-buffered (unbuffered with PYTHONUNBUFFERED)."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, out), (2, err)):
        file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(file, fd)
        os.close(file)
    unbuffered = bool(env.get("PYTHONUNBUFFERED"))
    encoding = sys.stdout.encoding

    def writer(fd: int, errors: str, line_buffering: bool) -> io.TextIOWrapper:
        raw = io.FileIO(fd, "w", closefd=False)
        binary = raw if unbuffered else io.BufferedWriter(raw)
        return io.TextIOWrapper(
            binary,
            encoding=encoding,
            errors=errors,
            line_buffering=line_buffering,
            write_through=unbuffered,
        )

    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout = writer(1, "strict", line_buffering=False)
    sys.stderr = writer(2, "backslashreplace", line_buffering=True)


def _become(request: dict[str, Any]) -> None:
    """Run the request's module or code as `__main__`, as `python -m` or `python -c` would."""
    import runpy

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # found again from this environment (TMPDIR), as at a start
    argv = list(request["argv"])
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main  # the program's, as long as it runs and exits
    if request["how"] == "-m":
        sys.path[0] = request["cwd"]
        sys.modules.pop(request["what"], None)  # run afresh, as -m does, though preloaded
        sys.argv = [request["what"], *argv]
        runpy._run_module_as_main(request["what"])  # type: ignore[attr-defined]
    else:
        sys.path[0] = ""
        sys.argv = ["-c", *argv]
        exec(compile(request["what"], "<string>", "exec"), main.__dict__)


if __name__ == "__main__":
    _child = _serve()
    if _child is not None:
        _become(_child)
