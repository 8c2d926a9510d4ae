"""What the window needs from the system, checked before Qt loads: a screen, and libraries.

Qt's X11 platform plugin aborts the process when one of its libraries is missing (a fresh
Debian 12 lacks `libxkbcommon-x11-0`), and without the basic graphics libraries importing Qt
fails with a bare ImportError. Started from the desktop menu, either way nothing is seen. So
before anything loads Qt, each library is opened by its file name; the missing ones are
named with the Debian/Ubuntu command that installs them. Checking loads nothing of Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

from bookorbit_desktop.errors import BookOrbitError

# What Qt itself needs to load (widgets, fonts, OpenGL, D-Bus), library file -> Debian package.
QT_LIBRARIES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
}
# What its X11 platform plugin (xcb) needs on top.
XCB_LIBRARIES = {
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
}


class MissingLibrariesError(BookOrbitError):
    title = "System libraries missing"

    def __init__(self, packages: list[str], files: list[str]) -> None:
        super().__init__(
            f"BookOrbit Desktop cannot open its window: {', '.join(files)} "
            f"{'is' if len(files) == 1 else 'are'} not installed. On Debian or Ubuntu install "
            f"{'it' if len(files) == 1 else 'them'} with: sudo apt install {' '.join(packages)} "
            "(the sync server alone needs none of them: bookorbit-desktop serve)"
        )
        self.packages = packages


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will pick its X11 plugin here (no Wayland session, or asked for xcb)."""
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.startswith("xcb")
    return not environ.get("WAYLAND_DISPLAY") and bool(environ.get("DISPLAY"))


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_libraries(
    environ: Mapping[str, str] = os.environ, loads: Callable[[str], bool] = _loads
) -> dict[str, str]:
    """The libraries (file -> package) the window would need here and cannot load."""
    if not sys.platform.startswith("linux"):
        return {}
    wanted = dict(QT_LIBRARIES)
    if uses_xcb(environ):
        wanted.update(XCB_LIBRARIES)
    return {name: package for name, package in wanted.items() if not loads(name)}


def check_libraries(environ: Mapping[str, str] = os.environ) -> None:
    """Raise MissingLibrariesError naming every missing library (checked before Qt loads)."""
    missing = missing_libraries(environ)
    if missing:
        raise MissingLibrariesError(sorted(set(missing.values())), sorted(missing))


class NoDisplayError(BookOrbitError):
    title = "No display"


def check_display(environ: Mapping[str, str] = os.environ) -> None:
    """Fail with a clear message, not a Qt abort, when there is no screen to open."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return
    raise NoDisplayError(
        "No graphical desktop was found (neither DISPLAY nor WAYLAND_DISPLAY is set). Start "
        "BookOrbit from your desktop session, or run the sync server without a window: "
        "bookorbit-desktop serve"
    )
