"""A publisher's collection is not a series. Pure.

Open Library's `series` field (on editions, and on some works) is copied from library
catalogues, where it names whatever "series statement" the book's title page carries: as often
the publisher's numbered collection ("Folio ; 2", "Reclams Universal-Bibliothek ; Nr. 559",
"Penguin Classics", "Le Livre de Poche ; 3051", "Everyman's Library ; 100") as the story's
series ("Discworld ; 1", "Foundation series #2"). A series in the library means the story's, so
`series_entry` splits such a string into a name and a number and `is_collection` keeps out
every name that is, by this rule, a publisher's collection:

- no name at all, only a number ("2", "Nr. 559");
- the name holds the edition's own publisher's name, as whole words ("Gallimard" from
  Gallimard, "Tor Fantasy" from Tor Books), the publisher's "Books", "Verlag", "Editions" …
  aside;
- the name is an imprint's book line: it ends with "Books" ("Puffin Books") or reads
  "A … Book" ("A Bantam Book", "An Ace science fiction book");
- the name holds a word or phrase that names a collection (`COLLECTION_WORDS`): a classics
  line ("Penguin Classics", "Oxford World's Classics", "Modern Library Classics"), a library or
  "Bibliothek" ("Everyman's Library", "Bibliothek Suhrkamp"), "Collection …", "Folio", "Livre de
  poche", "Taschenbuch", "Vintage …", "… Edition", or a known paperback line ("rororo", "dtv",
  "Heyne …", "J'ai lu", "Points", "Babel").

Words are compared whole, case and accents aside. A collection is kept as a subject (a tag
suggestion), never as the series.
"""

from __future__ import annotations

import re
import unicodedata

# Words and phrases that name a publisher's collection (folded: lower case, no accents).
COLLECTION_WORDS = (
    "classic",
    "classics",
    "classiques",
    "klassiker",
    "bibliothek",
    "bibliotheque",
    "biblioteca",
    "bibliotheca",
    "everyman",
    "everymans library",
    "modern library",
    "library of america",
    "collection",
    "coleccion",
    "colecao",
    "collana",
    "folio",
    "livre de poche",
    "poche",
    "pocket",
    "taschenbuch",
    "taschenbucher",
    "bucherei",
    "reihe",
    "edition",
    "editions",
    "vintage",
    "penguin",
    "reclam",
    "reclams",
    "rororo",
    "dtv",
    "suhrkamp",
    "insel",
    "detebe",
    "heyne",
    "goldmann",
    "j ai lu",
    "points",
    "babel",
    "serie noire",
    "masterworks",
    "paperback",
    "paperbacks",
)
# A publisher's name, these words aside, is compared with a series name.
_PUBLISHER_WORDS = frozenset(
    {"books", "book", "verlag", "editions", "edition", "publishing", "publishers", "press"}
    | {"inc", "ltd", "limited", "co", "company", "group", "gmbh", "ag", "sa", "llc", "the"}
)
_NUMBER = r"(?P<number>\d+(?:\.\d+)?)"
# A word before the number ("no.", "Nr.", "Bd.", "bk.", "pt.", "t.", "day", "book", "tome").
_MARK = r"(?:[^\W\d_]{1,8}\.?\s*)?#?\s*"
# Where a series statement puts its number: "Discworld ; 1", "Foundation, 2", "Discworld (1)",
# "Foundation series #2", "Dune -- 3", "Harry Potter book 4", "Kingkiller chronicle ; day 1".
_WITH_NUMBER = (
    re.compile(rf"^(?P<name>.*?)\s*[;,:]\s*{_MARK}{_NUMBER}\s*\.?$", re.IGNORECASE),
    re.compile(rf"^(?P<name>.*?)\s*\(\s*{_MARK}{_NUMBER}\s*\)\s*\.?$", re.IGNORECASE),
    re.compile(rf"^(?P<name>.*?)\s*(?:--|–|—|\s-)\s*{_MARK}{_NUMBER}\s*\.?$", re.IGNORECASE),
    re.compile(rf"^(?P<name>.*?)\s*#\s*{_NUMBER}\s*$"),
    re.compile(
        rf"^(?P<name>.*?)\s+(?:no|nr|vol|volume|book|bk|band|bd|tome)\.?\s*{_NUMBER}\s*$",
        re.IGNORECASE,
    ),
    re.compile(rf"^(?P<name>){_MARK}{_NUMBER}\s*$", re.IGNORECASE),
)
# "A Discworld novel", "An Inspector Rebus novel": the series is the words between.
_A_NOVEL = re.compile(r"^an?\s+(?P<name>.+?)\s+novels?$", re.IGNORECASE)
_SERIES_WORD = re.compile(r"\s+series$", re.IGNORECASE)


def _folded(text: str) -> str:
    """Lower case, accents and punctuation aside, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("'s ", "s ").replace("’s ", "s ")
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def series_entry(raw: str) -> tuple[str | None, float | None]:
    """A series statement as (name, number): "Discworld ; 1" -> ("Discworld", 1.0),
    "Foundation series #2" -> ("Foundation", 2.0), "A Discworld novel" -> ("Discworld",
    None), "Penguin Classics" -> ("Penguin Classics", None), "559" -> (None, 559.0). A
    trailing "series" is not part of the name."""
    text = " ".join(raw.split()).strip(" .;,")
    name, number = text, None
    for pattern in _WITH_NUMBER:
        found = pattern.match(text)
        if found:
            name, number = found.group("name"), float(found.group("number"))
            break
    name = _SERIES_WORD.sub("", name.strip(" .;,:-–—([")).strip()
    novel = _A_NOVEL.match(name)
    if novel:
        name = novel.group("name")
    return (name or None), number


def _contains(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def _publisher_core(publisher: str) -> str:
    return " ".join(w for w in _folded(publisher).split() if w not in _PUBLISHER_WORDS)


def is_collection(name: str | None, publisher: str | None = None) -> bool:
    """Whether a series name (as `series_entry` gives it) names a publisher's collection
    rather than the story's series (the rule in the module doc)."""
    folded = _folded(name or "")
    if not folded or folded.replace(" ", "").isdigit():
        return True
    core = _publisher_core(publisher or "")
    if len(core) >= 3 and _contains(folded, core):
        return True
    if folded.endswith(" books") or re.match(r"an? .+ book$", folded):
        return True
    return any(_contains(folded, phrase) for phrase in COLLECTION_WORDS)
