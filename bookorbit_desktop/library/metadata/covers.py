"""Book covers: found at import, resized when first shown, stored as JPEG files in the data
folder.

`Book.cover_path` holds the path relative to the data folder ("covers/12.jpg") so a library
moved with `--data-dir` keeps its covers. An import only checks that the book's cover is a
usable image (`usable_cover`, reading its header) and records the path; the file is made from
the book's own file the first time the window or the catalog asks for it (`ensure_cover`).
Decoding and shrinking thousands of covers was most of an import's time, and most covers of a
large library are never looked at.

Every stored cover, whether from a book's file, a file the user chose or a download, passes
`make_cover` first: a JPEG, PNG, GIF or WebP (`images.open_image`, the only decoder door), at
most MAX_COVER_BYTES, at most MAX_PIXELS (Pillow's decompression-bomb warning is an error),
decoded whole (a file cut short is refused, not stored), and written anew as a JPEG that fits
COVER_MAX (large JPEGs are decoded at reduced scale, JPEG draft mode), without the original's
metadata. The catalog's thumbnails (`server/opds/thumbnails.py`) are made with the same
`shrink_to_jpeg` and written with the same `write_atomically`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.metadata.images import open_image
from bookorbit_desktop.library.metadata.limits import MAX_COVER_BYTES

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

COVER_MAX = (600, 900)  # fits a phone screen and an OPDS client; thumbnails are made later
JPEG_QUALITY = 85
# Covers beyond this many pixels are decompression bombs or scans nobody needs at full size;
# Pillow's own bomb limit (a warning, made an error here) stays on above it.
MAX_PIXELS = 60_000_000
_GREY_OR_RGB = ("RGB", "L")


class UnusableCover(ValueError):
    """Why some bytes cannot be a cover, in plain words (the message)."""


def make_cover(data: bytes) -> bytes:
    """The stored form of the cover in `data`: decoded whole, then written anew as a JPEG no
    larger than COVER_MAX, without the original's metadata. UnusableCover says why not."""
    if not data:
        raise UnusableCover("it is empty")
    if len(data) > MAX_COVER_BYTES:
        raise UnusableCover(f"it is larger than {MAX_COVER_BYTES // 2**20} MB")
    return _to_jpeg(data, COVER_MAX, JPEG_QUALITY)


def prepare_cover(data: bytes) -> bytes | None:
    """`make_cover`'s JPEG, or None (the reason logged) when `data` is no usable cover."""
    try:
        return make_cover(data)
    except UnusableCover as error:
        log.info("Cover image not usable: %s", error)
        return None


def usable_cover(data: bytes) -> bool:
    """Whether `data` may be a cover, judged from its header alone (an import's quick check;
    the cover is stored only once `make_cover` has decoded it whole)."""
    try:
        with open_image(data) as image:
            width, height = image.size
    except Exception as error:
        log.info("Cover image in the book not usable: %s", error)
        return False
    return 0 < len(data) <= MAX_COVER_BYTES and width > 0 and 0 < width * height <= MAX_PIXELS


def shrink_to_jpeg(
    source: bytes | Path, box: tuple[int, int], quality: int, *, optimize: bool = False
) -> bytes | None:
    """The image in `source` (bytes or a file) as JPEG bytes that fit `box`, or None when it is
    no usable image (the reason logged)."""
    try:
        return _to_jpeg(source, box, quality, optimize=optimize)
    except UnusableCover as error:
        where = source if isinstance(source, Path) else "in the book"
        log.info("Cover image %s not usable: %s", where, error)
        return None


