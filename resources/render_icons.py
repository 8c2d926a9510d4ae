"""Render the hand-written SVG icons to PNGs in the sizes desktops look for.

Run it after editing an SVG: `.venv/bin/python resources/render_icons.py`. The app icon goes to
`icons/hicolor/<N>x<N>/apps/` (the freedesktop icon theme layout, ready to copy into
`/usr/share/icons/hicolor`), the tray icons to `icons/tray/png/`. Rendering uses Qt's own SVG
renderer, so the PNGs look exactly like what Qt draws from the SVG at run time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent / "icons"
APP_ID = "org.bookorbit.BookOrbitDesktop"
# Sizes registered in the hicolor theme's index.theme that desktops actually request.
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
TRAY_SIZES = (16, 22, 24, 32, 48, 64)
TRAY_STATES = ("idle", "syncing", "paused", "error", "offline")


def render(svg: Path, size: int, target: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs a GUI application
    app_svg = ICONS / f"{APP_ID}.svg"
    for size in APP_SIZES:
        render(app_svg, size, ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    for state in TRAY_STATES:
        for size in TRAY_SIZES:
            render(
                ICONS / "tray" / f"tray-{state}.svg",
                size,
                ICONS / "tray" / "png" / f"tray-{state}-{size}.png",
            )
    print(f"rendered {len(APP_SIZES)} app icon sizes and {len(TRAY_STATES)} tray states")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
