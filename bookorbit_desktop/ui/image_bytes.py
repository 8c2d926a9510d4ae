"""Image bytes from outside shown in the window: Qt decodes only what
`library.metadata.images.image_format` accepts (JPEG, PNG, GIF, WebP), and is told which of
them it is, so none of Qt's other image plugins (SVG, TGA, ICO, PDF, ...) ever sees the bytes.
Stored cover files are read the same way (`image_file`): they are JPEGs BookOrbit wrote, and a
file put in their place is no exception."""

from __future__ import annotations

import os

from PySide6.QtGui import QImage, QPixmap

from bookorbit_desktop.services.library.images import MAX_COVER_BYTES, image_format


def image_from(data: bytes) -> QImage:
    """The image in `data`; a null QImage when it is no accepted format or cannot be read."""
    image, found = QImage(), image_format(data)
    if found is not None:
        image.loadFromData(data, found)  # named: Qt guesses nothing from the bytes
    return image


def pixmap_from(data: bytes) -> QPixmap:
    """`image_from` as a pixmap (null when there is no image)."""
    image = image_from(data)
    return QPixmap.fromImage(image) if not image.isNull() else QPixmap()


def image_file(path: str | os.PathLike[str]) -> QImage:
    """`image_from` of a file's bytes (a stored cover); a null QImage when it cannot be read."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_COVER_BYTES + 1)
    except OSError:
        return QImage()
    return image_from(data) if len(data) <= MAX_COVER_BYTES else QImage()


def pixmap_file(path: str | os.PathLike[str]) -> QPixmap:
    """`image_file` as a pixmap (null when there is no image)."""
    image = image_file(path)
    return QPixmap.fromImage(image) if not image.isNull() else QPixmap()
