"""Normalising titles, author names and languages so a local book and a Hardcover book compare.

Pure functions. A title is split into what identifies the work (`core`), its subtitle, the
volume it claims ("Vol. 2", "Book Two", "#2", "第2巻"), whether it is an omnibus, and format
words ("manga", "light novel", "audiobook"); noise such as "A Novel", series suffixes like
"(The Expanse #2)", leading articles, diacritics, punctuation and full-width forms is removed.
Non-Latin titles keep their letters: folding must never turn a Korean or Malayalam title into
an empty string. Similarities are rapidfuzz ratios in 0..1.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bookorbit_desktop.hardcover.matching.volumes import (
    FORMAT_COMIC,
    FORMAT_PROSE,
    Volume,
    extract_volume,
    find_formats,
    is_omnibus,
    parse_number,
    spell_numbers_as_digits,
    strip_format_words,
)
from bookorbit_desktop.library.metadata.languages import base_language
from bookorbit_desktop.library.metadata.languages import normalize_language as _language_tag

__all__ = [
    "FORMAT_COMIC",
    "FORMAT_PROSE",
    "Person",
    "TitleParts",
    "fold",
    "normalize_language",
    "parse_person",
    "parse_title",
    "person_similarity",
    "spell_numbers_as_digits",
    "split_authors",
    "text_similarity",
    "title_similarity",
]

# Letters that NFKD does not decompose into a base letter plus a mark.
_SPECIAL_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ё": "е"}
)
_APOSTROPHES = "'’‘ʼ`´"
_SPACES = re.compile(r"\s+")
# Leading articles, any of the languages books commonly come in; both sides lose them alike.
_ARTICLES = frozenset(
    {"the", "a", "an", "der", "die", "das", "ein", "eine", "le", "la", "les", "un", "une", "el",
     "los", "las", "il", "lo", "gli", "uno", "una", "de", "het", "een", "o", "os", "um", "uma"}
)  # fmt: skip
_ELIDED_ARTICLE = re.compile(r"^(?:l|d)[" + _APOSTROPHES + r"]\s*", re.IGNORECASE)
_TRAILING_ARTICLE = re.compile(r",\s*(the|a|an|der|die|das|le|la|les|el)\s*$", re.IGNORECASE)
# Subtitles that say nothing about which book it is.
# Compared after the leading article is gone ("A Memoir" -> "memoir").
_GENRE_SUBTITLES = frozenset(
    {"novella", "thriller", "mystery", "roman", "novela", "romanzo", "memoir", "love story",
     "kriminalroman", "stories", "short stories", "a novel"}
)  # fmt: skip
_BRACKETS = re.compile(r"[(\[{【〔]([^()\[\]{}【】〔〕]*)[)\]}】〕]")
_SUBTITLE_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|;)\s*")
_NUMBER_TOKEN = re.compile(r"^\d+(?:\.\d+)?$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _is_latin_base(char: str) -> bool:
    return char.isalpha() and (ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF)


def fold(text: str) -> str:
    """Lowercase, ASCII-folded (for Latin letters), punctuation-free text with single spaces.

    Non-Latin scripts keep their letters and marks. If nothing but punctuation was there, the
    casefolded text is returned instead of an empty string.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SPECIAL_LETTERS)
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    text = text.replace("&", " and ")
    out: list[str] = []
    previous = ""
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category == "Mn":
            if not _is_latin_base(previous):
                out.append(char)  # marks are part of other scripts' letters
            continue  # a diacritic on a Latin letter: "é" compares as "e"
        previous = char
        out.append(" " if category[0] in "PSZC" else char)
    folded = _SPACES.sub(" ", unicodedata.normalize("NFC", "".join(out))).strip()
    return folded or _SPACES.sub(" ", text).strip()


def _compact(text: str) -> str:
    # Japanese, Chinese and Korean titles are written without (or with arbitrary) spaces.
    return text.replace(" ", "") if _CJK.search(text) else text


def text_similarity(a: str, b: str) -> float:
    """Similarity of two folded strings, 0..1 (Indel ratio)."""
    if not a or not b:
        return 0.0
    from rapidfuzz import fuzz  # loaded with the first match, not with the window

    return fuzz.ratio(_compact(a), _compact(b)) / 100.0


def _drop_article(folded: str) -> str:
    head, _, rest = folded.partition(" ")
    return rest if rest and head in _ARTICLES else folded


def _numbers(folded: str) -> frozenset[float]:
    found: set[float] = set()
    for position, token in enumerate(folded.split()):
        if _NUMBER_TOKEN.match(token):
            found.add(float(token))
        elif position > 0 and len(token) > 1:
            value = parse_number(token, words=False)
            if value is not None:
                found.add(value)
    return frozenset(found)


