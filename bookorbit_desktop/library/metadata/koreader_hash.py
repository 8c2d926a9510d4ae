"""KOReader's document digests: the partial MD5 of a file and the md5 of a file name."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1024


def partial_md5(path: str | os.PathLike[str]) -> str:
    """KOReader's "binary" document id: md5 over 1 KiB samples at 0, 1 KiB, 4 KiB ... 1 GiB.

    The offsets are `1024 << (2 * i)` for i = -1..10; LuaJIT masks the negative shift so the
    first sample is at offset 0. Sampling stops at the first offset at or past the end.
    """
    with Path(path).open("rb") as handle:
        return partial_md5_of(handle)


def partial_md5_of(handle: BinaryIO) -> str:
    """`partial_md5` of a file already open for binary reading (its position moves)."""
    digest = hashlib.md5()
    for i in range(-1, 11):
        handle.seek(0 if i < 0 else _CHUNK << (2 * i))
        chunk = handle.read(_CHUNK)
        if not chunk:
            break
        digest.update(chunk)
    return digest.hexdigest()


def filename_md5(file_name: str) -> str:
    """KOReader's "filename" document id: md5 of the base name (extension included), UTF-8."""
    return hashlib.md5(file_name.encode("utf-8")).hexdigest()
