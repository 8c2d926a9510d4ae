"""The reading half of importing one file, which needs no database: its KOReader digest, its
metadata and whether it has a usable cover (made later, when first shown: see `covers.py`).

`prepare_file` runs in a worker process (see `pool.py`) or, for small imports, in the importing
process itself; either way it returns the same `Prepared`. Errors are kept, not raised, so the
importer raises them only when its decision for the file needs that part (a moved file needs
its digest but not its metadata, exactly as when the file is read on the spot).
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bookorbit_desktop.library.metadata.covers import usable_cover
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5_of
from bookorbit_desktop.library.metadata.reader import BookMetadata, BookReadError, read_metadata

# An import judges a book's cover by its header (`usable_cover`): an EPUB's cover is read only
# this far, and whole only when that head cannot tell. A JPEG gives its size after its
# metadata (EXIF with its thumbnail, an ICC profile, XMP), which fit in 64 KiB in nearly every
# cover; a large cover read whole took a tenth of reading the book, a head of 256 KiB a tenth
# of the rest.
COVER_HEAD_BYTES = 64 * 1024


class UnexpectedReadError(Exception):
    """A reader raised something nobody foresaw; carries the original's type name and
    traceback text (the original itself may not survive the trip between processes)."""

    def __init__(self, type_name: str, details: str) -> None:
        super().__init__(type_name, details)
        self.type_name = type_name
        self.details = details


@dataclass(frozen=True)
class Prepared:
    """One file read: its digest and metadata, or why each could not be had.

    `metadata.cover` is always None (the image stays in the file, so results sent between
    processes stay small); `has_cover` says whether the file holds a usable cover image.
    """

    path: Path
    digest: str | None
    digest_error: OSError | None
    metadata: BookMetadata | None
    metadata_error: Exception | None
    has_cover: bool = False

    def require_digest(self) -> str:
        if self.digest_error is not None:
            raise self.digest_error
        assert self.digest is not None
        return self.digest

    def require_metadata(self) -> BookMetadata:
        if self.metadata_error is not None:
            raise self.metadata_error
        assert self.metadata is not None
        return self.metadata


def prepare_file(path: Path) -> Prepared:
    """Read `path` as an import needs it; never raises for a bad file."""
    try:
        handle = path.open("rb")
    except OSError as error:
        return Prepared(path, None, _portable_os_error(error), None, None)
    with handle:  # one open for the digest and the metadata
        return _prepare_open(path, handle)


def _prepare_open(path: Path, handle: BinaryIO) -> Prepared:
    try:
        digest = partial_md5_of(handle)
    except OSError as error:
        # The importer stops at the digest; reading the rest would be wasted.
        return Prepared(path, None, _portable_os_error(error), None, None)
    try:
        metadata = read_metadata(path, handle, cover_head=COVER_HEAD_BYTES)
        head = metadata.cover
        has_cover = head is not None and usable_cover(head)
        if head is not None and not has_cover and len(head) == COVER_HEAD_BYTES:
            # The head may end before the header does: the cover judged whole, as it is shown.
            metadata = read_metadata(path, handle)
            has_cover = metadata.cover is not None and usable_cover(metadata.cover)
    except BookReadError as error:
        return Prepared(path, digest, None, None, BookReadError(str(error)))
    except OSError as error:
        return Prepared(path, digest, None, None, _portable_os_error(error))
    except Exception as error:
        details = "".join(traceback.format_exception(error))
        return Prepared(
            path, digest, None, None, UnexpectedReadError(type(error).__name__, details)
        )
    metadata = dataclasses.replace(metadata, cover=None)
    return Prepared(path, digest, None, metadata, None, has_cover)


def _portable_os_error(error: OSError) -> OSError:
    """The error with what the summary shows (its errno and text), fit to cross processes."""
    return OSError(error.errno, error.strerror or str(error), error.filename)
