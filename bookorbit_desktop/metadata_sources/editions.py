"""Whether a source's record is of another edition than the book: the one rule every path
that fills values without asking (Best, Fill Empty Fields, the command line's `--best`) obeys.

A record is another edition when its language or its title disagrees with the book's:

| the book and the record                              | another edition?                   |
|------------------------------------------------------|------------------------------------|
| both name a language, and not the same one           | yes: "English, not German"         |
| ("en", "eng" and "English" are one language, so are  |                                    |
| "no" and "nb", a macrolanguage and one of its own;   |                                    |
| "nb" and "nn" are not; a region counts only when     |                                    |
| both name one: pt-BR, pt-PT)                         |                                    |
| the titles are not one book's by the rule title      | yes: "title differs"               |
| searches apply (`source.same_title`): equal with     |                                    |
| case, accents, NFC/NFD, punctuation and a leading    |                                    |
| article aside, or one is the other's main title      |                                    |
| with a subtitle, or the other after a series         |                                    |
| prefix. "Der Hobbit" and "The Hobbit" agree, so do   |                                    |
| "Foundation" and "Foundation (Foundation, #1)";      |                                    |
| "Dune" and "Dune Messiah" do not                     |                                    |
| a side has no language, no title or a placeholder    | that side says nothing             |
| title ("Unknown")                                    |                                    |

So a German "Der Hobbit" carrying the ISBN of an English edition gets "English, not German",
and コンビニ人間 with the ISBN of "Convenience Store Woman" gets "title differs" (or its
language, when both name one). Nothing from such a record is filled in automatically; the
user may still tick any of its values by hand. Find Duplicates asks the same of two books
(`edition_difference`): a German and an English "Hobbit" sharing an ISBN are two editions, never
offered as one book. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bookorbit_desktop.library.metadata.languages import (
    language_name,
    normalize_language,
    same_base_language,
)
from bookorbit_desktop.metadata_sources.placeholders import is_empty
from bookorbit_desktop.metadata_sources.records import Candidate
from bookorbit_desktop.metadata_sources.source import same_title, title_key

ANOTHER_EDITION = "another edition"


def _language(value: Any) -> str | None:
    return normalize_language(value) if isinstance(value, str) else None


def same_language(local: str, found: str) -> bool:
    """Whether two language tags (or names) name one language: "en", "eng", "English" do, so
    do a macrolanguage and one of its languages ("no" and "nb", "zh" and "cmn") and a retired
    code and its successor ("iw" and "he"); "nb" and "nn" do not. A region or script counts
    only when both give one ("pt-BR" is not "pt-PT", is "pt")."""
    mine = (normalize_language(local) or local).split("-")
    theirs = (normalize_language(found) or found).split("-")
    return same_base_language(mine[0], theirs[0]) and all(
        a == b for a, b in zip(mine[1:], theirs[1:], strict=False)
    )


def other_edition(local: Mapping[str, Any], candidate: Candidate) -> str | None:
    """Why `candidate` is another edition than the book with the `local` values ("another
    edition: English, not German", "another edition: title differs"); None when it may be the
    book's own (see the table above)."""
    return edition_difference(local, {"title": candidate.title, "language": candidate.language})


def edition_difference(local: Mapping[str, Any], found: Mapping[str, Any]) -> str | None:
    """Why the values `found` (a record's, another book's: "title", "language") are of another
    edition than the book's `local` ones; None when they may be one edition's."""
    mine, theirs = _language(local.get("language")), _language(found.get("language"))
    if mine and theirs and not same_language(mine, theirs):
        said, book = language_name(theirs), language_name(mine)
        if said == book:  # one language, two regions or scripts: name the tags
            said, book = theirs, mine
        return f"{ANOTHER_EDITION}: {said}, not {book}"
    title, other = local.get("title"), found.get("title")
    if (
        isinstance(title, str)
        and isinstance(other, str)
        and not is_empty("title", title)
        and other
        and title_key(title)
        and title_key(other)
        and not same_title(title, other)
    ):
        return f"{ANOTHER_EDITION}: title differs"
    return None
