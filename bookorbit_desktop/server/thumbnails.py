"""Cover thumbnails for the catalog, made with Pillow once and cached on disk.

A thumbnail's cache name carries the cover file's modification time and size, so a replaced
cover gets a fresh thumbnail and the stale one is removed. Files are written to a temporary
name and moved into place, so a reader never sees half a JPEG. These functions block; the
server runs them in a worker thread.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

THUMBNAIL_MAX = (240, 360)
JPEG_QUALITY = 80
MAX_PIXELS = 60_000_000


def cover_file(data_dir: Path, cover_path: str) -> Path | None:
    """The cover image a book row points at, if it is a file inside the data folder."""
    root = data_dir.resolve()
    candidate = (root / cover_path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def thumbnail_for(cover: Path, cache_dir: Path, book_id: int) -> Path | None:
    """A JPEG thumbnail of `cover`, made now or taken from the cache; None if it is no image."""
    stat = cover.stat()
    target = cache_dir / f"{book_id}-{stat.st_mtime_ns:x}-{stat.st_size:x}.jpg"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = _render(cover)
    if data is None:
        return None
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=f".{book_id}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    for stale in cache_dir.glob(f"{book_id}-*.jpg"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


def _render(cover: Path) -> bytes | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(cover) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    return None
                image.draft("RGB", THUMBNAIL_MAX)
                image.load()
                picture = image if image.mode == "RGB" else _to_rgb(image)
                picture.thumbnail(THUMBNAIL_MAX, Image.Resampling.BICUBIC, reducing_gap=2.0)
                output = io.BytesIO()
                picture.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
                return output.getvalue()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as error:
        log.info("Cover %s cannot be made into a thumbnail: %s", cover, error)
        return None


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