def _to_jpeg(
    source: bytes | Path, box: tuple[int, int], quality: int, *, optimize: bool = False
) -> bytes:
    """Decode the whole image (a JPEG at a reduced scale when it is larger than `box`), shrink it
    into `box`, and write it as a new JPEG; UnusableCover when any of that fails."""
    from PIL import Image, UnidentifiedImageError  # loaded with the first cover, not the window

    # Pillow's decoders raise many kinds of error on hostile data (OSError, SyntaxError,
    # EOFError, struct.error, ...); every one of them means the same: no cover from this.
    try:
        with open_image(source) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise UnusableCover(f"it has too many pixels ({width}×{height})")
            image.draft("RGB", box)  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
            try:
                image.load()  # every byte decoded: a file cut short fails here
            except Exception as error:
                raise UnusableCover("the image is damaged or cut short") from error
            picture = _flatten(image)
            picture.thumbnail(box, Image.Resampling.BICUBIC, reducing_gap=2.0)
            picture.info = {}  # no comment, EXIF or profile of the original is kept
            output = io.BytesIO()
            picture.save(output, "JPEG", quality=quality, optimize=optimize)
            return output.getvalue()
    except UnusableCover:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnusableCover("it has too many pixels") from None
    except UnidentifiedImageError:
        raise UnusableCover(
            "it is not an image BookOrbit can read (a JPEG, PNG, GIF or WebP file)"
        ) from None
    except Exception as error:
        raise UnusableCover("it is not an image BookOrbit can read") from error


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB (or grey) image; transparency is laid on white (a cover has no background)."""
    from PIL import Image

    if image.mode in _GREY_OR_RGB:
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def cover_relative_path(book_id: int) -> str:
    return f"covers/{book_id}.jpg"


def _within(cover_path: str) -> bool:
    """A stored cover path names a file inside the data folder: relative, with no `..` (a
    damaged or hostile row never reaches a file elsewhere). Plain text checks: an import runs
    this for every new book."""
    parts = cover_path.replace("\\", "/").split("/")
    return bool(cover_path) and not os.path.isabs(cover_path) and ".." not in parts


def cover_file(paths: Paths, cover_path: str) -> Path:
    """The absolute file of a stored `Book.cover_path`; for a path that would lead outside the
    data folder, a name in it that no file has (read as a missing cover)."""
    if not _within(cover_path):
        return paths.data_dir / "covers" / ".outside"
    return paths.data_dir / cover_path


def store_cover(paths: Paths, book_id: int, data: bytes) -> str | None:
    """Resize and save a book's cover; return the `Book.cover_path` value, or None."""
    prepared = prepare_cover(data)
    if prepared is None:
        return None
    return write_cover(paths, book_id, prepared)


def write_cover(paths: Paths, book_id: int, prepared: bytes) -> str:
    """Save a cover already made by `prepare_cover`; return the `Book.cover_path` value."""
    relative = cover_relative_path(book_id)
    write_atomically(cover_file(paths, relative), prepared)
    return relative


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file and rename it into place: a reader never sees half a file and
    a crash leaves no partial one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # The name is chosen before the file exists and the file is created inside the `try`, so
    # an interrupt (Ctrl+C) landing at any point between the two still removes it.
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        with temporary.open("xb") as output:
            output.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def ensure_cover(paths: Paths, cover_path: str, sources: Iterable[Path]) -> Path | None:
    """The stored cover's file, made now from the first of the book's `sources` (its files)
    that still holds a usable cover if it does not exist yet; None when none does or when
    `cover_path` points outside the data folder."""
    from bookorbit_desktop.library.metadata.reader import BookReadError, read_metadata

    root = paths.data_dir.resolve()
    target = (root / cover_path).resolve()
    if not target.is_relative_to(root):  # a damaged or hostile row: never write outside
        return None
    if target.is_file():
        return target
    for source in sources:
        try:
            found = read_metadata(source).cover
        except (BookReadError, OSError) as error:
            log.info("No cover from %s: %s", source, error)
            continue
        prepared = prepare_cover(found) if found is not None else None
        if prepared is None:
            continue
        try:
            write_atomically(target, prepared)
        except OSError as error:  # a full disk or a read-only folder: show no cover
            log.warning("Cover %s not stored: %s", target, error)
            return None
        return target
    return None


def delete_cover(paths: Paths, cover_path: str | None) -> None:
    if cover_path and _within(cover_path):
        # os calls on text: an import removes the (usually absent) file of every new book,
        # and building a Path for it cost more than the unlink.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(paths.data_dir, cover_path))
