"""Reading a KOReader settings file (`return { ... }`) as data, never running it as Lua.

Accepts the subset of Lua a data file uses: one optional `return`, tables with `[key] =`,
`name =` and positional fields separated by `,` or `;`, strings in both quote styles with
every Lua escape (`\\n`, `\\ddd`, `\\xXX`, `\\u{XXX}`, `\\z`, an escaped newline) and long
brackets (`[[...]]`, `[==[...]==]`), decimal and hexadecimal numbers (a leading minus
included), `true`, `false`, `nil`, and comments. Anything else (a function call, a variable,
an operator) is a `LuaSyntaxError` naming the line, because a data file has none.

A table whose keys are exactly 1..n becomes a list, any other a dict (integer keys stay int);
an empty table is an empty dict. Strings are decoded as UTF-8, bad bytes replaced.
"""

from __future__ import annotations

import math
import re
from typing import Any

MAX_DEPTH = 100  # tables nested deeper than this are not a settings file

_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(
    rb"0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?"
    rb"|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
)
_LONG_OPEN = re.compile(rb"\[(=*)\[")
_SPACE = re.compile(rb"\s+")
_LONG_COMMENT = re.compile(rb"--\[(=*)\[")
_LINE_COMMENT = re.compile(rb"--[^\n]*")
_SIMPLE_ESCAPES = {
    ord("n"): b"\n",
    ord("t"): b"\t",
    ord("r"): b"\r",
    ord("a"): b"\a",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("v"): b"\v",
    ord("\\"): b"\\",
    ord('"'): b'"',
    ord("'"): b"'",
}
# The text of a quoted string up to its closing quote, a backslash or a line break.
_PLAIN = {b'"': re.compile(rb'[^"\\\n\r]*'), b"'": re.compile(rb"[^'\\\n\r]*")}
_Z_SPACE = re.compile(rb"\s*")
_BRACED_HEX = re.compile(rb"\{([0-9a-fA-F]{1,8})\}")
_DECIMAL = re.compile(rb"\d{1,3}")
_KEYWORDS = {b"true": True, b"false": False, b"nil": None}


