"""The kosync wire format, without any HTTP: reference error codes, request validation and
response bodies.

Validation follows the reference server (koreader-sync-server) field by field, so a client
gets the same status and code it would get there: a body must be a JSON object (400/103,
400/104); `document` must be a non-empty string without ':' (403/2004); `percentage` must be
a number or a numeric string, as Lua's `tonumber` reads it (403/2003); `progress` and
`device` must be present (403/2003); `device_id` and `metadata` are optional and `metadata`
can never fail a request. Numbers sent where strings belong are kept as Lua would print them.

Some rules are stricter than the reference, so that every position accepted can also be read
back: a document id may not contain '/' (it could not be one path segment of the pull URL)
and is at most 255 characters long; a value must be valid Unicode text; `percentage` must lie
between 0 and 1 (the reference stores 5, which would mark a book read); a user name may not
hold control characters (NUL, line breaks: no HTTP header could carry it to log in).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from bookorbit_desktop.library.reading.pushes import DocumentMetadata, Position, Push
from bookorbit_desktop.server.accounts import MAX_USERNAME_LENGTH, has_control_characters

MAX_DOCUMENT_LENGTH = 255
MAX_METADATA_LENGTH = 1024
MAX_KEY_LENGTH = 1024


@dataclass(frozen=True)
class ErrorKind:
    status: int
    code: int
    message: str


# The reference server's table (config/errors.lua and its framework's codes), verbatim.
UNKNOWN_SERVER_ERROR = ErrorKind(502, 2000, "Unknown server error.")
UNAUTHORIZED = ErrorKind(401, 2001, "Unauthorized")
USERNAME_TAKEN = ErrorKind(402, 2002, "Username is already registered.")
INVALID_REQUEST = ErrorKind(403, 2003, "Invalid request")
DOCUMENT_MISSING = ErrorKind(403, 2004, "Field 'document' not provided.")
REGISTRATION_DISABLED = ErrorKind(402, 2005, "User registration is disabled.")
BAD_JSON = ErrorKind(400, 103, "Could not parse JSON in body.")
NOT_AN_OBJECT = ErrorKind(400, 104, "Body should be a JSON hash.")
# No reference answer exists for these; they reuse its generic "Invalid request" code.
NOT_FOUND = ErrorKind(404, 2003, "Invalid request")
TOO_LARGE = ErrorKind(413, 2003, "Invalid request")


class ProtocolError(Exception):
    def __init__(self, kind: ErrorKind) -> None:
        super().__init__(kind.message)
        self.kind = kind


def error_body(kind: ErrorKind) -> dict[str, Any]:
    return {"code": kind.code, "message": kind.message}


# One encoder for every answer: `json.dumps` with options builds a new one per call, and so
# does `JSONEncoder.encode` (its C encoder is made anew for each document). This is that C
# encoder, made once, with the same options; answers are flat objects built here, so the
# check for circular references is left out.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_C_ENCODER = (
    c_make_encoder(
        None,
        _ENCODER.default,
        encode_basestring,
        None,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,
        False,
        False,
    )
    if c_make_encoder is not None
    else None
)


def encode(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as the reference server writes it."""
    if _C_ENCODER is None:
        return _ENCODER.encode(payload).encode()
    return "".join(_C_ENCODER(payload, 0)).encode()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# One decoder for every body (`json.loads` with an option builds a new one per call).
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is an empty object."""
    if not raw.strip():
        return {}
    try:
        # What `json.loads` does with bytes: UTF-8, -16 or -32 by their first bytes, a BOM
        # skipped, lone surrogates kept for the caller's checks.
        value = _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(BAD_JSON) from error
    if not isinstance(value, dict):
        raise ProtocolError(NOT_AN_OBJECT)
    return value


# Lua's tonumber: optional surrounding whitespace, a decimal number or a hexadecimal one.
_LUA_SPACE = " \t\n\v\f\r"
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEX = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?")


def lua_number(value: Any) -> float | None:
    """`value` as a finite number the way Lua's tonumber reads it, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        text = value.strip(_LUA_SPACE)
        try:
            if _DECIMAL.fullmatch(text):
                number = float(text)
            elif _HEX.fullmatch(text):
                number = float.fromhex(text)
            else:
                return None
        except (ValueError, OverflowError):
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape
        return False
    return True


def lua_string(value: Any) -> str | None:
    """A string field as the reference stores it: strings as they are, numbers as Lua prints
    them (%.14g); anything else (null, booleans, objects, arrays) is not a string."""
    if isinstance(value, str):
        return value if _is_text(value) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = lua_number(value)
    return None if number is None else format(number, ".14g")  # Lua's LUAI_NUMFFORMAT


def valid_document(value: Any) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > MAX_DOCUMENT_LENGTH
        or ":" in value
        or "/" in value
        or not _is_text(value)
    ):
        raise ProtocolError(DOCUMENT_MISSING)
    return value


def _metadata(value: Any) -> DocumentMetadata | None:
    if not isinstance(value, dict):
        return None

    def text(key: str) -> str | None:
        item = value.get(key)
        if not isinstance(item, str) or not item.strip() or not _is_text(item):
            return None
        return item[:MAX_METADATA_LENGTH]

    metadata = DocumentMetadata(text("title"), text("authors"), text("filename"))
    return metadata if metadata != DocumentMetadata() else None


def parse_push(body: dict[str, Any]) -> Push:
    document = valid_document(body.get("document"))
    percentage = lua_number(body.get("percentage"))
    progress = lua_string(body.get("progress"))
    device = lua_string(body.get("device"))
    if percentage is None or progress is None or device is None:
        raise ProtocolError(INVALID_REQUEST)
    if not 0.0 <= percentage <= 1.0:  # a fraction of the book: 5 would mark it finished
        raise ProtocolError(INVALID_REQUEST)
    device_id: str | None = None
    if body.get("device_id") is not None:
        device_id = lua_string(body["device_id"])
        if device_id is None:
            raise ProtocolError(INVALID_REQUEST)
    return Push(document, progress, percentage, device, device_id, _metadata(body.get("metadata")))


def parse_registration(body: dict[str, Any]) -> tuple[str, str]:
    """(username, key) from a registration body; `password` already is the md5 key."""
    username, key = body.get("username"), body.get("password")
    if (
        not isinstance(username, str)
        or not isinstance(key, str)
        or not username.strip()
        or ":" in username
        or len(username) > MAX_USERNAME_LENGTH
        or not key
        or len(key) > MAX_KEY_LENGTH
        or has_control_characters(username)
        or not _is_text(username)
        or not _is_text(key)
    ):
        raise ProtocolError(INVALID_REQUEST)
    # Header values reach us without surrounding blanks, so a name is stored the same way.
    return username.strip(), key


def position_body(position: Position | None) -> dict[str, Any]:
    """The pull answer: every stored field, or {} for a document never pushed."""
    if position is None:
        return {}
    body: dict[str, Any] = {
        "document": position.document,
        "percentage": position.percentage,
        "progress": position.progress,
        "device": position.device,
        "timestamp": position.timestamp,
    }
    if position.device_id is not None:
        body["device_id"] = position.device_id
    return body
