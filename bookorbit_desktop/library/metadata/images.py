"""The one door for image bytes from outside (a book's cover item, a download, a file the user
chose, a stored cover): only JPEG, PNG, GIF and WebP are decoded.

Pillow picks a decoder by the bytes' header, and some of its decoders hand the bytes to other
programs (EPS runs Ghostscript) or parse formats no cover needs (PSD, TGA, ICO, PDF, ...).
`open_image` names the accepted formats to Pillow, so nothing else is ever tried, and keeps
Pillow's decompression-bomb warning an error. `image_format` says which accepted format some
bytes are, from their header alone, for a decoder that is not Pillow (Qt in the window): it is
handed that format and only bytes this check let through.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from PIL import Image

COVER_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


@contextlib.contextmanager
def open_image(source: bytes | Path | BinaryIO) -> Iterator[Image.Image]:
    """The image in `source`, opened (header read, pixels not yet) by a decoder of
    COVER_FORMATS only. Anything else raises: PIL.UnidentifiedImageError for another format,
    PIL.Image.DecompressionBombWarning/Error for too many pixels, and whatever a decoder raises
    on damaged bytes. Loading (`image.load()`) must happen inside the `with`, where the bomb
    warning stays an error."""
    from PIL import Image  # Pillow loads with the first image, not with the window

    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(opened, formats=COVER_FORMATS) as image:
            yield image


def image_format(data: bytes) -> str | None:
    """Which of COVER_FORMATS `data` is ("JPEG", "PNG", "GIF" or "WEBP"), from its header;
    None for anything else, or for bytes no accepted decoder can read."""
    try:
        with open_image(data) as image:
            found = image.format
    except Exception:  # hostile bytes raise many kinds of error: every one means "not a cover"
        return None
    return found if found in COVER_FORMATS else None
