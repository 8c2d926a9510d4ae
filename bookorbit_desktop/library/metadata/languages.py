"""Language tags: `en`, `en-US`, `eng`, `pt_BR` and friends normalised to one BCP 47 form.

Books carry ISO 639-1 and 639-2 codes, underscores, any case and regions nobody needs. We keep
the shortest standard language code, the script when given (`zh-Hant`, `sr-Latn`) and the region
only for languages whose regional editions readers treat as different books.
"""

from __future__ import annotations

from collections.abc import Iterable

# Brazilian and European Portuguese, and Chinese of the mainland and of Taiwan/Hong Kong, are
# separate editions (spelling, vocabulary, script); an "en-US" book is just English.
REGION_MATTERS = frozenset({"pt", "zh"})
# Codes that say "no language" rather than naming one.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
# The English names of the languages books come in, by code (shown to people: "another
# edition: English, not German"); any other code is shown as it is.
_ENGLISH_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "pl": "Polish", "ja": "Japanese",
    "zh": "Chinese", "cmn": "Mandarin Chinese", "yue": "Cantonese", "ko": "Korean",
    "no": "Norwegian", "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk", "sv": "Swedish",
    "da": "Danish", "fi": "Finnish", "is": "Icelandic", "he": "Hebrew", "yi": "Yiddish",
    "ar": "Arabic", "fa": "Persian", "tr": "Turkish", "el": "Greek", "cs": "Czech",
    "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "uk": "Ukrainian",
    "be": "Belarusian", "sr": "Serbian", "hr": "Croatian", "bs": "Bosnian", "sl": "Slovenian",
    "mk": "Macedonian", "sq": "Albanian", "ca": "Catalan", "eu": "Basque", "gl": "Galician",
    "ga": "Irish", "cy": "Welsh", "gd": "Scottish Gaelic", "la": "Latin", "eo": "Esperanto",
    "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "hi": "Hindi", "bn": "Bengali",
    "ta": "Tamil", "te": "Telugu", "ur": "Urdu", "th": "Thai", "vi": "Vietnamese",
    "id": "Indonesian", "ms": "Malay", "tl": "Tagalog", "sw": "Swahili", "af": "Afrikaans",
    "hy": "Armenian", "ka": "Georgian", "az": "Azerbaijani", "kk": "Kazakh", "uz": "Uzbek",
    "mn": "Mongolian", "ne": "Nepali",
}  # fmt: skip
# Some generators write the language's English name instead of a code.
_NAMES = {name.casefold(): code for code, name in _ENGLISH_NAMES.items()}
# The two-letter codes above that are their own tidy tag (langcodes writes Tagalog "fil"): most
# books carry one of them, alone or with a region, and are tagged without loading langcodes.
_PLAIN_CODES = frozenset(code for code in _ENGLISH_NAMES if len(code) == 2) - {"tl"}
# ISO 639-3 macrolanguages and the individual languages of theirs that books are tagged with:
# a book in "nb" (Norwegian Bokmål) is a book in "no" (Norwegian), and one in "cmn" (Mandarin)
# one in "zh". Two individual languages of one macrolanguage stay apart: Bokmål and Nynorsk
# are two written standards, Mandarin and Cantonese two languages. Indonesian, although ISO
# counts it under Malay, is kept apart too: its books are other editions than Malaysia's.
# (Retired codes, "iw" for "he", "in" for "id", "ji" for "yi", are mapped by langcodes.)
_MACROLANGUAGES = {
    "no": ("nb", "nn"),
    "zh": ("cmn", "yue", "wuu", "hak", "nan", "gan", "hsn", "lzh"),
    "ms": ("zsm",),
    "ar": ("arb",),
    "fa": ("pes", "prs"),
    "sw": ("swh", "swc"),
    "et": ("ekk",),
    "lv": ("lvs",),
    "uz": ("uzn",),
    "az": ("azj",),
    "sq": ("als",),
    "mn": ("khk",),
    "ne": ("npi",),
    "yi": ("ydd",),
}
_MACROLANGUAGE_OF = {
    member: macro for macro, members in _MACROLANGUAGES.items() for member in members
}


def normalize_language(value: str | None) -> str | None:
    """A tidy BCP 47 tag for `value`, or None when it names no language."""
    if not value:
        return None
    text = value.strip().replace("_", "-")
    text = _NAMES.get(text.casefold(), text)
    plain = _plain_tag(text)
    if plain is not None:
        return plain
    if not text or len(text) > 64:
        return None
    # Loaded on first use: its tables and patterns take a fifth of a second or more to load,
    # more than importing a book.
    import langcodes

    try:
        tag = langcodes.Language.get(text, normalize=True)
    except (langcodes.LanguageTagError, ValueError):
        return None
    if tag.language is None or tag.language in _NOT_A_LANGUAGE or tag.language.startswith("x"):
        return None
    kept = langcodes.Language.make(
        language=tag.language,
        script=tag.script,
        territory=tag.territory if tag.language in REGION_MATTERS else None,
    )
    return kept.simplify_script().to_tag()


def normalize_languages(values: Iterable[str | None]) -> list[str]:
    """The tidy tags of `values` in order, each once, those that name no language left out
    (a bilingual book's "eng", "fre": ["en", "fr"])."""
    return list(dict.fromkeys(tag for value in values if (tag := normalize_language(value))))


def _plain_tag(text: str) -> str | None:
    """The tag of `text` when it is one of `_PLAIN_CODES`, alone or with a two-letter region
    that does not matter for its language ("en", "DE", "fr-CA"): what langcodes would give.
    None for anything else, which langcodes reads."""
    language, dash, region = text.partition("-")
    language = language.lower()
    if language not in _PLAIN_CODES:
        return None
    if not dash:
        return language
    if language in REGION_MATTERS or len(region) != 2 or not region.isascii():
        return None
    return language if region.isalpha() else None


def base_language(tag: str | None) -> str | None:
    """The language part of a normalised tag (`pt-BR` -> `pt`), for comparisons."""
    if not tag:
        return None
    return tag.split("-", 1)[0]


def same_base_language(a: str, b: str) -> bool:
    """Whether two language codes (the language part of normalised tags) name one language:
    the same code, or one is the other's macrolanguage ("nb" and "no"; not "nb" and "nn")."""
    return a == b or _MACROLANGUAGE_OF.get(a) == b or _MACROLANGUAGE_OF.get(b) == a


def language_name(tag: str | None) -> str | None:
    """The English name of a tag's language ("de" -> "German", "nb" -> "Norwegian Bokmål",
    "iw" -> "Hebrew"), else the code itself; None for no language."""
    base = base_language(normalize_language(tag))
    if base is None:
        return None
    return _ENGLISH_NAMES.get(base, base)


def language_label(tag: str) -> str:
    """A stored language as people read it: its English name, with the region or script the
    tag keeps ("French", "Portuguese (BR)", "Chinese (Hant)"); a code with no known name as it
    is."""
    name = language_name(tag)
    if name is None:
        return tag
    _base, dash, rest = (normalize_language(tag) or tag).partition("-")
    return f"{name} ({rest})" if dash and name != tag else name
