"""Tidy file names as the window uses them: the folder and pattern settings, the preview, the
move and the undo (`library.files`), each run off the window's thread with `later`."""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.removal import finish_trashing
from bookorbit_desktop.library.files.mover import (
    BatchResult,
    CrossDeviceError,
    NothingToUndoError,
    Planned,
    preview,
    recover,
    tidy,
    undo_last,
    undo_preview,
)
from bookorbit_desktop.library.files.plan import DEFAULT_PATTERN, PLACEHOLDERS, PatternError
from bookorbit_desktop.library.files.plan import check_pattern as _check_pattern
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.library.store.settings import get_setting, set_setting

__all__ = [
    "DEFAULT_PATTERN",
    "PLACEHOLDERS",
    "BatchResult",
    "CrossDeviceError",
    "NothingToUndoError",
    "Planned",
    "check_pattern",
    "later",
    "load_choice",
    "preview",
    "repair",
    "save_choice",
    "tidy",
    "undo_last",
    "undo_preview",
]

later = off_loop  # `await later(fn, ...)`: fn in a worker thread on a connection of its own


def check_pattern(pattern: str) -> str:
    """`pattern`, or InvalidValueError saying what is wrong with it."""
    try:
        return _check_pattern(pattern)
    except PatternError as error:
        raise InvalidValueError(str(error), title="File-name pattern") from None


def load_choice() -> tuple[str, str]:
    """(library folder or "", pattern) as saved."""
    return str(get_setting("library.tidy_folder") or ""), str(get_setting("library.tidy_pattern"))


def save_choice(folder: str, pattern: str) -> None:
    """Save the folder (which must exist) and the pattern; InvalidValueError otherwise."""
    path = Path(folder).expanduser()
    if not folder.strip() or not path.is_dir():
        raise InvalidValueError(
            "Choose an existing folder for the library's files.", title="Library folder"
        )
    set_setting("library.tidy_pattern", check_pattern(pattern))
    set_setting("library.tidy_folder", str(path.resolve()))


async def repair() -> int:
    """Finish or roll back the file work a stopped process left (tidy moves, copies, metadata
    writes, files a removal had yet to move to the trash), before anything else touches the
    files: the window calls it as it starts. How many files it finished."""
    return await later(_repair)


def _repair() -> int:
    return recover() + finish_trashing()
