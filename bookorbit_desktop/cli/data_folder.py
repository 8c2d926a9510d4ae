"""The data folder a command runs in, and what the window does when it cannot be used.

The command line says why in one line and exits with 2. The window (started from a menu, with
no terminal to read) also shows why, and where another folder can be chosen, offers that
choice; an empty `--data-dir ""` is a mistake to correct, not a folder to replace.
"""

from __future__ import annotations

import os

from bookorbit_desktop.config import Paths, resolve_paths
from bookorbit_desktop.errors import BookOrbitError


def usable_paths(data_dir: str | os.PathLike[str] | None) -> Paths:
    """The paths for `data_dir` (as `resolve_paths`), their folders made; BookOrbitError when
    they cannot be used."""
    paths = resolve_paths(data_dir)
    paths.ensure()
    return paths


def data_folder_from_window(error: BookOrbitError, *, choice: bool) -> Paths | None:
    """Show `error` in a window; with `choice`, the paths of another folder the user chose
    there (None: they quit). None, too, where no window can open (no screen, Qt unusable)."""
    from bookorbit_desktop.system_libraries import MissingLibrariesError, check_libraries
    from bookorbit_desktop.ui.startup_error import can_show, show_startup_error

    if not can_show():
        return None
    try:
        check_libraries()  # before Qt loads: a missing one would abort it without a word
    except MissingLibrariesError:
        return None  # the terminal has the reason; Qt cannot show it
    if not choice:
        show_startup_error(error.title, error.message)
        return None
    from bookorbit_desktop.ui.data_folder_dialog import ask_for_data_folder

    return ask_for_data_folder(error.message, usable_paths)
