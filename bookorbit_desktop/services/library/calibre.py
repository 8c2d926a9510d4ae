"""Bringing a calibre library in from the window (`library.importer.calibre`): its columns to
choose the reading status from, and the import itself off the window's thread."""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.importer.calibre.apply import CalibreSummary, import_calibre
from bookorbit_desktop.library.importer.calibre.reader import read_columns
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.library.service import IMPORT_LOCK

__all__ = ["CalibreSummary", "calibre_columns", "import_calibre_off_loop", "summary_text"]


def calibre_columns(folder: str) -> list[str]:
    """The calibre library's own columns ("#read"), or none when `folder` holds none."""
    try:
        return [f"#{column.label}" for column in read_columns(Path(folder))]
    except InvalidValueError:
        return []


def _run(paths: Paths, folder: str, status_column: str | None) -> CalibreSummary:
    with IMPORT_LOCK:
        return import_calibre(folder, paths, status_column=status_column)


async def import_calibre_off_loop(
    paths: Paths, folder: str, status_column: str | None
) -> CalibreSummary:
    """`import_calibre` in a worker thread on its own connection."""
    return await off_loop(_run, paths, folder, status_column)


def summary_text(summary: CalibreSummary) -> str:
    files = summary.files
    lines = [
        f"{summary.books} books in the calibre library; {files.imported} new here, "
        f"{summary.brought} given calibre's fields"
        + (" (Edit ▸ Undo takes them back in one step)." if summary.brought else ".")
    ]
    if summary.missing:
        lines.append(f"{len(summary.missing)} files calibre lists could not be found:")
        lines.extend(f"  {path}" for path in summary.missing)
    if files.failures:
        lines.append(f"{len(files.failures)} files could not be imported:")
        lines.extend(f"  {failure.path}: {failure.reason}" for failure in files.failures)
    return "\n".join(lines)
