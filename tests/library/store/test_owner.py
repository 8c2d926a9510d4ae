"""The message that refuses a second owner of a library: who owns it and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookorbit_desktop.library.store.owner import LibraryInUseError, LibraryLock, Owner, refusal
from tests.library.store.test_backup_file import small_drive  # noqa: F401
from tests.library.store.test_sharing import fill

DATA = Path("/home/ann/.local/share/bookorbit-desktop")


@pytest.mark.parametrize(
    ("owner", "command", "stop", "again"),
    [
        ("window", "serve", "Quit it (tray menu > Quit)", "then run `serve` again."),
        ("window", "restore", "Quit it (tray menu > Quit)", "then run `restore` again."),
        ("serve", "restore", "Stop it (Ctrl-C in its terminal", "then run `restore` again."),
        ("serve", "window", "Stop it (Ctrl-C in its terminal", "then start BookOrbit again."),
        ("restore", "window", "Let it finish", "then start BookOrbit again."),
    ],
)
def test_the_refusal_names_the_owner_and_how_to_go_on(owner, command, stop, again):
    text = refusal(Owner(4242, owner), command, DATA)
    assert text.startswith(f"The library in {DATA} is in use by `{owner}` (pid 4242): ")
    assert f" {stop}" in text
    assert text.endswith(again)
    assert "`window`" not in text.removeprefix(f"The library in {DATA} is in use by `window`")


def test_a_full_drive_takes_the_lock_without_naming_its_owner(small_drive):  # noqa: F811
    """`serve`, the window or a restore on a full drive: the lock is taken (a restore then says
    the drive is full; the server runs), and a second owner is refused without a name."""
    filler = fill(small_drive)
    first = LibraryLock(small_drive, "serve")
    first.acquire()
    try:
        assert first.held
        with pytest.raises(LibraryInUseError) as refused:
            LibraryLock(small_drive, "restore").acquire()
        assert refused.value.owner == Owner(None, "unknown command")
    finally:
        first.release()
        filler.unlink()
