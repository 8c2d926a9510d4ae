"""The file name KOReader saves an OPDS download under (kosync-protocol.md §6.3).

KOReader's "filename" sync method identifies a book by the md5 of its file name, so the
catalog registers the names a download will get. KOReader builds the name from the entry as
it parsed it from our feed:

- `author` is the entry's LAST `<author>` name ("Unknown Author" without one), `title` its title;
- since v2025.08: `replaceAllInvalidChars(author .. " - " .. title)` (each of \\/:*?"<>| becomes
  `_`, trailing dots and whitespace are dropped), then `.` and the lowercase extension;
- then `getSafeFilename`: split at the last dot, newlines and tabs become spaces, text that looks
  like HTML is reduced to plain text, the name is cut to 240 bytes (a cut UTF-8 sequence is
  dropped), then on VFAT storage and on Android the invalid-character replacement again,
  elsewhere only `/` is replaced.
- Before v2025.08 the first replacement did not happen, the replacement set also held `,`, it
  did not trim trailing dots, and newlines were kept.

These are pure functions over the exact strings written into the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

UNKNOWN_AUTHOR = "Unknown Author"  # KOReader's default (in its English interface)
NAME_LIMIT_BYTES = 240
EXTENSION_LIMIT_BYTES = 10

# Lua's %s: ASCII whitespace only (Python's \s would also match Unicode spaces).
_WS = " \t\n\v\f\r"
_INVALID = re.compile(r'[\\/:*?"<>|]')
_LEGACY_INVALID = re.compile(r'[\\,/:*?"<>|]')
_TRAILING_DOTS_SPACES = re.compile(rf"[.{_WS}]+\Z")


def replace_all_invalid_chars(text: str) -> str:
    """KOReader's `util.replaceAllInvalidChars` (v2025.08 and later)."""
    return _TRAILING_DOTS_SPACES.sub("", _INVALID.sub("_", text))


def _legacy_replace_all_invalid_chars(text: str) -> str:
    return _LEGACY_INVALID.sub("_", text)


def _replace_slash(text: str) -> str:
    return text.replace("/", "_")


def _codepoint(number: int) -> str:
    if 0xD800 <= number <= 0xDFFF or number >= 0x110000:
        return "\ufffd"
    return chr(number)


# Replaced in this order; "&amp;" must come last.
_ENTITIES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    *(
        (re.compile(re.escape(entity)), lambda _m, char=char: char)
        for entity, char in (
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&quot;", '"'),
            ("&lsquo;", "\u2018"),
            ("&rsquo;", "\u2019"),
            ("&ldquo;", "\u201c"),
            ("&rdquo;", "\u201d"),
            ("&mdash;", "\u2014"),
            ("&apos;", "'"),
            ("&nbsp;", "\u00a0"),
        )
    ),
    (re.compile(r"&#([0-9]+);"), lambda m: _codepoint(int(m.group(1)))),
    (re.compile(r"&#x([0-9A-Fa-f]+);"), lambda m: _codepoint(int(m.group(1), 16))),
    (re.compile("&amp;"), lambda _m: "&"),
)


def html_entities_to_text(text: str) -> str:
    for pattern, replacement in _ENTITIES:
        text = pattern.sub(replacement, text)
    return text


def html_to_plain_text(text: str) -> str:
    text = re.sub(rf"[{_WS}]*<[{_WS}]*br[{_WS}]*/?>[{_WS}]*", "\n", text)
    text = re.sub(rf"[{_WS}]*</[{_WS}]*p[{_WS}]*>[{_WS}]*", "\n", text)
    text = re.sub(rf"[{_WS}]*<[{_WS}]*p[{_WS}]*/>[{_WS}]*", "\n", text)
    text = re.sub(rf"[{_WS}]*<[{_WS}]*p[{_WS}]*>[{_WS}]*", "\n\t", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = html_entities_to_text(text)
    text = re.sub(rf"\A[{_WS}]*", "", text)
    return re.sub(rf"[{_WS}]*\Z", "", text)


def html_to_plain_text_if_html(text: str) -> str:
    """KOReader's guess: reduce `text` to plain text when it looks like HTML."""
    if re.search(r"<[A-Za-z0-9]+.*?>", text, re.DOTALL):
        return html_to_plain_text(text)
    if re.search(r"&lt;[A-Za-z]+&gt;", text):
        return html_to_plain_text(html_entities_to_text(text))
    return re.sub(rf"\]\]>[{_WS}]*\Z", "", text)


def _split_suffix(name: str) -> tuple[str, str]:
    if "." not in name:
        return name, ""
    head, _dot, tail = name.rpartition(".")
    return head, tail


def _cut_utf8(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_filename(name: str, *, strict_fs: bool, legacy: bool = False) -> str:
    """KOReader's `util.getSafeFilename` on VFAT/Android (`strict_fs`) or other storage."""
    if strict_fs:
        replace = _legacy_replace_all_invalid_chars if legacy else replace_all_invalid_chars
    else:
        replace = _replace_slash
    stem, suffix = _split_suffix(name)
    if len(suffix.encode("utf-8")) > EXTENSION_LIMIT_BYTES:
        stem, suffix = name, ""
    if not legacy:
        stem = re.sub(r"\r?\n", " ", stem).replace("\t", " ")
    stem = _cut_utf8(html_to_plain_text_if_html(stem), NAME_LIMIT_BYTES)
    if suffix:
        return f"{replace(stem)}.{replace(suffix)}"
    return replace(stem)


def _author_title(title: str, authors: Sequence[str]) -> str:
    author = authors[-1] if authors else UNKNOWN_AUTHOR
    return f"{author} - {title}"


def koreader_file_name(
    title: str, authors: Sequence[str], extension: str, *, strict_fs: bool = True
) -> str:
    """The name a current KOReader (v2025.08+) saves the download under."""
    stem = replace_all_invalid_chars(_author_title(title, authors))
    return safe_filename(f"{stem}.{extension.lower()}", strict_fs=strict_fs)


def legacy_koreader_file_name(
    title: str, authors: Sequence[str], extension: str, *, strict_fs: bool = True
) -> str:
    """The name KOReader releases before v2025.08 save the download under."""
    name = f"{_author_title(title, authors)}.{extension.lower()}"
    return safe_filename(name, strict_fs=strict_fs, legacy=True)


def download_file_names(title: str, authors: Sequence[str], extension: str) -> list[str]:
    """Every name KOReader may save this download under, the usual one (current, VFAT) first."""
    names = [
        koreader_file_name(title, authors, extension, strict_fs=True),
        koreader_file_name(title, authors, extension, strict_fs=False),
        legacy_koreader_file_name(title, authors, extension, strict_fs=True),
        legacy_koreader_file_name(title, authors, extension, strict_fs=False),
    ]
    return list(dict.fromkeys(names))
