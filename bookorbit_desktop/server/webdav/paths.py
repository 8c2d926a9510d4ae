"""Where a /dav/ request path points inside the account's folder, and the hrefs it answers with.

A path is decoded by aiohttp already; each segment must be a plain name: no `..` or `.`, no
hidden names (the folder keeps its partial uploads in a hidden place), no backslash or NUL.
`/x` and `/x/` are the same place (KOReader sends both spellings).
"""

from __future__ import annotations

from urllib.parse import quote

from bookorbit_desktop.errors import BookOrbitError

PREFIX = "/dav"
# Characters a KOReader release may leave raw in a path (2024.11 does for these).
_SAFE = "/!*'()~-._"


class BadPathError(BookOrbitError):
    title = "Not a place in the WebDAV folder"


def inside_parts(path: str) -> tuple[str, ...] | None:
    """The segments of `path` below /dav/, () for the folder itself; None when `path` is not
    under /dav at all. Raises BadPathError for a segment that could leave the folder."""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        return None
    parts = tuple(part for part in path[len(PREFIX) :].split("/") if part)
    for part in parts:
        if part in (".", "..") or part.startswith(".") or "\\" in part or "\x00" in part:
            raise BadPathError(f"{part!r} is not an allowed file or folder name.")
    return parts


def child_href(own_href: str, name: str, *, folder: bool) -> str:
    """The href of `name` inside the collection answered at `own_href` (as the client sent it)."""
    base = own_href if own_href.endswith("/") else own_href + "/"
    return base + quote(name, safe=_SAFE) + ("/" if folder else "")
