"""Read any supported ebook file: recognise its format from its bytes, then its metadata.

The format comes from the content, not the name: a renamed PDF is still a PDF, and a file that
is nothing we know is refused with a one-line reason. `read_metadata` returns a finished
`BookMetadata` (always with a title) or raises a `BookReadError` subclass.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path
from typing import BinaryIO

from bookorbit_desktop.library.metadata.epub import read_epub
from bookorbit_desktop.library.metadata.extensions import (
    SUPPORTED_EXTENSIONS,
    has_supported_extension,
)
from bookorbit_desktop.library.metadata.mobi import is_mobi, read_mobi
from bookorbit_desktop.library.metadata.model import (
    FORMATS,
    BookMetadata,
    BookReadError,
    Creator,
    DamagedFileError,
    DrmError,
    NotAnEbookError,
)
from bookorbit_desktop.library.metadata.pdf_cbz_fb2 import (
    read_cbz,
    read_fb2,
    read_fb2_zip,
    read_pdf,
)

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "BookMetadata",
    "BookReadError",
    "Creator",
    "DamagedFileError",
    "DrmError",
    "NotAnEbookError",
    "has_supported_extension",
    "read_metadata",
    "sniff",
]

HEAD_BYTES = 4096
MAX_FB2_BYTES = 256 * 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def sniff(head: bytes) -> str | None:
    """The container kind of a file from its first bytes: zip, pdf, mobi, fb2, kfx, topaz."""
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if is_mobi(head):
        return "mobi"
    if head.startswith(b"\xeaDRMION\xee"):
        return "kfx-drm"
    if head.startswith(b"CONT\x02\x00") or head.startswith(b"TPZ"):
        return "kindle-other"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
        return "fb2" if "<FictionBook" in text else None
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"<") and b"<FictionBook" in head:
        return "fb2"
    return None


def read_metadata(
    path: Path, opened: BinaryIO | None = None, *, cover_head: int | None = None
) -> BookMetadata:
    """The metadata of the ebook at `path`, or a BookReadError saying why it cannot be read.

    `opened`, the file already open for binary reading (an import has just computed its
    digest), saves opening it again; its position moves and it is left open. With
    `cover_head`, an EPUB's cover is read only as far as its first `cover_head` bytes (an
    import only looks at its header, and reading the rest of it was a tenth of reading the
    book); other formats' covers are read whole."""
    try:
        if opened is None:
            with path.open("rb") as handle:
                head = handle.read(HEAD_BYTES)
                size = os.fstat(handle.fileno()).st_size
        else:
            opened.seek(0)
            head = opened.read(HEAD_BYTES)
            size = os.fstat(opened.fileno()).st_size
    except PermissionError as error:
        raise BookReadError("cannot be read: permission denied") from error
    except IsADirectoryError as error:
        raise NotAnEbookError("is a folder, not a file") from error
    except OSError as error:
        raise BookReadError(f"cannot be read: {error.strerror or error}") from error
    if size == 0:
        raise DamagedFileError("empty file (0 bytes)")
    kind = sniff(head)
    if kind == "zip":
        metadata = _read_zip(path, opened, cover_head)
    elif kind == "pdf":
        metadata = read_pdf(path)
    elif kind == "mobi":
        metadata = read_mobi(path)
    elif kind == "fb2":
        if size > MAX_FB2_BYTES:
            raise DamagedFileError("implausibly large FB2 file")
        metadata = read_fb2(path, path.read_bytes())
    elif kind == "kfx-drm":
        raise DrmError("an encrypted Kindle KFX book (DRM); import a DRM-free copy")
    elif kind == "kindle-other":
        raise NotAnEbookError("a Kindle KFX/Topaz book, a format KOReader cannot open")
    else:
        raise _unrecognised(path)
    return metadata.finish(path)


def _unrecognised(path: Path) -> BookReadError:
    if has_supported_extension(path):
        kind = path.name.rsplit(".", 1)[-1].upper()
        return DamagedFileError(
            f"not a valid {kind} file: its content is damaged or it was renamed from another type"
        )
    return NotAnEbookError("not an ebook (EPUB, PDF, CBZ, MOBI, AZW3 or FB2)")


def _read_zip(path: Path, opened: BinaryIO | None, cover_head: int | None) -> BookMetadata:
    try:
        archive = zipfile.ZipFile(path if opened is None else opened)
    except zipfile.BadZipFile as error:
        raise DamagedFileError(
            "truncated or damaged ZIP archive (its index is missing); copy the file again"
        ) from error
    except (OSError, ValueError, EOFError) as error:
        raise DamagedFileError(f"damaged ZIP archive ({error})") from error
    with archive:
        names = archive.namelist()
        folded = [name.casefold() for name in names]
        is_cbz = path.name.casefold().endswith(".cbz")
        if not is_cbz and (
            "meta-inf/container.xml" in folded
            or "mimetype" in folded
            or any(name.endswith(".opf") for name in folded)
        ):
            return read_epub(path, archive, cover_head=cover_head)
        if not is_cbz and any(name.endswith(".fb2") for name in folded):
            return read_fb2_zip(path, archive)
        if is_cbz:
            return read_cbz(path, archive)
    raise NotAnEbookError("a ZIP archive, but not an EPUB, CBZ or zipped FB2 book")
