"""`run` stands in for `subprocess.run([sys.executable, "-m" or "-c", ...], capture_output=True,
text=True)` in the kill sweeps, which start one short program for each step they kill it at.

A new interpreter spends most of such a child's time starting and importing the app (a quarter
of a second here, dozens of times a test). `run` asks a server instead: one process per test
process, started once, that imports what its children need (`preload`) and forks each child
from itself. The child is then what the new interpreter would have been: its own process, with
the arguments, environment, working folder and standard streams asked for (stdin is
/dev/null), running the module or code as `__main__`, leaving as an interpreter leaves
(exit handlers, finalization), with its exit status as `subprocess.run` reports it (-9 when
killed). The server runs no thread, opens no library and holds nothing but its own pipes, so a
child inherits nothing a fresh interpreter would not have.

Unlike `subprocess.run`, the answer does not wait for processes the child started and left
running: use it for programs that start none. What an interpreter settles once as it starts
(its locale, its hash seed, its flags) is the server's.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_server: subprocess.Popen[bytes] | None = None
_lock = threading.Lock()
_pending = b""  # what the server sent after the last line read


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
    }
    with _lock:
        server = _started()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(json.dumps(request).encode() + b"\n")
        server.stdin.flush()
        pid = int(_line(server, None)["pid"])
        try:
            answer = _line(server, timeout)
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            answer = _line(server, None)
            raise subprocess.TimeoutExpired(
                args, timeout, answer["stdout"], answer["stderr"]
            ) from None
    if "error" in answer:
        raise RuntimeError(f"the fork server could not run {args!r}: {answer['error']}")
    return subprocess.CompletedProcess(args, answer["status"], answer["stdout"], answer["stderr"])


def _started() -> subprocess.Popen[bytes]:
    global _server, _pending
    if _server is None or _server.poll() is not None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        _pending = b""
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
    if server.stdin is not None:
        server.stdin.close()  # the server leaves at the end of its requests
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def _line(server: subprocess.Popen[bytes], timeout: float | None) -> dict[str, Any]:
    """The server's next answer line, read from its pipe unbuffered (a line read ahead would
    hide from `select` that the next one had arrived)."""
    global _pending
    assert server.stdout is not None
    fd = server.stdout.fileno()
    deadline = None if timeout is None else time.monotonic() + timeout
    while b"\n" not in _pending:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise RuntimeError(f"the fork server ended (status {server.wait()})")
        _pending += chunk
    line, _, _pending = _pending.partition(b"\n")
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
        except BaseException as error:
            answers.write(json.dumps({"pid": 0}).encode() + b"\n")
            answers.write(json.dumps({"error": repr(error)}).encode() + b"\n")
            continue
        if threading.active_count() != 1:
            raise RuntimeError("a preloaded module started a thread: the children cannot fork")
        folder = Path(tempfile.mkdtemp(prefix="forked-"))
        out, err = folder / "out", folder / "err"
        pid = os.fork()
        if pid == 0:
            requests.close()
            answers.close()
            _streams(out, err)
            return request
        answers.write(json.dumps({"pid": pid}).encode() + b"\n")
        _pid, status = os.waitpid(pid, 0)
        answer = {
            "status": os.waitstatus_to_exitcode(status),
            "stdout": out.read_text(errors="replace"),
            "stderr": err.read_text(errors="replace"),
        }
        shutil.rmtree(folder)
        answers.write(json.dumps(answer).encode() + b"\n")
    return None


def _streams(out: Path, err: Path) -> None:
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for fd, path in ((1, out), (2, err)):
        file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(file, fd)
        os.close(file)


def _become(request: dict[str, Any]) -> None:
    """Run the request's module or code as `__main__`, as `python -m` or `python -c` would."""
    import runpy

    os.chdir(str(request["cwd"]))
    os.environ.clear()
    os.environ.update(request["env"])
    tempfile.tempdir = None  # found again from this environment (TMPDIR), as at a start
    argv = list(request["argv"])
    sys.path[0] = str(request["cwd"])  # what -m and -c put first: the working folder
    if request["how"] == "-m":
        sys.argv = [str(request["what"]), *argv]
        runpy.run_module(str(request["what"]), run_name="__main__", alter_sys=True)
    else:
        sys.argv = ["-c", *argv]
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        exec(compile(str(request["what"]), "<string>", "exec"), main.__dict__)


if __name__ == "__main__":
    _child = _serve()
    if _child is not None:
        _become(_child)
