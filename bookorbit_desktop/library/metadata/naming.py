"""Pure text rules for titles and names: sort keys, titles from file names (an author's sort
text is `author_sort`'s).

Every function keeps non-Latin text intact: a Korean or Malayalam title must never come out
empty because a rule only knew about ASCII.
"""

from __future__ import annotations

import re

from bookorbit_desktop.library.metadata.languages import base_language

# Leading articles moved to the end of a sort title, per language. English is also used when
# a book names no language, which is the most common case for untagged files.
_ARTICLES: dict[str, tuple[str, ...]] = {
    "en": ("the", "a", "an"),
    "de": ("der", "die", "das", "ein", "eine"),
    "fr": ("les", "le", "la", "l'", "l’", "un", "une"),
    "es": ("los", "las", "el", "la", "un", "una"),
    "it": ("gli", "il", "lo", "la", "le", "i", "l'", "l’", "un", "una", "uno"),
    "nl": ("de", "het", "een"),
    "pt": ("os", "as", "o", "a", "um", "uma"),
}
_WHITESPACE = re.compile(r"\s+")
_SORT_TRIM = "\"'“”‘’«»„¿¡()[] "
# Compound extensions first: "x.fb2.zip" and "x.kepub.epub" are one extension each.
_EXTENSION = re.compile(r"(\.kepub\.epub|\.fb2\.zip|\.[A-Za-z0-9]{1,5})$", re.IGNORECASE)
_BRACKETED = re.compile(r"\[[^\]]*\]|\{[^}]*\}")
# Parenthesised years, editions and download-site tags say nothing about the title.
_NOISE_PARENS = re.compile(
    r"\((?:\d{4}|[^)]*(?:edition|ed\.|retail|ebook|epub|z-lib|libgen|\.org|\.com)[^)]*)\)",
    re.IGNORECASE,
)


# Every character of Unicode's categories Cc (controls), Zl and Zp (line and paragraph
# separators), which a one-line value never holds.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(value: str | None) -> str | None:
    """`value` with whitespace collapsed and control characters removed; None when empty."""
    if value is None:
        return None
    text = _CONTROLS.sub(" ", value).replace("\u00ad", "")
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


# "Live Systems Project <list@example.org>": the address is not part of the name.
_EMAIL = re.compile(r"\s*<[^<>@\s]+@[^<>\s]+>\s*")
# "Jay Rubin (Translator)": a role written after the name, as MARC relator codes.
_ROLE_SUFFIX = re.compile(r"\s*[(\[]\s*([A-Za-z][A-Za-z .-]*?)\s*[)\]]\s*$")
_ROLES = {
    "author": "aut", "writer": "aut", "translator": "trl", "translated by": "trl",
    "trans.": "trl", "tr.": "trl", "illustrator": "ill", "illustrated by": "ill",
    "editor": "edt", "ed.": "edt", "eds.": "edt", "adapter": "adp", "adaptation": "adp",
    "narrator": "nrt", "artist": "art", "foreword": "aui", "introduction": "aui",
}  # fmt: skip


def creator_name(value: str) -> tuple[str, str | None]:
    """A creator field as (name, MARC role written after it, or None).

    "Live Systems Project <list@example.org>" -> ("Live Systems Project", None), as calibre
    reads it; "Jay Rubin (Translator)" -> ("Jay Rubin", "trl"). Brackets that name no role
    ("Prince (Musician)") stay part of the name.
    """
    text = _EMAIL.sub(" ", value)
    text = _WHITESPACE.sub(" ", text).strip() or _WHITESPACE.sub(" ", value).strip()
    match = _ROLE_SUFFIX.search(text)
    role = _ROLES.get(match.group(1).casefold()) if match else None
    if match and role and text[: match.start()].strip():
        return text[: match.start()].strip(), role
    return text, None


def sort_title(title: str, language: str | None = None) -> str:
    """The key books are ordered by: case-folded, leading article moved to the end.

    "The Hobbit" -> "hobbit, the". Only the book's own language's articles are moved, so
    "Die Hard" in English and "A Casa" in Portuguese each stay sensible.
    """
    text = _WHITESPACE.sub(" ", title).strip(_SORT_TRIM)
    folded = text.casefold() or title.casefold().strip()
    articles = _ARTICLES.get(base_language(language) or "en", ())
    for article in articles:
        elided = article.endswith(("'", "’"))
        prefix = article if elided else article + " "
        if folded.startswith(prefix) and len(folded) > len(prefix):
            rest = folded[len(prefix) :].strip()
            return f"{rest}, {article.rstrip(chr(39) + '’')}" if rest else folded
    return folded


def strip_extension(file_name: str) -> str:
    """The file name without its (possibly compound) extension."""
    return _EXTENSION.sub("", file_name) or file_name


def title_from_filename(file_name: str) -> str:
    """A readable title from a file name, for books that carry none.

    "The_Great_Gatsby_(2004)_[retail].epub" -> "The Great Gatsby". Author and title order in
    file names differs between tools, so the name is not split into author and title.
    """
    stem = strip_extension(file_name)
    text = _BRACKETED.sub(" ", stem)
    text = _NOISE_PARENS.sub(" ", text)
    text = text.replace("_", " ")
    if " " not in text.strip() and text.count(".") >= 2:
        text = text.replace(".", " ")  # "The.Great.Gatsby"
    text = _WHITESPACE.sub(" ", text).strip(" -–—.,;")
    return text or stem.strip() or file_name
