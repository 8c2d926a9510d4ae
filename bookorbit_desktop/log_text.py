"""Text that arrived over the network, made safe to write into a log line.

Any field a device sends (a user name, a title, a device name, a path) may hold newlines,
carriage returns or terminal escape codes. Written raw, one request could forge whole log
lines or recolour the terminal of whoever reads the log. `for_log` quotes the text and escapes
every control and format character (Unicode categories Cc, Cf, Zl, Zp), and cuts long text
short saying how long it was. A base module: every layer takes it (the channels, the statistics
import, the window's services), and it imports nothing but the standard library.
"""

from __future__ import annotations

import unicodedata

SHOWN_CHARACTERS = 80  # characters of one network field that reach a log line


def _escaped(char: str) -> str:
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if char == "\\":
        return "\\\\"
    return char


def for_log(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """`value` as a log line may show it: quoted, control characters escaped, at most `limit`
    characters of it (then its length)."""
    text = value if isinstance(value, str) else str(value)
    shown = "".join(_escaped(char) for char in text[:limit])
    if len(text) > limit:
        return f"'{shown}'... ({len(text)} characters)"
    return f"'{shown}'"
