"""What a PROPFIND body may be: nothing, or a small `DAV:propfind` document.

Every property the folder has is sent whatever the body asks for (KOReader asks for a few), so
the body is only checked, never used: at most `MAX_BODY_BYTES`, well-formed XML without a
document type (so no entity can expand), nested less deep than the parser's limit, with
`propfind` in the `DAV:` namespace at its root. Anything else is a 4xx, never an error of the
server: 413 for too large, 400 for the rest.
"""

from __future__ import annotations

from lxml import etree

from bookorbit_desktop.errors import BookOrbitError

MAX_BODY_BYTES = 16 * 1024  # KOReader's body is about 200 bytes
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
)


class BadPropfind(BookOrbitError):
    title = "Not a PROPFIND body"
    status = 400


class PropfindTooLarge(BadPropfind):
    status = 413


TOO_LARGE = f"A PROPFIND body may be at most {MAX_BODY_BYTES // 1024} KiB."


def check_body(raw: bytes) -> None:
    """Return when `raw` is a body a WebDAV client may send with PROPFIND; else raise."""
    if len(raw) > MAX_BODY_BYTES:
        raise PropfindTooLarge(TOO_LARGE)
    if not raw.strip():
        return  # no body: all properties, as RFC 4918 says
    if b"<!DOCTYPE" in raw.upper():
        raise BadPropfind("A PROPFIND body may not declare a document type.")
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        raise BadPropfind("The PROPFIND body is not well-formed XML.") from error
    if root.tag != "{DAV:}propfind":
        raise BadPropfind("The PROPFIND body must be a DAV: propfind element.")
