"""Book covers: resized once at import and stored as JPEG files in the data folder.

`Book.cover_path` holds the path relative to the data folder ("covers/12.jpg") so a library
moved with `--data-dir` keeps its covers. Cover images already small enough are kept byte for
byte; larger ones are decoded at reduced scale (JPEG draft mode) and shrunk, which keeps an
import of thousands of books fast.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image

from bookorbit_desktop.config import Paths

log = logging.getLogger(__name__)

COVER_MAX = (600, 900)  # fits a phone screen and an OPDS client; thumbnails are made later
JPEG_QUALITY = 85
# Covers beyond this many pixels are decompression bombs or scans nobody needs at full size.
MAX_PIXELS = 60_000_000


def prepare_cover(data: bytes) -> bytes | None:
    """JPEG bytes of the cover no larger than COVER_MAX, or None if `data` is not an image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    return None
                fits = width <= COVER_MAX[0] and height <= COVER_MAX[1]
                if fits and image.format == "JPEG" and image.mode in ("RGB", "L"):
                    return data
                image.draft("RGB", COVER_MAX)  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
                image.load()
                picture = _flatten(image)
                picture.thumbnail(COVER_MAX, Image.Resampling.BICUBIC, reducing_gap=2.0)
                output = io.BytesIO()
                picture.save(output, "JPEG", quality=JPEG_QUALITY)
                return output.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        log.info("Cover image not usable: %s", error)
        return None


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB image; transparency is laid on white (a cover has no background of its own)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def cover_relative_path(book_id: int) -> str:
    return f"covers/{book_id}.jpg"


def cover_file(paths: Paths, cover_path: str) -> Path:
    """The absolute file of a stored `Book.cover_path`."""
    return paths.data_dir / cover_path


def store_cover(paths: Paths, book_id: int, data: bytes) -> str | None:
    """Resize and save a book's cover; return the `Book.cover_path` value, or None."""
    prepared = prepare_cover(data)
    if prepared is None:
        return None
    relative = cover_relative_path(book_id)
    target = cover_file(paths, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never sees half a file and a crash leaves no partial one.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".cover-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(prepared)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return relative


def delete_cover(paths: Paths, cover_path: str | None) -> None:
    if cover_path:
        cover_file(paths, cover_path).unlink(missing_ok=True)
