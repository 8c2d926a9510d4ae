"""An import in a process of its own, in batches of three files, killed with SIGKILL inside
one of its batches when `KILL_AT` is set: `file:N` just after the Nth file written (its batch
still open), `refresh:N` just before the Nth statement of a batch's index refresh, `commit:N`
just after the Nth batch committed (in the write-ahead log, not yet copied into the library
file). Prints one JSON line when it finishes.

    python -m tests.library.importer.import_child DATA_DIR FOLDER
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BATCH_FILES = 3


def run_child(data: Path, folder: Path, *, kill_at: str | None = None):
    """Import `folder` into the library in `data` in a process of its own; the completed
    process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KILL_AT", None)
    if kill_at is not None:
        env["KILL_AT"] = kill_at
    command = [sys.executable, "-m", "tests.library.importer.import_child", str(data), str(folder)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(kill_at: str) -> None:
    from bookorbit_desktop.library.importer.batch import Batches
    from bookorbit_desktop.library.store import index_batch

    where, count = kill_at.split(":")
    left = int(count)
    if where == "file":
        file_done = Batches.file_done

        def counted(self: Batches) -> None:
            nonlocal left
            left -= 1
            if left == 0:
                _kill()
            file_done(self)

        Batches.file_done = counted  # type: ignore[method-assign]
        return
    if where == "commit":
        commit = Batches.commit

        def committed(self: Batches) -> None:
            nonlocal left
            was_open = self.open
            commit(self)
            left -= was_open
            if left == 0:
                _kill()

        Batches.commit = committed  # type: ignore[method-assign]
        return
    statements = index_batch._REFRESH

    class Killing:
        def __iter__(self):
            nonlocal left
            for statement in statements:
                left -= 1
                if left == 0:
                    _kill()
                yield statement

    index_batch._REFRESH = Killing()  # type: ignore[assignment]


def main(data_dir: str, folder: str) -> None:
    from bookorbit_desktop.config import resolve_paths
    from bookorbit_desktop.library.importer import batch, run
    from bookorbit_desktop.library.store.db import open_database

    paths = resolve_paths(data_dir)
    open_database(paths.db_file)
    run.Batches = partial(batch.Batches, files=BATCH_FILES)  # type: ignore[misc]
    if os.environ.get("KILL_AT"):
        _arm(os.environ["KILL_AT"])
    summary = run.import_paths([Path(folder)], paths, workers=0)
    print(json.dumps({"imported": summary.imported}), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
