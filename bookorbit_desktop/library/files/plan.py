"""From a file-name pattern and a book's facts to the path its file should have: pure rules.

A pattern is a relative path whose `/` separate folders; the extension is added to the last
part. Placeholders:

    {author}    the first author ("Unknown Author" without one)
    {authors}   every author, joined by ", "
    {title}     the title
    {series}    the series name
    {number}    the number in the series, two digits ("03", "03.5")
    {year}      the year of publication
    {language}  the language code

Text in square brackets is left out when a placeholder in it is empty:
`{author}/[{series} {number} - ]{title}` names a book of no series `Author/Title.epub`.

Each part of the path is made legal for the target system (`Rules`): characters it forbids
(and control characters everywhere: an escape sequence in a file name is never wanted) become
`_`, names Windows reserves (CON, NUL, COM1, ...) get a `_`, trailing dots and spaces
and leading dots go, and a part too long is cut (on a UTF-8 character boundary) so that the
name, a collision number and KOReader's `.sdr` folder beside it still fit. Two books that
would get one name are numbered: `Title (2).epub`. Paths compare case-insensitively where the
file system does (Windows, macOS).
"""

from __future__ import annotations

import posixpath
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PLACEHOLDERS = ("author", "authors", "title", "series", "number", "year", "language")
DEFAULT_PATTERN = "{author}/[{series} {number} - ]{title}"
UNKNOWN_AUTHOR = "Unknown Author"
SIDECAR_SUFFIX = ".sdr"  # KOReader's settings folder beside a book: "<name without ext>.sdr"
_RESERVED_WINDOWS = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}
_CONTROL = "".join(chr(code) for code in range(32))
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


class PatternError(ValueError):
    """A pattern that names no file or uses an unknown placeholder."""


@dataclass(frozen=True)
class Rules:
    """What a file system accepts in a name."""

    forbidden: str
    reserved: frozenset[str] = frozenset()
    trim_trailing: str = ""  # characters a name may not end with
    max_part_bytes: int = 255  # one name, in UTF-8 bytes
    max_path_chars: int | None = None  # a whole path, in characters
    case_insensitive: bool = False

    @classmethod
    def for_system(cls, system: str) -> Rules:
        """The rules of "windows", "darwin" (macOS) or any other (Linux, BSD)."""
        if system == "windows":
            return cls(
                forbidden='<>:"/\\|?*' + _CONTROL,
                reserved=frozenset(_RESERVED_WINDOWS),
                trim_trailing=". ",
                max_path_chars=259,
                case_insensitive=True,
            )
        if system == "darwin":
            return cls(forbidden="/:" + _CONTROL, case_insensitive=True)
        return cls(forbidden="/" + _CONTROL)  # control characters: legal, but never wanted


@dataclass(frozen=True)
class BookFacts:
    """What a file's new name is made of."""

    file_id: int
    path: str  # where the file is now (absolute)
    title: str
    authors: tuple[str, ...] = ()
    series: str | None = None
    series_index: float | None = None
    published: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Rename:
    file_id: int
    old: str
    new: str


def check_pattern(pattern: str) -> str:
    """`pattern` if it names a file with known placeholders; PatternError otherwise."""
    if not pattern.strip() or pattern.strip().endswith("/"):
        raise PatternError("The pattern must end with a file name, such as {title}.")
    if pattern.startswith("/") or any(part == ".." for part in pattern.split("/")):
        raise PatternError("The pattern is a path inside the library folder: no leading / or ..")
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise PatternError(f"The pattern has an unmatched brace: {error}.") from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise PatternError(
            f"Unknown placeholder {', '.join('{' + n + '}' for n in unknown)}; use "
            + ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        )
    return pattern


def values(book: BookFacts) -> dict[str, str]:
    """Each placeholder's text for `book` ("" when the book has none)."""
    number = ""
    if book.series_index is not None:
        whole = int(book.series_index)
        number = (
            f"{whole:02d}"
            if book.series_index == whole
            else f"{book.series_index:05.2f}".rstrip("0")
        )
    year = (book.published or "")[:4]
    return {
        "author": book.authors[0] if book.authors else UNKNOWN_AUTHOR,
        "authors": ", ".join(book.authors) or UNKNOWN_AUTHOR,
        "title": book.title.strip(),
        "series": (book.series or "").strip(),
        "number": number if (book.series or "").strip() else "",
        "year": year if year.isdigit() else "",
        "language": book.language or "",
    }


