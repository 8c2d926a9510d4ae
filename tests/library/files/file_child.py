"""A library file operation in a process of its own, killed with SIGKILL just before its Nth
file-system step when `KILL_AT=N` is set (the steps: fsync, rename, replace, remove, unlink,
symlink, rmdir, in the order the process makes them). Prints one JSON line when it finishes.

    python -m tests.library.files.file_child DB_FILE DATA_DIR ACTION [BOOK_ID]

ACTION: tidy, tidy-copy (cross-drive moves allowed), tidy-keep, undo, write, restore.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

STEPS = ("fsync", "rename", "replace", "remove", "unlink", "symlink", "rmdir")


def _arm(kill_at: int) -> None:
    count = 0

    def wrap(name: str):
        real = getattr(os, name)

        def step(*args, **kwargs):
            nonlocal count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return step

    for name in STEPS:
        setattr(os, name, wrap(name))


def main(db_file: str, data_dir: str, action: str, book_id: str = "0") -> None:
    from bookorbit_desktop.config import Paths
    from bookorbit_desktop.errors import BookOrbitError
    from bookorbit_desktop.library.editing.file_write import restore_backups, write_into_files
    from bookorbit_desktop.library.files import mover
    from bookorbit_desktop.library.store.db import open_database

    open_database(Path(db_file))
    paths = Paths(data_dir=Path(data_dir), log_dir=Path(data_dir), cache_dir=Path(data_dir))
    if os.environ.get("KILL_AT"):
        _arm(int(os.environ["KILL_AT"]))
    try:
        if action.startswith("tidy"):
            result = mover.tidy(
                mover.preview(), allow_copy=action == "tidy-copy", keep=action == "tidy-keep"
            )
            out = {"done": len(result.done), "failed": [why for _m, why in result.failed]}
        elif action == "undo":
            result = mover.undo_last(allow_copy=True)
            out = {"done": len(result.done), "failed": [why for _m, why in result.failed]}
        elif action == "write":
            out = {"done": len(write_into_files(paths, int(book_id)))}
        else:
            out = {"done": len(restore_backups(paths, int(book_id)))}
    except BookOrbitError as error:
        out = {"error": error.message}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
