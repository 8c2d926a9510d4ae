"""Import statistics from the window: a KOReader `statistics.sqlite3`, or a KOReader folder.

The user chooses either the file itself or a folder: the reader's `koreader` (or Kobo's
`.adds/koreader`) folder mounted over USB, where the file lives in `settings/`, the reader's
whole drive, or any folder that holds the file directly (`statistics_file_in`). The import is
the command line's `stats import`, run off the event loop by the controller.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.statistics.service import ImportSummary
from bookorbit_desktop.ui.asyncqt import run_dialog
from bookorbit_desktop.ui.text import counted

FILE_NAME = "statistics.sqlite3"
# Where the file may be below the chosen folder, most specific first.
PLACES = (
    Path(),
    Path("settings"),
    Path("koreader", "settings"),
    Path(".adds", "koreader", "settings"),
)
FILE = "file"
FOLDER = "folder"
FILE_FILTER = "KOReader statistics (*.sqlite3 *.sqlite *.db);;All files (*)"

# (the page, FILE or FOLDER) -> the chosen path, or None when the user cancelled
ChoosePath = Callable[[QWidget, str], Awaitable[str | None]]


class StatisticsNotFoundError(BookOrbitError):
    title = "No statistics file there"


def statistics_file_in(chosen: Path) -> Path:
    """The statistics file the user means by `chosen`: the file itself, or the first
    `statistics.sqlite3` in one of `PLACES` below a folder."""
    if chosen.is_file():
        return chosen
    if chosen.is_dir():
        for place in PLACES:
            candidate = chosen / place / FILE_NAME
            if candidate.is_file():
                return candidate
        raise StatisticsNotFoundError(
            f"There is no {FILE_NAME} in {chosen}, nor in its settings folder. Choose the "
            "reader's koreader folder (.adds/koreader on a Kobo), or the file itself."
        )
    raise StatisticsNotFoundError(f"{chosen} is not there any more. Choose it again.")


def report_text(source: Path, summary: ImportSummary) -> str:
    """What the import did, for the message shown after it."""
    if summary.changed == 0 and not summary.dropped:
        return (
            f"{source}\n\nNothing new: the reading of its {counted('%n book(s)', summary.books)} "
            "was already imported."
        )
    lines = [
        f"{counted('%n book(s)', summary.books)} in the file, {summary.changed} with new reading.",
        f"{summary.rows_added} new page records.",
    ]
    if summary.dropped:
        lines.append(
            f"{summary.dropped} page records left out because their time is impossible "
            "(before November 2007, in the future, or longer than a day)."
        )
    return f"{source}\n\n" + "\n".join(lines)


async def ask_statistics_path(parent: QWidget, kind: str) -> str | None:
    """A chooser of a statistics file or of a KOReader folder, opened without a nested event
    loop; the chosen path, or None."""
    if kind == FOLDER:
        dialog = QFileDialog(parent, "Import Statistics from a KOReader Folder", str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    else:
        dialog = QFileDialog(parent, "Import a Statistics File", str(Path.home()), FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    try:
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.selectedFiles()
        return chosen[0] if chosen else None
    finally:
        dialog.deleteLater()
