"""The frames of calibre's wireless protocol and the values of its handshake.

A frame is the byte length of a JSON array written in decimal, then the array itself:
`<length>[opcode, {arguments}]`, with no delimiter. Lengths count bytes: a title with
non-ASCII letters is longer in bytes than in characters, and one wrong length corrupts every
later frame on KOReader's side until it restarts. A book's bytes follow a SEND_BOOK raw.

The password check: the server sends a challenge; the device answers with the lower-case hex
SHA-1 of the password followed by the challenge (both UTF-8).

Whatever a peer sends, reading a frame ends in a `Frame` or a `FrameError` (no other
exception): a frame longer than the step allows (`PRE_AUTH_FRAME_BYTES` before the password
is checked, `MAX_FRAME_BYTES` after), not JSON, nested deeper than the parser goes, or not an
`[opcode, arguments]` array.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Op(IntEnum):
    OK = 0
    SET_CALIBRE_DEVICE_INFO = 1
    SET_CALIBRE_DEVICE_NAME = 2
    GET_DEVICE_INFORMATION = 3
    TOTAL_SPACE = 4
    FREE_SPACE = 5
    GET_BOOK_COUNT = 6
    SEND_BOOKLISTS = 7
    SEND_BOOK = 8
    GET_INITIALIZATION_INFO = 9
    BOOK_DONE = 11
    NOOP = 12
    DELETE_BOOK = 13
    GET_BOOK_FILE_SEGMENT = 14
    GET_BOOK_METADATA = 15
    SEND_BOOK_METADATA = 16
    DISPLAY_MESSAGE = 17
    CALIBRE_BUSY = 18
    SET_LIBRARY_INFO = 19
    ERROR = 20


# The calibre release we speak as. KOReader needs three numbers (it crashes without them) and
# reports a full disk as ERROR only to calibre 4.18 or later.
CALIBRE_VERSION = (7, 0, 0)
PROTOCOL_VERSION = 1
MESSAGE_PASSWORD_ERROR = 1  # DISPLAY_MESSAGE kind KOReader shows as "invalid password"
MAX_LENGTH_DIGITS = 10
MAX_FRAME_BYTES = 1024 * 1024  # a device's largest frame is one book's slim metadata
# Before the password is checked a device sends one frame, the OK to GET_INITIALIZATION_INFO
# (its name, its extensions and their path lengths: about 1 KB from KOReader), and a refused
# one its parting NOOP. A stranger gets no more than this decoded before proving anything.
PRE_AUTH_FRAME_BYTES = 8 * 1024


class FrameError(Exception):
    """The peer sent something that is not a frame of this protocol."""


@dataclass(frozen=True)
class Frame:
    op: Op
    args: dict[str, Any]


def encode(op: Op, args: dict[str, Any]) -> bytes:
    body = json.dumps([int(op), args], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return str(len(body)).encode("ascii") + body


def decode(body: bytes) -> Frame:
    """One frame's JSON array (without its length)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FrameError(f"not JSON: {error}") from None
    except RecursionError:  # the parser recurses per level: thousands of "[" end it here
        raise FrameError("a frame nested too deeply") from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise FrameError("not an [opcode, arguments] array")
    try:
        op = Op(value[0])
    except ValueError:
        raise FrameError(f"unknown opcode {value[0]}") from None
    args = value[1] if isinstance(value[1], dict) else {}
    return Frame(op, args)


async def read_frame(
    reader: asyncio.StreamReader, limit: Callable[[], int] = lambda: MAX_FRAME_BYTES
) -> Frame | None:
    """The next frame, or None when the peer closed the connection between frames. A frame
    longer than `limit()` (asked once its length is read) is refused before it is read."""
    digits = b""
    while True:
        byte = await reader.read(1)
        if not byte:
            if digits:
                raise FrameError("connection closed inside a frame")
            return None
        if byte == b"[":
            break
        if not byte.isdigit() or len(digits) >= MAX_LENGTH_DIGITS:
            raise FrameError("a frame does not start with its length")
        digits += byte
    if not digits:
        raise FrameError("a frame has no length")
    length = int(digits)
    most = limit()
    if length > most:
        raise FrameError(f"a frame of {length:,} bytes, over the {most:,} allowed at this step")
    if length < 2:
        raise FrameError(f"a frame of {length} bytes")
    try:
        rest = await reader.readexactly(length - 1)
    except asyncio.IncompleteReadError:
        raise FrameError("connection closed inside a frame") from None
    return decode(b"[" + rest)


def password_hash(password: str, challenge: str) -> str:
    return hashlib.sha1((password + challenge).encode("utf-8")).hexdigest()


def initialization_info(
    challenge: str, library_name: str, library_uuid: str, extensions: list[str]
) -> dict[str, Any]:
    """GET_INITIALIZATION_INFO's arguments, as calibre sends them."""
    return {
        "serverProtocolVersion": PROTOCOL_VERSION,
        "validExtensions": extensions,
        "passwordChallenge": challenge,
        "currentLibraryName": library_name,
        "currentLibraryUUID": library_uuid,
        "pubdateFormat": "MMM yyyy",
        "timestampFormat": "dd MMM yyyy",
        "lastModifiedFormat": "dd MMM yyyy",
        "calibre_version": list(CALIBRE_VERSION),
        "canSupportUpdateBooks": True,
        "canSupportLpathChanges": True,
    }


def book_count_request() -> dict[str, Any]:
    return {
        "canStream": True,
        "canScan": True,
        "willUseCachedMetadata": True,
        "supportsSync": False,
        "canSupportBookFormatSync": True,
    }
