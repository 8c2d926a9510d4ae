"""The 207 Multi-Status body of a PROPFIND, in the one shape stock KOReader can read.

KOReader reads the answer with string patterns, not an XML parser, so: every element carries
the `d:` prefix, a folder's resourcetype is a self-closing `<d:collection/>`, a file's is an
empty `<d:resourcetype/>` with `getcontentlength` and an RFC 1123 `getlastmodified`, and the
first response is the folder itself with exactly the href the request used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate
from xml.sax.saxutils import escape

CONTENT_TYPE = 'application/xml; charset="utf-8"'


@dataclass(frozen=True)
class Resource:
    href: str  # already percent-encoded, as it goes on the wire
    name: str
    folder: bool
    size: int
    modified: float  # Unix seconds
    etag: str | None = None  # files only, quoted


def http_date(seconds: float) -> str:
    """RFC 1123 date in GMT: `Sun, 06 Nov 1994 08:49:37 GMT`."""
    return formatdate(seconds, usegmt=True)


def _response(resource: Resource) -> str:
    props = [f"<d:displayname>{escape(resource.name)}</d:displayname>"]
    if resource.folder:
        props.append("<d:resourcetype><d:collection/></d:resourcetype>")
    else:
        props.append("<d:resourcetype/>")
        props.append(f"<d:getcontentlength>{resource.size}</d:getcontentlength>")
        props.append("<d:getcontenttype>application/octet-stream</d:getcontenttype>")
        if resource.etag is not None:
            props.append(f"<d:getetag>{escape(resource.etag)}</d:getetag>")
    props.append(f"<d:getlastmodified>{http_date(resource.modified)}</d:getlastmodified>")
    return (
        f"<d:response><d:href>{escape(resource.href)}</d:href>"
        f"<d:propstat><d:prop>{''.join(props)}</d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


def multistatus(resources: Iterable[Resource]) -> str:
    """The body for `resources`, the requested one first."""
    body = "\n".join(_response(resource) for resource in resources)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<d:multistatus xmlns:d="DAV:">\n{body}\n</d:multistatus>\n'
    )