@dataclass(frozen=True)
class TitleParts:
    """A title taken apart for comparison (all text folded)."""

    core: str  # the main title: no subtitle, volume marker, series suffix or leading article
    subtitle: str  # "" when there is none
    volume: Volume | None  # the volume the title names, if any
    omnibus: bool  # "Omnibus", "Box Set", "Books 1-3", "Vol. 1-3", "Trilogy", ...
    formats: frozenset[str]  # FORMAT_COMIC / FORMAT_PROSE / FORMAT_AUDIO words found
    series_hint: str  # series named in a suffix like "(The Expanse #2)", folded; "" if none
    numbers: frozenset[float]  # numbers left in the core ("Fahrenheit 451" -> {451})
    trailing_number: float | None  # "Berserk 2": a bare number that may be a volume

    def core_without_trailing_number(self) -> str:
        if self.trailing_number is None:
            return self.core
        return self.core.rsplit(" ", 1)[0]


def _take_brackets(text: str) -> tuple[str, list[str]]:
    segments: list[str] = []

    def keep(match: re.Match[str]) -> str:
        segments.append(match.group(1).strip())
        return " "

    stripped = _BRACKETS.sub(keep, text)
    if not stripped.strip() and segments:  # the whole title was in brackets
        return " ".join(segments), []
    return stripped, segments


def parse_title(title: str, subtitle: str | None = None) -> TitleParts:
    """Take a title (and an optional separate subtitle) apart for comparison."""
    text = unicodedata.normalize("NFKC", title or "").strip()
    text, segments = _take_brackets(text)
    volume: Volume | None = None
    omnibus = False
    formats: set[str] = set()
    series_hint = ""
    for segment in segments:
        formats |= find_formats(segment)
        found, rest = extract_volume(segment, bare=True)
        if found is not None:
            volume = volume or found
            omnibus = omnibus or found.is_range
            if not series_hint and rest:
                series_hint = fold(rest)
        elif is_omnibus(segment, strict=True):
            omnibus = True
    if subtitle:
        text = f"{text}: {unicodedata.normalize('NFKC', subtitle)}"
    found, text = extract_volume(text)
    if found is not None:
        volume = found
        omnibus = omnibus or found.is_range
    parts = _SUBTITLE_SPLIT.split(text.strip(), maxsplit=1)
    main = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    main_formats, sub_formats = find_formats(main), find_formats(sub)
    formats |= main_formats | sub_formats
    # A subtitle's "Collection" ("Story Collection") names no bundle of the series' books.
    omnibus = omnibus or is_omnibus(main) or is_omnibus(sub, strict=True)
    main = _ELIDED_ARTICLE.sub("", _TRAILING_ARTICLE.sub("", main.strip(" ,.-")))
    core = spell_numbers_as_digits(_drop_article(fold(_strip_format_words(main, main_formats))))
    sub_folded = (
        spell_numbers_as_digits(_drop_article(fold(_strip_format_words(sub, sub_formats))))
        if sub.strip()
        else ""
    )
    if sub_folded in _GENRE_SUBTITLES or sub_folded in _ARTICLES or not sub.strip():
        sub_folded = ""
    if not core and sub_folded:  # "Vol. 2: The Real Title"
        core, sub_folded = sub_folded, ""
    if not core:  # the title was nothing but a marker ("Book 2"): compare it whole
        core = fold(title or "")
    tokens = core.split()
    trailing = float(tokens[-1]) if len(tokens) > 1 and _NUMBER_TOKEN.match(tokens[-1]) else None
    return TitleParts(
        core=core,
        subtitle=sub_folded,
        volume=volume,
        omnibus=omnibus,
        formats=frozenset(formats),
        series_hint=series_hint,
        numbers=_numbers(core),
        trailing_number=trailing,
    )


def _strip_format_words(text: str, formats: frozenset[str]) -> str:
    return strip_format_words(text) if formats else text


# How much a title comparison loses when only one side has a subtitle, or when one side's
# subtitle is the other's title ("Mistborn: The Final Empire" vs "The Final Empire").
SUBTITLE_ONE_SIDED_PENALTY = 0.03
SUBTITLE_AS_TITLE_PENALTY = 0.06
# With subtitles on both sides the main title dominates, the subtitle still counts.
SUBTITLE_WEIGHT = 0.25


def title_similarity(a: TitleParts, b: TitleParts) -> float:
    """How alike two titles are, 0..1, ignoring subtitles' noise and volume markers."""
    a_core, b_core = a.core, b.core
    # "Berserk 2" against "Berserk, Vol. 2": the bare number is the volume.
    if a.volume is None and b.volume is not None and a.trailing_number == b.volume.number:
        a_core = a.core_without_trailing_number()
    if b.volume is None and a.volume is not None and b.trailing_number == a.volume.number:
        b_core = b.core_without_trailing_number()
    core = text_similarity(a_core, b_core)
    full = text_similarity(f"{a_core} {a.subtitle}".strip(), f"{b_core} {b.subtitle}".strip())
    if a.subtitle and b.subtitle:
        both = (1 - SUBTITLE_WEIGHT) * core + SUBTITLE_WEIGHT * text_similarity(
            a.subtitle, b.subtitle
        )
        best = max(full, both)
    elif a.subtitle or b.subtitle:
        best = max(full, core - SUBTITLE_ONE_SIDED_PENALTY)
    else:
        best = core
    swapped = max(text_similarity(a.subtitle, b_core), text_similarity(a_core, b.subtitle))
    return max(0.0, best, swapped - SUBTITLE_AS_TITLE_PENALTY)


