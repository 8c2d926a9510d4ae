"""A library file operation in a process of its own, killed with SIGKILL just before its Nth
file-system step when `KILL_AT=N` is set (the steps: fsync, rename, replace, link, remove,
unlink, symlink, rmdir, in the order the process makes them; with `KILL_WRITES=1` each write to
the library database that reaches the disk on its own, a transaction or a statement outside
one, is a step too). With `CLASH=COMMAND` as well, the process is not killed: another program,
the shell COMMAND, runs just before that step instead. Prints one JSON line when it finishes.

    python -m tests.library.files.file_child DB_FILE DATA_DIR ACTION [BOOK_ID]

ACTION: tidy, tidy-copy (cross-drive moves allowed), tidy-keep, undo (Undo Last Tidy), edit-undo
(Edit ▸ Undo), redo (Edit ▸ Redo), write, restore, remove (the book, its files to the trash in
`$TRASH`), repair (what the window does as it starts).

`run_child` forks it from `tests.forked`'s server, with the app already imported, unless it
runs in a mount namespace of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests import forked

ROOT = Path(__file__).resolve().parents[3]

# What `main` imports: the fork server (`tests.forked`) has them loaded before each child.
PRELOAD = (
    "bookorbit_desktop.config",
    "bookorbit_desktop.errors",
    "bookorbit_desktop.library.editing.file_write",
    "bookorbit_desktop.library.editing.removal",
    "bookorbit_desktop.library.files.mover",
    "bookorbit_desktop.library.journal.run",
    "bookorbit_desktop.library.store.db",
)
STEPS = ("fsync", "rename", "replace", "link", "remove", "unlink", "symlink", "rmdir")


def run_child(
    data: Path,
    action: str,
    book_id: int = 0,
    *,
    setup: str = "",
    after: str = "",
    kill_at=None,
    writes: bool = False,
    clash: str = "",
):
    """Run ACTION on the library in `data` in a process of its own; with `setup`, a shell
    command (a mount) first, in a private mount namespace, and `after` (a listing of the
    mounted disk) in it once the child has run, its output after the child's JSON line; with
    `writes`, the database's writes are steps `kill_at` counts too; with `clash`, that shell
    command runs before step `kill_at` instead of the kill. The completed process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("KILL_AT", "KILL_WRITES", "CLASH"):
        env.pop(name, None)
    if clash:
        env["CLASH"] = clash
    if kill_at is not None:
        env["KILL_AT"] = str(kill_at)
    if writes:
        env["KILL_WRITES"] = "1"
    command = [sys.executable, "-m", "tests.library.files.file_child"]
    command += [str(data / "library.sqlite3"), str(data), action, str(book_id)]
    if not setup:
        return forked.run(command, cwd=ROOT, env=env, timeout=120, preload=PRELOAD)
    shell = f'{setup} && "$@"' + (f"; {after}" if after else "")
    command = ["unshare", "-m", "sh", "-c", shell, "sh", *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def namespaces_or_skip() -> None:
    """Skip the test unless private mount namespaces can be made here (root on Linux)."""
    import pytest

    if (
        not sys.platform.startswith("linux")
        or shutil.which("unshare") is None
        or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode
    ):
        pytest.skip("private mount namespaces need root here")


def _arm(kill_at: int, writes: bool) -> None:
    count = 0

    def wrap(real, counts=lambda *args: True):
        def step(*args, **kwargs):
            nonlocal count
            if counts(*args):
                count += 1
                if count == kill_at and os.environ.get("CLASH"):
                    print(f"CLASH before {real.__name__}", file=sys.stderr, flush=True)
                    subprocess.run(["sh", "-c", os.environ["CLASH"]], check=True)
                elif count == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return step

    for name in STEPS:
        setattr(os, name, wrap(getattr(os, name)))
    if writes:
        from bookorbit_desktop.library.store.models import database

        db = database.obj

        def on_its_own(sql, *args) -> bool:
            verb = sql.lstrip().split(None, 1)[0].upper()
            return verb in ("INSERT", "UPDATE", "DELETE", "REPLACE") and not db.in_transaction()

        db.execute_sql = wrap(db.execute_sql, on_its_own)
        db.begin = wrap(db.begin)


def main(db_file: str, data_dir: str, action: str, book_id: str = "0") -> None:
    from bookorbit_desktop.config import Paths
    from bookorbit_desktop.errors import BookOrbitError
    from bookorbit_desktop.library.editing.file_write import restore_backups, write_into_files
    from bookorbit_desktop.library.files import mover
    from bookorbit_desktop.library.store.db import open_database

    open_database(Path(db_file))
    paths = Paths(data_dir=Path(data_dir), log_dir=Path(data_dir), cache_dir=Path(data_dir))
    if os.environ.get("KILL_AT"):
        _arm(int(os.environ["KILL_AT"]), bool(os.environ.get("KILL_WRITES")))
    try:
        if action.startswith("tidy"):
            result = mover.tidy(
                mover.preview(), allow_copy=action == "tidy-copy", keep=action == "tidy-keep"
            )
            out = {"done": len(result.done), "failed": [why for _m, why in result.failed]}
        elif action == "undo":
            result = mover.undo_last(allow_copy=True)
            out = {"done": len(result.done), "failed": [why for _m, why in result.failed]}
        elif action in ("redo", "edit-undo"):
            from bookorbit_desktop.library.journal import run

            done = run.redo(paths) if action == "redo" else run.undo(paths)
            out = {"done": 0 if done is None else done.books}
            out["failed"] = [] if done is None else list(done.skipped)
            out["notes"] = [] if done is None else list(done.notes)
        elif action == "repair":
            from bookorbit_desktop.library.editing.removal import repair_files

            out = {"done": repair_files()}
        elif action == "write":
            out = {"done": len(write_into_files(paths, int(book_id)))}
        elif action == "remove":
            from bookorbit_desktop.library.editing.removal import remove_books

            trash = Path(os.environ["TRASH"])
            removed = remove_books([int(book_id)], paths, trash_files=True, trash=trash)
            out = {"done": len(removed.trashed), "failed": [why for _f, why in removed.not_trashed]}
        else:
            out = {"done": len(restore_backups(paths, int(book_id)))}
    except BookOrbitError as error:
        out = {"error": error.message}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
