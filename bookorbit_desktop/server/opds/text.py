"""Text rules for the catalog: what goes into the XML, and how search compares text.

Titles and names are written as single trimmed lines without characters XML cannot carry;
the download file name KOReader derives is computed from exactly these strings. Search folds
case and accents with the library's `fold`, so a query compares like the indexed text.
"""

from __future__ import annotations

import re

from bookorbit_desktop.descriptions import plain_text
from bookorbit_desktop.library.search.fold import fold

SUMMARY_LIMIT = 4000  # characters; a summary is a preview, not the whole blurb

# Characters XML 1.0 cannot carry, plus the C1 controls it only tolerates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\v\f\u2028\u2029\x85]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot (or should not) carry."""
    return _NOT_XML.sub("", text)


def feed_line(text: str | None) -> str:
    """A title or name as the feed writes it: one trimmed line of XML-safe text."""
    if not text:
        return ""
    return _LINE_BREAKS.sub(" ", xml_safe(text)).strip()


def plain_summary(description: str | None, limit: int = SUMMARY_LIMIT) -> str:
    """A book description (plain text or HTML) as plain text paragraphs, at most `limit` long.

    The words are those the library's description rule keeps (`descriptions.plain_text`):
    nothing of a script, a style or a comment in a stored description reaches a catalog."""
    if not description or not description.strip():
        return ""
    text = plain_text(xml_safe(description))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def search_terms(query: str) -> list[str]:
    """The folded words of a search query; every one must match."""
    return [term for term in fold(feed_line(query)).split() if term]


UNTITLED = "Untitled"


def entry_title(title: str | None) -> str:
    """The title an entry carries (KOReader names the downloaded file after it)."""
    return feed_line(title) or UNTITLED


def entry_authors(names: tuple[str, ...] | list[str]) -> list[str]:
    """The author names an entry carries, in order, blanks dropped."""
    return [line for line in (feed_line(name) for name in names) if line]
