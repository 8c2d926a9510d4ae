"""Volume numbers, omnibus markers and format words found in book titles.

Pure functions used by `normalize.parse_title`. Only explicit markers count as a volume
("Vol. 2", "Volume II", "Book Two", "#2", "Tome 3", "Band 4", "Том 5", "2巻", "第2巻", "3권"):
a bare number is part of the title ("Fahrenheit 451", "1984", "Catch-22"). A range
("Books 1-3", "Vol. 1-3") marks an omnibus, as do words like "Omnibus" and "Box Set".
Number words compare as digits ("Nineteen Eighty-Four" is "1984").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMAT_COMIC = "comic"  # manga, manhwa, comics, graphic novels
FORMAT_PROSE = "prose"  # novels and light novels
FORMAT_AUDIO = "audio"  # audiobooks

_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: float(value) for value, word in enumerate(_WORDS.split(" "))}
_ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

_NUM = r"(\d+(?:[.,]\d+)?|[ivxlc]+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_MARKER = (
    r"(?:vol(?:ume)?s?\.?|v\.(?=\s*\d)|v(?=\d)|books?|bks?\.?|part|pt\.|tome|tomo|band|bd\.|"
    r"teil|livre|libro|volumen|том|книга|кн\.|т\.)"
)
_RANGE = r"(?:\s*(?:-|–|to|&|and|bis|à)\s*" + _NUM + r")?"
_VOLUME = re.compile(
    r"(?:^|(?<=[\s,:;(\[-]))" + _MARKER + r"\s*" + _NUM + _RANGE + r"(?=$|[\s,:;.)\]!?])",
    re.IGNORECASE,
)
_HASH = re.compile(r"#\s*(\d+(?:\.\d+)?)(?:\s*[-–]\s*(\d+(?:\.\d+)?))?")
_CJK_VOLUME = re.compile(r"第?\s*(\d+)\s*[巻卷권冊]")
_BARE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
_LEADING_OF = re.compile(r"^\s*(?:of|aus|de|из)\s+", re.IGNORECASE)

_OMNIBUS = re.compile(
    r"\b(?:omnibus|box(?:ed)?\s*set|boxset|complete\s+(?:series|collection)|trilogy|sammelband|bind-?up|"
    r"int[ée]grale|\d+\s*-?\s*in\s*-?\s*(?:1|one))\b|(?:合本|全巻セット)",
    re.IGNORECASE,
)
_COLLECTION = re.compile(r"\bcollection\b", re.IGNORECASE)

_FORMAT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        FORMAT_COMIC,
        re.compile(
            r"\b(?:manga|manhwa|manhua|comics?|graphic\s+novel|bande\s+dessin[ée]e|webtoon)\b"
            r"|コミックス?|漫画|만화",
            re.IGNORECASE,
        ),
    ),
    (
        FORMAT_PROSE,
        re.compile(
            r"\blight\s+novel\b|(?<!graphic )(?<!visual )\bnovel\b|ライトノベル|小説",
            re.IGNORECASE,
        ),
    ),
    (
        FORMAT_AUDIO,
        re.compile(
            r"\b(?:audio\s*book|audio\s+cd|audible(?:\s+audio)?|mp3\s+cd|unabridged|abridged)\b"
            r"|オーディオブック",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class Volume:
    """A volume number, or a range of them for an omnibus."""

    number: float
    end: float | None = None

    @property
    def is_range(self) -> bool:
        return self.end is not None and self.end != self.number


def parse_number(token: str, *, words: bool = True) -> float | None:
    """A volume number written as digits, a Roman numeral or (with `words`) an English word."""
    text = token.strip().casefold().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if words and text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    if _ROMAN.match(text):
        total = 0
        for char, following in zip(text, [*text[1:], ""], strict=True):
            value = _ROMAN_VALUES[char]
            total += -value if following and _ROMAN_VALUES[following] > value else value
        return float(total)
    return None


def _volume_from(start: str, end: str | None) -> Volume | None:
    first = parse_number(start)
    if first is None:
        return None
    last = parse_number(end) if end else None
    return Volume(first, last if last is not None and last != first else None)


def extract_volume(text: str, *, bare: bool = False) -> tuple[Volume | None, str]:
    """The first volume marker in `text` and the text without it.

    With `bare`, a text that is only a number ("(2)" in a title's brackets) is a volume too.
    """
    if bare:
        match = _BARE.match(text)
        if match:
            return Volume(float(match.group(1))), ""
    for pattern in (_HASH, _VOLUME, _CJK_VOLUME):
        match = pattern.search(text)
        if match is None:
            continue
        groups = [g for g in match.groups()]
        volume = _volume_from(groups[0], groups[1] if len(groups) > 1 else None)
        if volume is None:
            continue
        rest = (text[: match.start()] + " " + text[match.end() :]).strip(" ,:;-–—#.")
        return volume, _LEADING_OF.sub("", rest).strip()
    return None, text


def is_omnibus(text: str, *, strict: bool = False) -> bool:
    """True when `text` announces several books in one ("Box Set", "Omnibus", "Trilogy").

    `strict` (for bracketed remarks) ignores "Collection", which there usually names a
    publisher's line ("Penguin Classics Collection") rather than a bundle.
    """
    if _OMNIBUS.search(text):
        return True
    return not strict and _COLLECTION.search(text) is not None


def find_formats(text: str) -> frozenset[str]:
    """The format words in `text`: FORMAT_COMIC, FORMAT_PROSE and/or FORMAT_AUDIO."""
    return frozenset(kind for kind, pattern in _FORMAT_WORDS if pattern.search(text))


def strip_format_words(text: str) -> str:
    """`text` without its format words ("Dune: The Graphic Novel" -> "Dune: The ")."""
    for _kind, pattern in _FORMAT_WORDS:
        text = pattern.sub(" ", text)
    return text


_UNITS = {word: int(value) for word, value in NUMBER_WORDS.items() if value < 20}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}


def _groups(words: list[str]) -> list[int] | None:
    """Spelled-out numbers below 100 ("nineteen", "eighty four"), or None if not that."""
    groups: list[int] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _TENS:
            value = _TENS[word]
            if index + 1 < len(words) and _UNITS.get(words[index + 1], 0) in range(1, 10):
                value += _UNITS[words[index + 1]]
                index += 1
            groups.append(value)
        elif word in _UNITS:
            groups.append(_UNITS[word])
        else:
            return None
        index += 1
    return groups


def _number_value(words: list[str]) -> int | None:
    """The number a run of number words spells: "one hundred" 100, "nineteen eighty four" 1984."""
    if any(w in _SCALES for w in words):
        total = current = 0
        for word in words:
            if word in _SCALES:
                current = (current or 1) * _SCALES[word]
                if word == "thousand":
                    total, current = total + current, 0
                continue
            part = _groups([word])
            if part is None:
                return None
            current += part[0]
        return total + current
    groups = _groups(words)
    if not groups:
        return None
    if len(groups) == 1:
        return groups[0]
    if len(groups) == 2 and groups[0] >= 10 and (groups[1] >= 10 or groups[1] == 0):
        return groups[0] * 100 + groups[1]  # a year: "nineteen eighty four", "twenty twenty"
    return None


def spell_numbers_as_digits(folded: str) -> str:
    """Number words as digits in folded text: "nineteen eighty four" -> "1984"."""
    tokens = folded.split()
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if token in _UNITS or token in _TENS or (token in _SCALES and run):
            run.append(token)
            continue
        if run:
            value = _number_value(run)
            out.extend([str(value)] if value is not None else run)
            run = []
        if token:
            out.append(token)
    return " ".join(out)
