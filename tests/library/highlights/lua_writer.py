"""Writing Python values as Lua data, for test fixtures: sidecars as KOReader saves them, and
the odd shapes (every escape, long strings, comments) a hand-edited file may hold."""

from __future__ import annotations

import math
from typing import Any


def lua_string(text: str, style: str = "quoted") -> str:
    """`text` as a Lua string literal: "quoted" (escapes), "decimal" (\\ddd for every
    non-ASCII byte), or "long" (a long bracket with enough `=` signs)."""
    if style == "long":
        level = 0
        while f"]{'=' * level}]" in text + "]":
            level += 1
        return f"[{'=' * level}[\n{text}]{'=' * level}]"
    out = bytearray(b'"')
    for byte in text.encode("utf-8"):
        if byte in b'"\\':
            out += b"\\" + bytes([byte])
        elif byte == 10:
            out += b"\\n"
        elif byte < 32 or byte == 127 or (style == "decimal" and byte > 127):
            out += f"\\{byte:03d}".encode()
        else:
            out.append(byte)
    return (out + b'"').decode("utf-8")


def lua_value(value: Any, indent: str = "", style: str = "quoted") -> str:
    if value is None:
        return "nil"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)
    if isinstance(value, str):
        return lua_string(value, style)
    inner = indent + "    "
    if isinstance(value, list):
        items = [f"{inner}[{i}] = {lua_value(v, inner, style)}," for i, v in enumerate(value, 1)]
    else:
        items = []
        for key, item in value.items():
            shown = f"[{lua_value(key, inner, style)}]" if not _is_name(key) else key
            items.append(f"{inner}{shown} = {lua_value(item, inner, style)},")
    return "{\n" + "\n".join(items) + f"\n{indent}}}"


def _is_name(key: Any) -> bool:
    return (
        isinstance(key, str)
        and key.isidentifier()
        and key.isascii()
        and key not in ("true", "false", "nil", "and", "or", "not", "end", "return")
    )


def lua_file(value: Any, style: str = "quoted") -> str:
    """A settings file as KOReader writes one (a comment line, then `return {...}`)."""
    return f"-- we can read Lua syntax here!\nreturn {lua_value(value, '', style)}\n"
