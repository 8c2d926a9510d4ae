"""Tidy file names as the window uses them: the folder and pattern settings, the preview, the
move and the undo (`library.files`), each run off the window's thread with `later`."""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.removal import repair_files
from bookorbit_desktop.library.files.mover import (
    BatchResult,
    CrossDeviceError,
    NothingToUndoError,
    Planned,
    has_tidy_to_undo,
    preview,
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
    "MissingFolderError",
    "NothingToUndoError",
    "Planned",
    "check_pattern",
    "has_tidy_to_undo",
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


class MissingFolderError(InvalidValueError):
    """The chosen library folder does not exist yet (it can be created: `create=True`)."""


def save_choice(folder: str, pattern: str, *, create: bool = False) -> None:
    """Save the folder and the pattern; InvalidValueError when either cannot be used. A folder
    that does not exist yet is MissingFolderError, or made (with its parents) with `create`."""
    path = Path(folder).expanduser()
    if not folder.strip() or (path.exists() and not path.is_dir()):
        raise InvalidValueError("Choose a folder for the library's files.", title="Library folder")
    check_pattern(pattern)
    if not path.exists():
        if not path.is_absolute():
            raise InvalidValueError(
                f"{folder} does not exist. Give the full path of the library's folder.",
                title="Library folder",
            )
        if not create:
            raise MissingFolderError(
                f"{path} does not exist yet. Create it?", title="Create Library Folder"
            )
        try:
            path.mkdir(parents=True)
        except OSError as error:
            raise InvalidValueError(
                f"{path} could not be created ({error.strerror or error}). Choose another "
                "folder for the library's files.",
                title="Library folder",
            ) from error
    set_setting("library.tidy_pattern", check_pattern(pattern))
    set_setting("library.tidy_folder", str(path.resolve()))


async def repair() -> int:
    """The window's start: `removal.repair_files` off its thread; how many files it finished."""
    return await later(repair_files)
