"""The library shared by its commands and had alone by a restore: the rule on real lock files
in one process (each lock is its own open file, as in another process), with a clock that
only moves when the command waits."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.owner import LOCK_FILENAME, LibraryLock, Owner, parse_owner
from bookorbit_desktop.library.store.sharing import (
    USE_FILENAME,
    USERS_FOLDER,
    LibraryBusyError,
    LibraryRestoringError,
    LibraryUse,
    busy_refusal,
    check_alone,
    take_alone,
    users,
)
from tests.library.files.file_child import ROOT
from tests.library.store.test_backup_file import small_drive  # noqa: F401

DATA = Path("/home/ann/.local/share/bookorbit-desktop")


@pytest.mark.parametrize(
    ("found", "who", "stop"),
    [
        ([Owner(7, "import")], "`import` (pid 7)", "Let it finish (or stop it)"),
        (
            [Owner(7, "import"), Owner(9, "books edit")],
            "`import` (pid 7) and `books edit` (pid 9)",
            "Let them finish (or stop them)",
        ),
        (
            [Owner(7, "import"), Owner(8, "books"), Owner(9, "books")],
            "`import` (pid 7), `books` (pid 8) and `books` (pid 9)",
            "Let them finish (or stop them)",
        ),
        ([], "another BookOrbit command", "Let it finish"),
    ],
)
def test_a_refused_restore_names_what_uses_the_library(found, who, stop):
    assert busy_refusal(found, DATA) == (
        f"The library in {DATA} is in use by {who}: a restore needs it to itself. {stop}, "
        "then restore again. Nothing was changed."
    )


def fill(drive: Path) -> Path:
    """Fill `drive` (a `small_drive`) to its last byte with one file, returned."""
    filler = drive / "filler"
    with open(filler, "wb", buffering=0) as out, pytest.raises(OSError):
        while True:
            out.write(b"\0" * 4096)
    return filler


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def waiting(self) -> None:
        self.waits += 1


def test_commands_share_the_library_and_a_restore_is_refused_naming_them(tmp_path):
    first, second = LibraryUse(tmp_path, "import"), LibraryUse(tmp_path, "kosync set-user")
    first.acquire()
    second.acquire()
    try:
        assert first.held and second.held
        assert users(tmp_path) == [
            Owner(os.getpid(), "import"),
            Owner(os.getpid(), "kosync set-user"),
        ]
        for refused in (check_alone, take_alone):
            with pytest.raises(LibraryBusyError, match=r"in use by `import` .* and `kosync"):
                refused(tmp_path)
    finally:
        first.release()
        second.release()
    assert list((tmp_path / USERS_FOLDER).iterdir()) == []
    take_alone(tmp_path).close()


def test_a_command_waits_for_a_restore_then_is_refused(tmp_path):
    (tmp_path / LOCK_FILENAME).write_text("4242\nrestore\n")
    clock = Clock()
    use = LibraryUse(
        tmp_path, "import", wait=2, on_wait=clock.waiting, clock=clock, sleep=clock.sleep
    )
    with take_alone(tmp_path), pytest.raises(LibraryRestoringError) as refused:
        use.acquire()
    assert refused.value.message == (
        f"A restore is replacing the library in {tmp_path} (pid 4242). Nothing was done; run "
        "`import` again once it has finished."
    )
    assert clock.waits == 1 and clock.now >= 2
    assert not use.held
    use.acquire()  # the restore has ended
    assert use.held
    use.release()


def test_a_record_left_by_a_killed_command_is_removed_unread(tmp_path):
    folder = tmp_path / USERS_FOLDER
    folder.mkdir()
    (folder / "999999.0badc0de").write_text("999999\nimport\n")  # no process holds it
    assert users(tmp_path) == []
    assert list(folder.iterdir()) == []


def test_asking_before_the_checks_makes_no_file(tmp_path):
    check_alone(tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path / USE_FILENAME).exists()


def test_a_drive_that_takes_no_locks_is_used_as_before(tmp_path, monkeypatch, caplog):
    """A network share without its lock service: commands and restores go on unlocked (as
    before there were these locks) rather than each command being refused as if a restore
    ran; the log says why."""
    import errno
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    use = LibraryUse(tmp_path, "import", wait=0)
    use.acquire()
    assert use.held
    take_alone(tmp_path).close()
    use.release()
    assert "takes no file locks (" in caplog.text


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("4242\nimport\n", Owner(4242, "import")),
        ("4242\nbooks edit\n", Owner(4242, "books edit")),
        ("", Owner(None, "unknown command")),
        ("x\n\n", Owner(None, "unknown command")),
        ("4242\n\x1b]0;owned\x07\x1b[2J\n", Owner(4242, "unknown command")),
        (b"\x89PNG\r\n\xff\xfe\x00".decode("utf-8", "replace"), Owner(None, "unknown command")),
        ("4242\n" + "a" * 300 + "\n", Owner(4242, "unknown command")),
        ("\u0664\u0662\nimport\n", Owner(None, "import")),
    ],
)
def test_only_a_plain_record_is_named(text, owner):
    """What a refusal shows comes from a file anyone's program may have scribbled on: control
    characters (a terminal's escape sequences), bytes of no text, a page of text are no
    command; only plain digits are a pid."""
    assert parse_owner(text) == owner


def test_nothing_but_the_records_in_the_users_folder_is_named_or_removed(tmp_path):
    """A stray file, a folder, a pipe, links (one to the lock this restore holds) beside the
    records: never named, never waited on, never removed; a record's junk command unnamed."""
    folder = tmp_path / USERS_FOLDER
    folder.mkdir()
    (folder / "notes.txt").write_bytes(os.urandom(5000))
    (folder / "12.0badc0de.d").mkdir()
    os.mkfifo(folder / "13.0badc0de")
    owner = LibraryLock(tmp_path, "restore")
    owner.acquire()
    (folder / "14.0badc0de").symlink_to(tmp_path / LOCK_FILENAME)
    (folder / "15.0badc0de").write_bytes(b"15\n\x1b[2Jrm -rf\n")
    stray = open(folder / "notes.txt", "rb")  # noqa: SIM115 - held like a record, closed below
    junk = open(folder / "15.0badc0de", "rb")  # noqa: SIM115 - closed below
    try:
        fcntl.flock(stray, fcntl.LOCK_EX)
        fcntl.flock(junk, fcntl.LOCK_EX)
        use = LibraryUse(tmp_path, "import")
        use.acquire()
        assert users(tmp_path) == [Owner(15, "unknown command"), Owner(os.getpid(), "import")]
        use.release()
    finally:
        stray.close()
        junk.close()
        owner.release()
    assert users(tmp_path) == []
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["12.0badc0de.d", "13.0badc0de", "14.0badc0de", "notes.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_users_folder_that_cannot_be_listed_names_no_one(tmp_path):
    """A restore refused while a command shares the library says so, without naming it, and
    no traceback, when the records cannot be read (in a process without root's override)."""
    drop = ["setpriv", "--inh-caps=-dac_override,-dac_read_search"]
    drop.append("--bounding-set=-dac_override,-dac_read_search")
    if os.geteuid() != 0:
        drop = []
    elif shutil.which("setpriv") is None:
        pytest.skip("setpriv is needed to drop root's override")
    use = LibraryUse(tmp_path, "import")
    use.acquire()
    (tmp_path / USERS_FOLDER).chmod(0)
    try:
        asked = subprocess.run(
            [*drop, sys.executable, "-c", ASK, str(tmp_path)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        (tmp_path / USERS_FOLDER).chmod(0o700)
        use.release()
    assert asked.stderr == ""
    assert asked.stdout == busy_refusal([], tmp_path) + "\n"


ASK = """
import sys
from pathlib import Path
from bookorbit_desktop.library.store.sharing import LibraryBusyError, check_alone
try:
    check_alone(Path(sys.argv[1]))
except LibraryBusyError as refused:
    print(refused.message)
"""


def test_a_full_drive_shares_the_library_without_a_record(small_drive):  # noqa: F811
    """The record cannot be written on a full drive: the command runs, shared all the same
    (a restore is refused, naming no one), and leaves no empty record behind."""
    (small_drive / USERS_FOLDER).mkdir()
    filler = fill(small_drive)
    use = LibraryUse(small_drive, "books")
    use.acquire()
    try:
        assert use.held
        assert list((small_drive / USERS_FOLDER).iterdir()) == []
        with pytest.raises(LibraryBusyError) as refused:
            check_alone(small_drive)
        assert refused.value.message == busy_refusal([], small_drive)
    finally:
        use.release()
        filler.unlink()
