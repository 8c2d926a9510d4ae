"""The application and tray icons, loaded from `resources/icons` in every size we ship."""

from __future__ import annotations

import logging
from enum import Enum
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from bookorbit_desktop.config import resources_dir

log = logging.getLogger(__name__)

APP_ID = "org.bookorbit.BookOrbitDesktop"
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (16, 22, 24, 32, 48, 64)


class TrayState(Enum):
    """What the tray icon tells at a glance."""

    IDLE = "idle"  # server running, sync idle
    SYNCING = "syncing"
    PAUSED = "paused"  # Hardcover sync paused by the user
    ERROR = "error"  # something needs attention (server could not start, sync failed)
    OFFLINE = "offline"  # server stopped


def _icon_from(files: list[Path]) -> QIcon:
    icon = QIcon()
    for file in files:
        if file.is_file():
            icon.addFile(str(file))
    if icon.isNull():
        log.warning("Icon files are missing (looked for %s); using a stock icon", files[0])
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon)
    return icon


@cache
def app_icon() -> QIcon:
    hicolor = resources_dir() / "icons" / "hicolor"
    return _icon_from([hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in APP_SIZES])


@cache
def tray_icon(state: TrayState) -> QIcon:
    folder = resources_dir() / "icons" / "tray" / "png"
    return _icon_from([folder / f"tray-{state.value}-{n}.png" for n in TRAY_SIZES])
