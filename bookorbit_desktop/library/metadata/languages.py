"""Language tags: `en`, `en-US`, `eng`, `pt_BR` and friends normalised to one BCP 47 form.

Books carry ISO 639-1 and 639-2 codes, underscores, any case and regions nobody needs. We keep
the shortest standard language code, the script when given (`zh-Hant`, `sr-Latn`) and the region
only for languages whose regional editions readers treat as different books.
"""

from __future__ import annotations

# Brazilian and European Portuguese, and Chinese of the mainland and of Taiwan/Hong Kong, are
# separate editions (spelling, vocabulary, script); an "en-US" book is just English.
REGION_MATTERS = frozenset({"pt", "zh"})
# Codes that say "no language" rather than naming one.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
# Some generators write the language's English name instead of a code.
_NAMES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "russian": "ru",
    "polish": "pl",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
}


def normalize_language(value: str | None) -> str | None:
    """A tidy BCP 47 tag for `value`, or None when it names no language."""
    if not value:
        return None
    import langcodes  # loaded on first use: its tables take about 40 ms to load

    text = value.strip().replace("_", "-")
    text = _NAMES.get(text.casefold(), text)
    if not text or len(text) > 64:
        return None
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


def base_language(tag: str | None) -> str | None:
    """The language part of a normalised tag (`pt-BR` -> `pt`), for comparisons."""
    if not tag:
        return None
    return tag.split("-", 1)[0]


def language_name(tag: str | None) -> str | None:
    """The English name of a tag's language for the common ones ("de" -> "German"), else the
    tag itself; None for no language."""
    base = base_language(normalize_language(tag))
    if base is None:
        return None
    return next((name.title() for name, code in _NAMES.items() if code == base), base)
