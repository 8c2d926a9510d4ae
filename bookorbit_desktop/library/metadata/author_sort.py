"""The author sort rule: the text an author is filed under ("Albert Camus" -> "Camus, Albert").

This is the rule calibre users know (its `author_sort_copy_method = 'comma'` with its default
prefixes, suffixes and copy words, and surname prefixes kept with the surname), so a library
moved from calibre files its authors where the user expects them:

| the name                 | filed as                  | why                               |
|--------------------------|---------------------------|-----------------------------------|
| Albert Camus             | Camus, Albert             | last word first                   |
| J. R. R. Tolkien         | Tolkien, J. R. R.         |                                   |
| Ursula K. Le Guin        | Le Guin, Ursula K.        | particles stay with the surname   |
| Antoine de Saint-Exupéry | de Saint-Exupéry, Antoine |                                   |
| Walter de la Mare        | de la Mare, Walter        | (every one before it)             |
| Martin Luther King Jr.   | King, Martin Luther Jr.   | a suffix stays last               |
| Dr. Seuss                | Seuss                     | a title is dropped                |
| Homer                    | Homer                     | one word: as it is                |
| Le Corbusier             | Le Corbusier              | particles and a surname: as it is |
| Gabriel García Márquez   | Márquez, Gabriel García   | a double surname is not guessed   |
| Tolkien, J. R. R.        | Tolkien, J. R. R.         | already filed                     |
| 村上春樹, 한 강           | as they are               | family name first                 |
| Acme Publishing Company  | Acme Publishing Company   | a copy word: an organisation      |

Words are compared without regard to case, and a prefix or suffix with or without its final
full stop ("Dr" and "Dr.", "Jr" and "Jr."). Text in brackets ("Prince (musician)") is ignored
when working out the order. The rule is a guess: the user can file an author by hand, and a
book's own `file-as` is taken over it at import.
"""

from __future__ import annotations

import re

# Words that, anywhere in the name, make it an organisation's: filed as it is written.
COPY_WORDS = frozenset(
    word.casefold()
    for word in (
        "Corporation", "Company", "Co.", "Agency", "Council", "Committee", "Inc.",
        "Institute", "Society", "Club", "Team", "Association", "Foundation", "University",
        "Ltd.", "LLC",
    )
)  # fmt: skip
# Titles before a name, dropped from the sort.
PREFIXES = frozenset(("mr", "mrs", "ms", "dr", "prof"))
# Generations and degrees after a name, kept at the end of the sort.
SUFFIXES = frozenset(
    ("jr", "sr", "inc", "ph.d", "phd", "md", "m.d", "i", "ii", "iii", "iv", "junior", "senior")
)
# Particles that belong to the surname that follows them.
SURNAME_PREFIXES = frozenset(("da", "de", "del", "della", "di", "du", "la", "le", "van", "von"))

_WHITESPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
# Chinese, Japanese and Korean scripts: names written family name first.
_CJK = re.compile(
    r"[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u3400-\u4dbf"
    r"\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _word(token: str) -> str:
    """`token` as the word lists hold it: case folded, without a final full stop."""
    return token.casefold().removesuffix(".")


def author_sort(name: str) -> str:
    """The sort text of an author called `name` (see the module's table); whitespace in it is
    collapsed, and a name the rule does not reorder comes back as it is."""
    text = _WHITESPACE.sub(" ", name).strip()
    if "," in text or _CJK.search(text):
        return text
    tokens = _WHITESPACE.sub(" ", _BRACKETED.sub(" ", text)).split()
    if len(tokens) < 2 or any(token.casefold() in COPY_WORDS for token in tokens):
        return text
    first = 0
    while first < len(tokens) and _word(tokens[first]) in PREFIXES:
        first += 1
    last = len(tokens) - 1
    while last >= first and _word(tokens[last]) in SUFFIXES:
        last -= 1
    if last < first:
        return text  # nothing but titles and suffixes
    start = last
    while start > first and tokens[start - 1].casefold() in SURNAME_PREFIXES:
        start -= 1
    if start == first and start < last:
        return text  # a surname with its particles ("Le Corbusier"), no given name
    surname = " ".join(tokens[start : last + 1])
    given = " ".join(tokens[first:start])
    suffix = " ".join(tokens[last + 1 :])
    filed = f"{surname}, {given}" if given else surname  # "Dr. Seuss": one word left
    return f"{filed} {suffix}" if suffix else filed
