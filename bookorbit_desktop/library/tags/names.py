"""The rule for a tag's name, as plain functions.

A name is trimmed, its runs of white space made one space, and composed (Unicode NFC), so that
what looks the same is the same. It holds no control character and no comma (the comma
separates tags where they are typed as one line), and is at most `MAX_LENGTH` characters. Two
names that differ only in case are one tag (`key`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bookorbit_desktop.errors import InvalidValueError

MAX_LENGTH = 100
SEPARATOR = ","


def check_tag(text: str) -> str:
    """The tag name `text` stands for; InvalidValueError saying why when it is none."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise InvalidValueError("A tag needs a name.")
    if SEPARATOR in name:
        raise InvalidValueError(
            f"“{name}”: a tag cannot hold a comma (commas separate tags). Use another sign."
        )
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise InvalidValueError(f"A tag cannot hold control characters ({name!r}).")
    if len(name) > MAX_LENGTH:
        raise InvalidValueError(
            f"A tag is at most {MAX_LENGTH} characters; “{name[:20]}…” has {len(name)}."
        )
    return name


def key(name: str) -> str:
    """What two names of one tag share: names that differ only in case are one tag."""
    return name.casefold()


def parse_tags(text: str) -> list[str]:
    """The tags typed as one line, separated by commas (empty parts skipped, one of each)."""
    return unique(check_tag(part) for part in text.split(SEPARATOR) if part.strip())


def unique(names: Iterable[str]) -> list[str]:
    """`names` without repeats (regardless of case), the first spelling kept, in order."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(key(name), name)
    return list(seen.values())


def ordered(names: Iterable[str]) -> list[str]:
    """Tags in the order they are shown: alphabetical regardless of case."""
    return sorted(names, key=lambda name: (key(name), name))


def joined(names: Iterable[str]) -> str:
    """Tags as one line of text, as they are typed."""
    return ", ".join(names)
