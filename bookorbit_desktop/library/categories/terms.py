"""The search (`library.search.grammar`) that finds a category value's books, so that a click
in the browser filters the table the way the filter box does, and the two combine with `and`.

    authors  `authors:="Jane Austen"`        series, publishers, languages, formats alike
    ratings  `rating:=4.5`
    tags     `tags:="fiction"`; a tag with children also finds theirs, with one pattern (an
             `or` of the two terms reads the books twice): `tags:~"^fiction(\\.|$)"`
    #label   a custom column's value as its kind is searched: `#mood:="calm"`, `#stars:=4.5`,
             `#owned:yes`; a tag-like column's dotted values as the tags' (`#genre:~…`)
"""

from __future__ import annotations

from bookorbit_desktop.library.metadata.languages import language_label
from bookorbit_desktop.library.reading.values import stars

_SPECIAL = frozenset(r".^$*+?{}[]\|()")

FIELDS = {
    "authors": "authors",
    "series": "series",
    "publishers": "publisher",
    "languages": "language",
    "formats": "format",
    "tags": "tags",
}


def quoted(text: str) -> str:
    """`text` in double quotes, as the search language reads them back (`\\"`, `\\\\`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(kind: str, value: str) -> str:
    """A value as the browser shows it: a rating in stars as the table shows it ("★★★★½"), a
    format in capitals, a language by name ("French", "Portuguese (BR)"; its search names the
    code)."""
    if kind == "ratings":
        return stars(float(value))
    if kind == "languages":
        return language_label(value)
    return value.upper() if kind == "formats" else value


def value_search(kind: str, value: str) -> str:
    """The search that finds the books whose `kind` is `value` (case and accents aside)."""
    return f"{FIELDS[kind]}:={quoted(value)}" if kind != "ratings" else f"rating:={value}"


def _escaped(text: str) -> str:
    """`text` as a pattern that matches it literally."""
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


def tree_search(field: str, path: str, *, has_children: bool) -> str:
    """The search for the value `path` of `field`, a list of dotted names (the tags, a tag-like
    column's values) and, when it has children, every value below it."""
    if not has_children:
        return f"{field}:={quoted(path)}"
    return f"{field}:~" + quoted("^" + _escaped(path) + r"(\.|$)")


def column_search(label: str, datatype: str, value: str) -> str:
    """The search that finds the books whose custom column `#label` (of calibre's `datatype`)
    has `value` (a rating in stars, a yes/no as yes or no; case and accents aside)."""
    if datatype == "rating":
        return f"#{label}:={value}"
    if datatype == "bool":
        return f"#{label}:{value.lower()}"  # "Yes" as #owned:yes
    return f"#{label}:={quoted(value)}"


def column_label(datatype: str, value: str) -> str:
    """A custom column's value as the browser shows it: a rating as the ratings are."""
    return label("ratings", value) if datatype == "rating" else value
