"""Metadata of MOBI, AZW and AZW3 books, read from the PalmDB, MOBI and EXTH headers.

A Kindle book is a Palm database whose record 0 holds the PalmDOC header (with the DRM flag),
the MOBI header (text encoding, full title, first image record) and the EXTH block (author,
publisher, ISBN, language, cover image index ...). Only record 0 and the cover record are read;
a book whose EXTH names no cover (common in converted books) gets its first image record, as
calibre shows it. All numbers are big-endian; every offset is checked, since damaged files are
common.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from bookorbit_desktop.library.metadata.model import (
    BookMetadata,
    Creator,
    DamagedFileError,
    DrmError,
    parse_published,
)

PALMDB_HEADER = 78
MOBI_MAGIC = b"BOOKMOBI"
_NO_INDEX = 0xFFFFFFFF
_EXTH_FLAG = 0x40
MAX_RECORD = 32 * 1024 * 1024
# EXTH record types we read.
EXTH_AUTHOR = 100
EXTH_PUBLISHER = 101
EXTH_DESCRIPTION = 103
EXTH_ISBN = 104
EXTH_PUBLISHED = 106
EXTH_ASIN = 113
EXTH_COVER = 201
EXTH_THUMBNAIL = 202
EXTH_TITLE = 503
EXTH_LANGUAGE = 524
# The image formats Kindle books carry, by their first bytes; and how many records from the
# first image record are searched for one when the EXTH names no cover (fonts, resource
# records and other data can come first).
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_IMAGE_SEARCH = 16
# File extensions and the format stored for them; other names are decided from the header.
_EXTENSION_FORMATS = {".mobi": "mobi", ".prc": "mobi", ".azw": "azw", ".azw3": "azw3"}


def is_mobi(head: bytes) -> bool:
    return head[60:68] == MOBI_MAGIC


def _record_offsets(handle: BinaryIO, file_size: int) -> list[int]:
    handle.seek(0)
    header = handle.read(PALMDB_HEADER)
    if len(header) < PALMDB_HEADER or header[60:68] != MOBI_MAGIC:
        raise DamagedFileError("not a valid Kindle book (bad Palm database header)")
    (count,) = struct.unpack_from(">H", header, 76)
    table = handle.read(8 * count)
    if count == 0 or len(table) < 8 * count:
        raise DamagedFileError("truncated Kindle book (its record table is incomplete)")
    offsets = [struct.unpack_from(">I", table, 8 * i)[0] for i in range(count)]
    offsets.append(file_size)
    if max(offsets[:-1]) > file_size or offsets[0] >= file_size:
        raise DamagedFileError("truncated Kindle book (the file ends before its last record)")
    return offsets


def _read_record(handle: BinaryIO, offsets: list[int], index: int) -> bytes | None:
    if index < 0 or index + 1 >= len(offsets):
        return None
    start, end = offsets[index], offsets[index + 1]
    if end <= start or end - start > MAX_RECORD:
        return None
    handle.seek(start)
    return handle.read(end - start)


def parse_exth(record0: bytes, start: int) -> dict[int, list[bytes]]:
    """EXTH records by type (a type may repeat, e.g. one 100 per author)."""
    records: dict[int, list[bytes]] = {}
    if record0[start : start + 4] != b"EXTH" or len(record0) < start + 12:
        return records
    (count,) = struct.unpack_from(">I", record0, start + 8)
    position = start + 12
    for _ in range(min(count, 10_000)):
        if position + 8 > len(record0):
            break
        kind, length = struct.unpack_from(">II", record0, position)
        if length < 8 or position + length > len(record0):
            break
        records.setdefault(kind, []).append(record0[position + 8 : position + length])
        position += length
    return records


def read_mobi(path: Path) -> BookMetadata:
    """Title, authors, publisher, ISBN, languages, description and cover of a Kindle book."""
    with path.open("rb") as handle:
        size = path.stat().st_size
        offsets = _record_offsets(handle, size)
        record0 = _read_record(handle, offsets, 0)
        if record0 is None or len(record0) < 16:
            raise DamagedFileError("truncated Kindle book (its header record is incomplete)")
        (encryption,) = struct.unpack_from(">H", record0, 12)
        if encryption in (1, 2):
            raise DrmError("encrypted with Kindle DRM; import a DRM-free copy")
        metadata = BookMetadata(format=_EXTENSION_FORMATS.get(path.suffix.casefold(), "mobi"))
        if record0[16:20] != b"MOBI" or len(record0) < 132:
            return metadata  # a plain PalmDOC text: nothing but the database name
        header_length, _, text_encoding = struct.unpack_from(">III", record0, 20)
        (version,) = struct.unpack_from(">I", record0, 36)
        if path.suffix.casefold() not in _EXTENSION_FORMATS and version >= 8:
            metadata.format = "azw3"
        encoding = "utf-8" if text_encoding == 65001 else "cp1252"
        name_offset, name_length = struct.unpack_from(">II", record0, 84)
        (first_image,) = struct.unpack_from(">I", record0, 108)
        (flags,) = struct.unpack_from(">I", record0, 128)
        exth = parse_exth(record0, 16 + header_length) if flags & _EXTH_FLAG else {}

        def text(kind: int) -> str | None:
            values = exth.get(kind)
            return values[0].decode(encoding, errors="replace").strip() if values else None

        full_name = record0[name_offset : name_offset + name_length]
        metadata.title = text(EXTH_TITLE) or full_name.decode(encoding, errors="replace")
        for raw in exth.get(EXTH_AUTHOR, []):
            for name in raw.decode(encoding, errors="replace").replace(";", "&").split("&"):
                if name.strip():
                    metadata.creators.append(Creator(name.strip()))
        metadata.publisher = text(EXTH_PUBLISHER)
        metadata.description = text(EXTH_DESCRIPTION)
        metadata.published = parse_published(text(EXTH_PUBLISHED))
        metadata.languages = [
            raw.decode(encoding, errors="replace").strip() for raw in exth.get(EXTH_LANGUAGE, [])
        ]
        for kind, scheme in ((EXTH_ISBN, "isbn"), (EXTH_ASIN, "asin")):
            value = text(kind)
            if value:
                metadata.raw_identifiers.append((scheme, value))
        metadata.cover = _cover(handle, offsets, exth, first_image)
    return metadata


def _cover(
    handle: BinaryIO, offsets: list[int], exth: dict[int, list[bytes]], first_image: int
) -> bytes | None:
    if first_image == _NO_INDEX:
        return None
    for kind in (EXTH_COVER, EXTH_THUMBNAIL):
        values = exth.get(kind)
        if values and len(values[0]) == 4:
            (index,) = struct.unpack(">I", values[0])
            record = (
                None if index == _NO_INDEX else _read_record(handle, offsets, first_image + index)
            )
            if record is not None and record.startswith(_IMAGE_MAGIC):
                return record
    # No cover named (or not an image): the first image record is the cover.
    for index in range(first_image, min(first_image + _IMAGE_SEARCH, len(offsets) - 1)):
        record = _read_record(handle, offsets, index)
        if record is not None and record.startswith(_IMAGE_MAGIC):
            return record
    return None