# ------------------------------------------------------------------------------- authors

_AUTHOR_SPLIT = re.compile(r"\s*(?:;|&|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|/|\n)\s*")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "dr"})
_GLUED_INITIALS = re.compile(r"^[A-Z]{2,3}$")
_FAMILY_PARTICLES = frozenset(
    {"le", "la", "du", "de", "des", "van", "von", "der", "den", "da", "di", "del", "della", "ten",
     "ter", "zu", "dos", "das", "st"}
)  # fmt: skip


def split_authors(text: str) -> list[str]:
    """One contributor string ("Neil Gaiman & Terry Pratchett") as separate names."""
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(text or ""):
        part = part.strip(" ,")
        if not part:
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) >= 2 and all(_full_name(p) for p in pieces):
            names.extend(pieces)  # "Neil Gaiman, Terry Pratchett"
        else:
            names.append(part)  # "Le Guin, Ursula K.", "King, Jr."
    return names


def _full_name(piece: str) -> bool:
    """True for "Terry Pratchett"; False for a family name or given names alone."""
    tokens = fold(piece).split()
    if len(tokens) < 2 or tokens[0] in _FAMILY_PARTICLES:
        return False  # "King", "Le Guin"
    return len(tokens[-1]) > 1 and tokens[-1] not in _NAME_SUFFIXES  # not "Ursula K."


@dataclass(frozen=True)
class Person:
    """A person's name as folded tokens: given names (maybe initials) and the family name."""

    given: tuple[str, ...]
    family: str

    @property
    def tokens(self) -> tuple[str, ...]:
        return (*self.given, self.family)

    @property
    def compact(self) -> str:
        return "".join(self.tokens).replace(" ", "")


def parse_person(name: str) -> Person | None:
    """ "Tolkien, J.R.R.", "J. R. R. Tolkien" and "JRR Tolkien" all give (j, r, r) tolkien."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if "," in text:
        family, _, given = text.partition(",")
        given_tokens = fold(given).split()
        if given_tokens and not all(t in _NAME_SUFFIXES for t in given_tokens):
            text = f"{given} {family}"  # "Last, First"
        else:
            text = family
    raw_tokens = text.replace(".", ". ").split()
    expanded: list[str] = []
    for index, token in enumerate(raw_tokens):
        bare = token.strip(".")
        if index < len(raw_tokens) - 1 and _GLUED_INITIALS.match(bare):
            expanded.extend(bare)  # "JRR" -> J R R
        else:
            expanded.append(token)
    tokens = [t for t in fold(" ".join(expanded)).split() if t not in _NAME_SUFFIXES]
    if not tokens:
        return None
    family = tokens.pop()
    while tokens and tokens[-1] in _FAMILY_PARTICLES:  # "Le Guin", "du Maurier", "van der Berg"
        family = f"{tokens.pop()} {family}"
    return Person(given=tuple(tokens), family=family)


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """1.0 same given names, 0.95 compatible (initials or missing middle names), None clash."""
    if not a or not b:
        return 0.9  # one side gives the family name only
    if a == b:
        return 1.0
    for x, y in zip(a, b, strict=False):
        if x == y:
            continue
        if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
            continue
        return None
    return 0.95


# Family names at least this alike count as the same (transliteration: Dostoevsky/Dostoyevsky).
FAMILY_NAME_MIN = 0.88


def person_similarity(a: Person, b: Person) -> float:
    """How surely two names are the same person, 0..1."""
    if a.compact == b.compact:
        return 1.0
    if sorted(a.tokens) == sorted(b.tokens):
        return 0.97  # "Murakami Haruki" / "Haruki Murakami"
    family = text_similarity(a.family, b.family)
    if family >= FAMILY_NAME_MIN:
        given = _given_compatible(a.given, b.given)
        if given is None:
            return 0.3  # same family name, different person ("Frank" vs "Brian Herbert")
        return round(given * (1.0 if family == 1.0 else 0.97), 4)
    from rapidfuzz import fuzz

    return 0.9 * fuzz.token_sort_ratio(" ".join(a.tokens), " ".join(b.tokens)) / 100.0


# ------------------------------------------------------------------------------- languages


def normalize_language(value: str | None) -> str | None:
    """The base language code for comparisons: "en-US", "eng", "English" -> "en"."""
    return base_language(_language_tag(value))
