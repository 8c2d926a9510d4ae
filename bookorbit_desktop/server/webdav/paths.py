"""Where a /dav/ request path points inside the account's folder, and the hrefs it answers with.

A path is decoded by aiohttp already; each segment must be a plain name: no `..` or `.`, no
hidden names (the folder keeps its partial uploads in a hidden place), no backslash or NUL
(403), and short enough for every file system (a name of at most `MAX_NAME_BYTES` bytes, at
most `MAX_DEPTH` folders deep, 414 otherwise). `/x` and `/x/` are the same place (KOReader
sends both spellings).
"""

from __future__ import annotations

from urllib.parse import quote

from bookorbit_desktop.errors import BookOrbitError

PREFIX = "/dav"
MAX_NAME_BYTES = 255  # the longest file name ext4, APFS and NTFS all take
MAX_DEPTH = 16  # KOReader uses one folder
# Characters a KOReader release may leave raw in a path (2024.11 does for these).
_SAFE = "/!*'()~-._"


class BadPathError(BookOrbitError):
    title = "Not a place in the WebDAV folder"
    status = 403


class TooLongError(BadPathError):
    status = 414


def inside_parts(path: str) -> tuple[str, ...] | None:
    """The segments of `path` below /dav/, () for the folder itself; None when `path` is not
    under /dav at all. Raises BadPathError for a segment that could leave the folder."""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        return None
    parts = tuple(part for part in path[len(PREFIX) :].split("/") if part)
    if len(parts) > MAX_DEPTH:
        raise TooLongError(f"Folders may be at most {MAX_DEPTH} deep here.")
    for part in parts:
        if part in (".", "..") or part.startswith(".") or "\\" in part or "\x00" in part:
            raise BadPathError("This is not an allowed file or folder name.")
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            raise TooLongError(f"A file or folder name may be at most {MAX_NAME_BYTES} bytes.")
    return parts


def child_href(own_href: str, name: str, *, folder: bool) -> str:
    """The href of `name` inside the collection answered at `own_href` (as the client sent it)."""
    base = own_href if own_href.endswith("/") else own_href + "/"
    return base + quote(name, safe=_SAFE) + ("/" if folder else "")
