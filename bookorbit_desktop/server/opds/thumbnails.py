"""Cover thumbnails for the catalog, made with Pillow once and cached on disk.

A thumbnail's cache name carries the cover file's modification time and size, so a replaced
cover gets a fresh thumbnail and the stale one is removed. Files are written to a temporary
name and moved into place, so a reader never sees half a JPEG. These functions block; the
server runs them in a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.metadata.covers import ensure_cover, shrink_to_jpeg, write_atomically

THUMBNAIL_MAX = (240, 360)
JPEG_QUALITY = 80


def cover_file(data_dir: Path, cover_path: str) -> Path | None:
    """The cover image a book row points at, if it is a file inside the data folder."""
    root = data_dir.resolve()
    candidate = (root / cover_path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def made_cover(paths: Paths, cover_path: str, sources: list[str]) -> Path | None:
    """The cover image a book row points at, made from the book's files if it is not made
    yet (covers are made when first asked for), if it is a file inside the data folder."""
    if ensure_cover(paths, cover_path, [Path(source) for source in sources]) is None:
        return None
    return cover_file(paths.data_dir, cover_path)


def thumbnail_for(cover: Path, cache_dir: Path, book_id: int) -> Path | None:
    """A JPEG thumbnail of `cover`, made now or taken from the cache; None if it is no image."""
    stat = cover.stat()
    target = cache_dir / f"{book_id}-{stat.st_mtime_ns:x}-{stat.st_size:x}.jpg"
    if target.is_file():
        return target
    data = shrink_to_jpeg(cover, THUMBNAIL_MAX, JPEG_QUALITY, optimize=True)
    if data is None:
        return None
    write_atomically(target, data)
    for stale in cache_dir.glob(f"{book_id}-*.jpg"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target
