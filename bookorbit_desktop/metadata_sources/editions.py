"""Whether a source's record is of another edition than the book: the one rule every path
that fills values without asking (Best, Fill Empty Fields, the command line's `--best`) obeys.

A record is another edition when its language or its title disagrees with the book's:

| the book and the record                              | another edition?                   |
|------------------------------------------------------|------------------------------------|
| both name a language, and not the same one           | yes: "English, not German"         |
| ("en", "eng" and "English" are one language; a       |                                    |
| region counts only when both name one: pt-BR, pt-PT) |                                    |
| neither title holds every word of the other          | yes: "title differs"               |
| (case, accents, NFC/NFD, punctuation and articles    |                                    |
| aside: "Der Hobbit" and "The Hobbit" agree, so do    |                                    |
| "Foundation" and "Foundation (Foundation #1)")       |                                    |
| a side has no language, no title or a placeholder    | that side says nothing             |
| title ("Unknown")                                    |                                    |

So a German "Der Hobbit" carrying the ISBN of an English edition gets "English, not German",
and コンビニ人間 with the ISBN of "Convenience Store Woman" gets "title differs" (or its
language, when both name one). Nothing from such a record is filled in automatically; the
user may still tick any of its values by hand. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from bookorbit_desktop.library.metadata.languages import language_name, normalize_language
from bookorbit_desktop.metadata_sources.placeholders import is_empty
from bookorbit_desktop.metadata_sources.records import Candidate

ANOTHER_EDITION = "another edition"
# Words a title in another spelling of the same edition may add or drop: articles of the
# languages books here come in most, and "and".
_IGNORED = frozenset({
    "the", "a", "an", "and", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer",
    "und", "le", "la", "les", "l", "un", "une", "et", "el", "los", "las", "il", "lo", "gli", "i",
    "y", "de", "het", "een",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


def title_words(title: str) -> frozenset[str]:
    """The words of a title as the rule compares them: decomposed and stripped of accents,
    case folded, split at anything not a letter or digit, articles left out."""
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return frozenset(w for w in _WORD.findall(bare) if w not in _IGNORED)


def same_title(local: str, found: str) -> bool:
    """Whether two titles name the same book: one holds every word of the other."""
    mine, theirs = title_words(local), title_words(found)
    if not mine or not theirs:
        return True  # nothing to compare (a title of articles or signs only)
    return mine <= theirs or theirs <= mine


def _language(value: Any) -> str | None:
    return normalize_language(value) if isinstance(value, str) else None


def same_language(local: str, found: str) -> bool:
    """Whether two language tags (or names) name one language: "en", "eng", "English" do;
    a region or script counts only when both give one ("pt-BR" is not "pt-PT", is "pt")."""
    mine, theirs = local.split("-"), found.split("-")
    return mine[0] == theirs[0] and all(a == b for a, b in zip(mine[1:], theirs[1:], strict=False))


def other_edition(local: Mapping[str, Any], candidate: Candidate) -> str | None:
    """Why `candidate` is another edition than the book with the `local` values ("another
    edition: English, not German", "another edition: title differs"); None when it may be the
    book's own (see the table above)."""
    mine, theirs = _language(local.get("language")), _language(candidate.language)
    if mine and theirs and not same_language(mine, theirs):
        said, book = language_name(theirs), language_name(mine)
        if said == book:  # one language, two regions or scripts: name the tags
            said, book = theirs, mine
        return f"{ANOTHER_EDITION}: {said}, not {book}"
    title = local.get("title")
    if (
        isinstance(title, str)
        and not is_empty("title", title)
        and candidate.title
        and not same_title(title, candidate.title)
    ):
        return f"{ANOTHER_EDITION}: title differs"
    return None
