"""The library shared by its commands and had alone by a restore: the rule on real lock files
in one process (each lock is its own open file, as in another process), with a clock that
only moves when the command waits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bookorbit_desktop.library.store.owner import LOCK_FILENAME, Owner
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
        ([], "another BookOrbit command", "Let it finish"),
    ],
)
def test_a_refused_restore_names_what_uses_the_library(found, who, stop):
    assert busy_refusal(found, DATA) == (
        f"The library in {DATA} is in use by {who}: a restore needs it to itself. {stop}, "
        "then restore again. Nothing was changed."
    )


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