def fill(pattern: str, fields: Mapping[str, str]) -> str:
    """`pattern` with its placeholders replaced; bracketed parts with an empty one left out.
    Slashes inside a value are not folders: they become part of the name (made legal later)."""
    safe = {name: text.replace("/", "\x00") for name, text in fields.items()}

    def optional(match: re.Match[str]) -> str:
        inner = match.group(1)
        names = [n for _, n, _, _ in string.Formatter().parse(inner) if n]
        return "" if any(not safe.get(name) for name in names) else inner.format_map(safe)

    return _OPTIONAL.sub(optional, pattern).format_map(safe)


def legal_part(text: str, rules: Rules, limit: int | None = None) -> str:
    """One folder or file name (no extension) made legal under `rules`, cut to `limit` bytes."""
    text = " ".join(text.split())  # tabs, newlines, runs of spaces: one space
    text = "".join("_" if char in rules.forbidden or char == "\x00" else char for char in text)
    text = text.lstrip(". ")
    text = _cut(text, rules.max_part_bytes if limit is None else limit)
    if rules.trim_trailing:
        text = text.rstrip(rules.trim_trailing)
    if text.split(".")[0].upper() in rules.reserved:
        text += "_"
    return text or "_"


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes, never inside a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore").rstrip()


def target(book: BookFacts, pattern: str, folder: str, rules: Rules) -> tuple[str, str]:
    """(folder path, file stem) of `book` under `pattern` in `folder`; the extension and any
    collision number are added by `plan`."""
    parts = [part for part in fill(pattern, values(book)).split("/") if part.strip()]
    if not parts:
        raise PatternError("The pattern gives this book no file name.")
    extension = posixpath.splitext(book.path.replace("\\", "/"))[1].lower()
    # Room for " (999)", the extension and ".sdr", whichever is longer.
    room = len(b" (999)") + max(len(extension.encode()), len(SIDECAR_SUFFIX))
    folders = [legal_part(part, rules) for part in parts[:-1]]
    stem = legal_part(parts[-1], rules, rules.max_part_bytes - room)
    directory = posixpath.join(folder, *folders) if folders else folder
    if rules.max_path_chars is not None:
        spare = rules.max_path_chars - len(directory) - 1 - room
        if spare < len(stem):
            stem = legal_part(stem[: max(spare, 8)], rules)
    return directory, stem


def plan(
    books: Sequence[BookFacts],
    pattern: str,
    folder: str,
    rules: Rules,
    taken: Iterable[str] = (),
) -> list[Rename]:
    """Where each book's file goes (files already where they belong are left out). `taken`:
    paths that exist now and are not among the files being moved; no target lands on one, nor
    two targets on one path. `folder` and every path use `/` (a Windows caller converts)."""
    check_pattern(pattern)

    def same(path: str) -> str:
        """`path` with Windows' backslashes as slashes (there a backslash separates folders)."""
        return path.replace("\\", "/") if "\\" in rules.forbidden else path

    def key(path: str) -> str:
        return same(path).casefold() if rules.case_insensitive else same(path)

    moving = {key(book.path) for book in books}
    occupied = {key(path) for path in taken if key(path) not in moving}
    targets = []
    for book in books:
        directory, stem = target(book, pattern, folder.rstrip("/") or "/", rules)
        extension = posixpath.splitext(book.path)[1].lower()
        targets.append((book, directory, stem, extension))
    # A file already where it belongs keeps its place (its case may still change): no other
    # book is numbered onto it.
    staying = {
        key(book.path)
        for book, directory, stem, extension in targets
        if key(posixpath.join(directory, stem + extension)) == key(book.path)
    }
    occupied |= staying
    renames = []
    for book, directory, stem, extension in targets:
        number = 1
        while True:
            suffix = "" if number == 1 else f" ({number})"
            candidate = posixpath.join(directory, f"{stem}{suffix}{extension}")
            if key(book.path) in staying or key(candidate) not in occupied:
                break
            number += 1
        occupied.add(key(candidate))
        if candidate != same(book.path):
            renames.append(Rename(book.file_id, book.path, candidate))
    return renames


def sidecar(path: str) -> str:
    """KOReader's settings folder of the book at `path`: `<path without extension>.sdr`."""
    return posixpath.splitext(path)[0] + SIDECAR_SUFFIX