class LuaSyntaxError(ValueError):
    """The text is not a Lua data table."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def fail(self, what: str) -> LuaSyntaxError:
        line = self.data.count(b"\n", 0, self.at) + 1
        return LuaSyntaxError(f"{what} on line {line}")

    def skip(self) -> None:
        data = self.data
        while True:
            match = _SPACE.match(data, self.at)
            if match:
                self.at = match.end()
            if not data.startswith(b"--", self.at):
                return
            long = _LONG_COMMENT.match(data, self.at)
            if long:
                end = data.find(b"]" + long.group(1) + b"]", long.end())
                if end < 0:
                    raise self.fail("an unfinished comment")
                self.at = end + len(long.group(1)) + 2
            else:
                self.at = _LINE_COMMENT.match(data, self.at).end()  # type: ignore[union-attr]

    def peek(self) -> bytes:
        self.skip()
        return self.data[self.at : self.at + 1]

    def expect(self, token: bytes) -> None:
        if self.peek() != token:
            raise self.fail(f"expected {token.decode()!r}")
        self.at += 1

    def value(self, depth: int) -> Any:
        head = self.peek()
        if head == b"{":
            return self.table(depth + 1)
        if head in (b'"', b"'"):
            return self.quoted(head)
        if head == b"[":
            return self.long_string()
        if head == b"-":
            self.at += 1
            number = self.value(depth)
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise self.fail("a minus sign before something that is not a number")
            return -number
        if head[:1].isdigit() or head == b".":
            return self.number()
        word = _NAME.match(self.data, self.at)
        if word and word.group() in _KEYWORDS:
            self.at = word.end()
            return _KEYWORDS[word.group()]
        if word:
            raise self.fail(f"a name ({word.group().decode()}) where a value was expected")
        raise self.fail("a value was expected" if head else "the text ends before a value")

    def number(self) -> int | float:
        match = _NUMBER.match(self.data, self.at)
        if match is None:
            raise self.fail("a malformed number")
        self.at = match.end()
        text = match.group().decode()
        if text[:2] in ("0x", "0X"):
            if any(c in text for c in ".pP"):
                return float.fromhex(text)
            return int(text, 16)
        if any(c in text for c in ".eE"):
            return float(text)
        return int(text)

    def long_string(self) -> str:
        match = _LONG_OPEN.match(self.data, self.at)
        if match is None:
            raise self.fail("a malformed long string")
        close = b"]" + match.group(1) + b"]"
        end = self.data.find(close, match.end())
        if end < 0:
            raise self.fail("an unfinished long string")
        body = self.data[match.end() : end]
        if body.startswith(b"\r\n"):
            body = body[2:]
        elif body.startswith((b"\n", b"\r")):
            body = body[1:]
        self.at = end + len(close)
        return body.decode("utf-8", "replace")

    def quoted(self, quote: bytes) -> str:
        data, out = self.data, bytearray()
        plain = _PLAIN[quote]
        self.at += 1
        while True:
            run = plain.match(data, self.at)
            if run is not None:  # always matches (possibly empty): copy plain text at once
                out += run.group()
                self.at = run.end()
            if self.at >= len(data):
                raise self.fail("an unfinished string")
            char = data[self.at]
            if char == quote[0]:
                self.at += 1
                return out.decode("utf-8", "replace")
            if char in (0x0A, 0x0D):
                raise self.fail("a line break inside a quoted string")
            out += self.escape()  # a backslash

    def escape(self) -> bytes:
        data = self.data
        self.at += 1
        code = data[self.at] if self.at < len(data) else -1
        if code in _SIMPLE_ESCAPES:
            self.at += 1
            return _SIMPLE_ESCAPES[code]
        if code in (0x0A, 0x0D):  # an escaped line break is a line break
            pair = data[self.at : self.at + 2]
            self.at += 2 if pair in (b"\r\n", b"\n\r") else 1
            return b"\n"
        if code == ord("z"):
            match = _Z_SPACE.match(data, self.at + 1)
            self.at = match.end() if match else self.at + 1
            return b""
        if code == ord("x"):
            digits = data[self.at + 1 : self.at + 3]
            if not re.fullmatch(rb"[0-9a-fA-F]{2}", digits):
                raise self.fail("a \\x escape without two hex digits")
            self.at += 3
            return bytes([int(digits, 16)])
        if code == ord("u"):
            match = _BRACED_HEX.match(data, self.at + 1)
            if match is None or int(match.group(1), 16) >= 0x80000000:
                raise self.fail("a malformed \\u{...} escape")
            self.at = match.end()
            return _utf8(int(match.group(1), 16))
        match = _DECIMAL.match(data, self.at)
        if match is None or int(match.group()) > 255:
            raise self.fail("an unknown escape in a string")
        self.at = match.end()
        return bytes([int(match.group())])

    def table(self, depth: int) -> list[Any] | dict[Any, Any]:
        if depth > MAX_DEPTH:
            raise self.fail(f"tables nested more than {MAX_DEPTH} deep")
        self.expect(b"{")
        fields: dict[Any, Any] = {}
        position = 1
        while self.peek() != b"}":
            key, value, position = self.field(depth, position)
            if value is not None:  # `key = nil` leaves no field, as in Lua
                fields[key] = value
            if self.peek() in (b",", b";"):
                self.at += 1
            elif self.peek() != b"}":
                raise self.fail("expected ',' or '}' after a table field")
        self.at += 1
        if fields and list(fields) == list(range(1, len(fields) + 1)):
            return list(fields.values())
        return fields

    def field(self, depth: int, position: int) -> tuple[Any, Any, int]:
        if self.peek() == b"[" and not _LONG_OPEN.match(self.data, self.at):
            self.at += 1
            key = self.value(depth)
            self.expect(b"]")
            self.expect(b"=")
            if key is None or (isinstance(key, float) and math.isnan(key)):
                raise self.fail("a table key that is nil or NaN")
            if isinstance(key, float) and key.is_integer():
                key = int(key)
            return key, self.value(depth), position
        word = _NAME.match(self.data, self.at)
        if word and word.group() not in _KEYWORDS:
            self.at = word.end()
            if self.peek() == b"=":
                self.at += 1
                return word.group().decode(), self.value(depth), position
            raise self.fail(f"a name ({word.group().decode()}) where a value was expected")
        return position, self.value(depth), position + 1


def _utf8(code: int) -> bytes:
    """Lua's \\u{...}: UTF-8 of any value below 2^31, surrogates and all (as Lua writes it)."""
    if code < 0x80:
        return bytes([code])
    limits = ((0x800, 2, 0xC0), (0x10000, 3, 0xE0), (0x200000, 4, 0xF0), (0x4000000, 5, 0xF8))
    length, lead = next(((n, first) for top, n, first in limits if code < top), (6, 0xFC))
    tail = [0x80 | ((code >> (6 * i)) & 0x3F) for i in range(length - 1)]
    return bytes([lead | (code >> (6 * (length - 1))), *reversed(tail)])


def parse(data: bytes | str) -> Any:
    """The value of a Lua data file (`return <value>` or a bare value)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    reader = _Reader(raw.removeprefix(b"\xef\xbb\xbf"))
    if reader.data.startswith(b"#"):  # a shebang line, as Lua allows
        reader.at = reader.data.find(b"\n") if b"\n" in reader.data else len(reader.data)
    reader.skip()
    if re.compile(rb"return\b").match(reader.data, reader.at):
        reader.at += len(b"return")
    value = reader.value(0)
    if reader.peek() == b";":
        reader.at += 1
    if reader.peek():
        raise reader.fail("unexpected text after the table")
    return value
