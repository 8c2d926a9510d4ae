"""Which rendering a catalog address answers with, from the request's `Accept` header: OPDS 1.2
(Atom) or OPDS 2.0 (JSON).

Every feed under /opds is also served as JSON under /opds/v2. At the /opds addresses the client
chooses: the JSON rendering to a client that prefers it, Atom to every other (every KOReader
before v2026.07 sends no `Accept` and reads only Atom). The /opds/v2 addresses are JSON whatever
is asked. The rule, after RFC 9110 section 12.5.1:

1. Each rendering gets the quality (`q`, 1 when absent) of the most specific media range that
   matches its type: `application/atom+xml` or `application/opds+json` itself before
   `application/*` before `*/*`; among ranges naming the type itself, the one with more
   parameters. Parameters other than `q` are not compared (OPDS clients send
   `application/atom+xml;profile=opds-catalog`, which every feed here is). `application/json`
   is another type: it does not ask for OPDS 2.0.
2. The higher quality wins.
3. On equal qualities above 0, the rendering whose range comes first in the header wins (KOReader
   lists the one it prefers first, all at q=1); one range matching both (`*/*`, `application/*`)
   is no preference, and Atom is answered.
4. Nothing matching, a header that cannot be read, or both refused (q=0): Atom, the rendering
   every OPDS client reads (never a 406: the catalog's user cannot change what KOReader sends).

| Accept (KOReader: v2026.07 and later) | answer |
|---|---|
| (none) | Atom |
| `*/*` | Atom |
| `application/atom+xml` | Atom |
| `application/opds+json` | JSON |
| `application/opds+json, application/atom+xml;profile=opds-catalog, */*` (KOReader) | JSON |
| `application/atom+xml;profile=opds-catalog, application/opds+json` | Atom |
| `application/atom+xml;q=0.9, application/opds+json` | JSON |
| `application/opds+json;q=0.5, */*` | Atom |
| `application/atom+xml;q=0, */*` | JSON |
| `application/*` | Atom |
| `application/json` | Atom |
| `text/html` | Atom |
| `application/opds+json;q=0, application/atom+xml;q=0` | Atom |

Every answer chosen this way carries `Vary: Accept`, so a cache keeps the two apart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Rendering(enum.Enum):
    ATOM = "application/atom+xml"
    JSON = "application/opds+json"


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    parameters: int  # how many besides q
    quality: float
    index: int  # its place in the header

    def matches(self, media_type: str) -> bool:
        wanted_type, wanted_subtype = media_type.split("/")
        if self.type == "*":
            return self.subtype == "*"
        return self.type == wanted_type and self.subtype in ("*", wanted_subtype)

    @property
    def specificity(self) -> tuple[int, int]:
        return (self.type != "*") + (self.subtype != "*"), self.parameters


def _quality(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def _ranges(accept: str) -> list[_Range]:
    """The media ranges of an `Accept` value; a range that cannot be read is left out."""
    found = []
    for index, part in enumerate(accept.split(",")):
        media, *parameters = part.split(";")
        kind, slash, subtype = media.strip().lower().partition("/")
        if not slash or not kind or not subtype:
            continue
        quality: float | None = 1.0
        others = 0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                quality = _quality(value)
            else:
                others += 1
        if quality is not None:
            found.append(_Range(kind, subtype, others, quality, index))
    return found


def _best(ranges: list[_Range], rendering: Rendering) -> _Range | None:
    matching = [r for r in ranges if r.matches(rendering.value)]
    return max(matching, key=lambda r: r.specificity, default=None)


def preferred(accept: str | None) -> Rendering:
    """The rendering a request with this `Accept` value gets (see the table above)."""
    ranges = _ranges(accept or "")
    atom, json = _best(ranges, Rendering.ATOM), _best(ranges, Rendering.JSON)
    if json is None or json.quality == 0:
        return Rendering.ATOM
    if atom is None or json.quality > atom.quality:
        return Rendering.JSON
    if json.quality == atom.quality and json.index < atom.index:
        return Rendering.JSON
    return Rendering.ATOM
