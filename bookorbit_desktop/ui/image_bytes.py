"""Image bytes from outside shown in the window: Qt decodes only what
`library.metadata.images.image_format` accepts (JPEG, PNG, GIF, WebP), and is told which of
them it is, so none of Qt's other image plugins (SVG, TGA, ICO, PDF, ...) ever sees the bytes."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPixmap

from bookorbit_desktop.library.metadata.images import image_format


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
