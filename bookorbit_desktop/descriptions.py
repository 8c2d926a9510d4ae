"""What a book description may contain, whichever way it arrived.

A description is stored either as plain text or as HTML (`is_html`: it has something an HTML
parser takes for a tag). Every description passes `clean_description` before it is stored:
an ebook file's, one from Open Library, Google Books or Hardcover (pages anyone can edit), and
the user's own edit. HTML keeps only text markup (paragraphs, line breaks, emphasis, lists,
headings, block quotes) and links to web pages (http and https, with a host); images,
scripts, styles, forms, frames, event handlers, `style` attributes and every other kind of
URL are dropped, the text inside a script or style too. Plain text is tidied (runs of spaces
become one, at most one blank line between paragraphs). Cleaning is idempotent (of one that
cleaning lengthens past `MAX_CHARACTERS`, a second cleaning cuts it again).

Before it is cleaned, a description longer than `MAX_CHARACTERS` is cut to that length, and
HTML nested deeper than `MAX_DEPTH` elements is cut where it goes deeper (the cleaner's time
grows with the square of the nesting: 40,000 nested elements took it six seconds). A cut
description ends in "…", and the log says what was cut.

What shows a description cleans it again (`display_html`), so one stored before this rule
existed, or restored from an old backup, is never rendered as it came; `plain_text` gives a
catalog the words alone. The cleaning is nh3's (the maintained binding of the ammonia
sanitiser), with the allow-lists below. nh3 and lxml load with the first description cleaned,
not with the window.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import nh3

TAGS = frozenset(
    {"p", "br", "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "cite", "q",
     "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "a"}
)  # fmt: skip
ATTRIBUTES = {"a": frozenset({"href", "title"})}
LINK_SCHEMES = frozenset({"http", "https"})
# Added to every link: the page opened learns nothing of where the link was.
LINK_REL = "noopener noreferrer nofollow"

# Something an HTML parser reads as a tag, a closing tag, a comment or a declaration.
_TAG = re.compile(r"<[A-Za-z/!?]")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_OTHER_BLANKS = ("\t", "\f", "\v", "\u00a0")  # what `_SPACES` changes, with two spaces
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_PASSES = 4  # more than any nesting the property tests found needs
MAX_CHARACTERS = 100_000  # ten times a long blurb; what is past it is cut
MAX_DEPTH = 64  # elements inside one another; what is past it is cut
CUT_MARK = "…"
# An opening or closing tag's start (a comment's `<div>` counts too: a cut may come early).
_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
# Elements that never hold others: they open no level of nesting.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip

log = logging.getLogger(__name__)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def is_html(text: str) -> bool:
    """Whether `text` is HTML rather than plain text ("a < b" is plain text)."""
    return _TAG.search(text) is not None


def is_web_link(url: str) -> bool:
    """An http or https URL naming a host: the only links a description keeps and opens."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an unreadable address, such as a broken IPv6 host
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(host) and url == url.strip()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not is_web_link(value):
        return None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    import nh3

    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags={"script", "style", "template", "title", "noscript", "iframe", "object"},
        # "*": no attribute on every tag (nh3 would keep `lang` and `title` anywhere).
        attributes={"*": set(), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
        attribute_filter=_keep_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
    )


def _tidy_plain(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Each run of blanks one space, each line stripped, at most one blank line in a row: each
    # rule over the whole text at once, and only when the text holds what it changes (a pass
    # of every rule over each line was most of the cost of a catalog entry's summary).
    if "  " in text or any(blank in text for blank in _OTHER_BLANKS):
        text = _SPACES.sub(" ", text)
    text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _too_deep(markup: str) -> int | None:
    """Where `markup` opens its element `MAX_DEPTH` + 1 deep, or None if it never does."""
    depth = 0
    for tag in _TAG_START.finditer(markup):
        if tag[1]:
            depth = max(depth - 1, 0)
        elif tag[2].lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                return tag.start()
    return None


def _cut_long(text: str) -> str:
    """`text` cut to `MAX_CHARACTERS` (not inside a tag), marked, if it is longer."""
    if len(text) <= MAX_CHARACTERS:
        return text
    cut = text[:MAX_CHARACTERS]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    log.warning("A description of %d characters was cut to %d", len(text), len(cut))
    return cut + CUT_MARK


def _clean_html(markup: str) -> str:
    deep = _too_deep(markup)
    if deep is not None:
        log.warning("A description nested more than %d elements deep was cut there", MAX_DEPTH)
        markup = markup[:deep] + CUT_MARK
    cleaner = _cleaner()
    cleaned = cleaner.clean(markup).strip()
    # Dropping a tag can leave a nesting that reads differently once parsed again
    # ("<h1><x><h1>" becomes "<h1><h1></h1></h1>", read as two headings): clean until the
    # markup stays as it is, so cleaning a stored description changes nothing. Markup the
    # first pass left as it was (every stored description) is stable already.
    for _ in range(_MAX_PASSES if cleaned != markup.strip() else 0):
        again = cleaner.clean(cleaned).strip()
        if again == cleaned:
            break
        cleaned = again
    if cleaned and not is_html(cleaned):
        # Text whose every tag was dropped stays HTML ("Tom &amp; Jerry" must not be read
        # as plain text later), so a paragraph holds it.
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def clean_description(value: str | None) -> str | None:
    """The description as it may be stored; None when nothing is left of it."""
    if value is None:
        return None
    text = _cut_long(value.strip())
    if is_html(text):
        return _clean_html(text) or None
    return _tidy_plain(text) or None


def display_html(value: str) -> str:
    """Rich text that shows a stored description safely: its HTML cleaned again, or its plain
    text escaped with its line breaks kept."""
    if is_html(value):
        return _clean_html(value)
    return f"<p style='white-space:pre-wrap'>{html.escape(value)}</p>"


def plain_text(value: str) -> str:
    """The words of a description: blocks become paragraphs separated by a blank line and
    `<br>` a line break; nothing of a script, a style or a comment comes through."""
    if not is_html(value):
        return _tidy_plain(value)
    # Control characters carry nothing in HTML text, and the tree below cannot hold them.
    cleaned = _CONTROLS.sub("", _clean_html(value))
    if not cleaned:
        return ""
    import lxml.html

    root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        element.text = "\n\n" + (element.text or "")
    return _tidy_plain(root.text_content())
