"""The library's metadata written into an EPUB's package document (OPF), on the user's request.

`rewrite_opf` is pure: it takes the OPF's bytes and the values to write and returns new bytes.
`rewrite_epub` copies the book's ZIP member by member (the `mimetype` entry first and stored, as
the EPUB container requires), with the new OPF and, when asked, a new cover image.

What is written (EPUB 2 and EPUB 3 alike unless said), and what it replaces:
- title: `dc:title`, replacing every `dc:title` (EPUB 3: with its refinements);
- subtitle: EPUB 3 only, a second `dc:title` refined `title-type subtitle`;
- authors: `dc:creator` with role `aut` (EPUB 2 `opf:role` and `opf:file-as`, EPUB 3
  refinements), replacing the creators whose role is `aut` or none; illustrators, editors and
  the like stay;
- series and index: `calibre:series` and `calibre:series_index` metas, and in EPUB 3 also a
  `belongs-to-collection` series;
- description, publisher: `dc:description`, `dc:publisher`;
- languages: a `dc:language` each, in order, replacing every `dc:language`;
- published: `dc:date` (EPUB 2 `opf:event="publication"`); creation and modification dates
  stay;
- ISBN-13: `dc:identifier` `urn:isbn:…` (EPUB 2 `opf:scheme="ISBN"`), replacing the ISBN
  identifiers but never the package's unique identifier;
- cover: a new JPEG item named by `<meta name="cover">` and, in EPUB 3, `cover-image`; the old
  image stays in the book (a cover page may still show it).

A value the library does not hold is left as the file has it, unless the user cleared it
(`cleared`). EPUB 3 books get a new `dcterms:modified`. A package that is not well-formed XML,
or an OEB 1 package, is refused rather than repaired: writing must never lose anything.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from bookorbit_desktop.library.metadata.epub import Entries, attr, check_drm, find_opf, local
from bookorbit_desktop.library.metadata.model import BookReadError, DamagedFileError

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
_AUTHOR_ROLES = frozenset({"", "aut"})
_SERIES_METAS = frozenset({"calibre:series", "calibre:series_index"})
COVER_ID = "bookorbit-cover"
MAX_OPF_BYTES = 16 * 1024 * 1024


class NotWritableError(BookReadError):
    """The file cannot be written safely (not an EPUB, malformed package, DRM)."""


@dataclass(frozen=True)
class Author:
    name: str
    sort_name: str | None = None


@dataclass(frozen=True)
class OpfValues:
    """What to write. None: the library holds no value (the file's is kept unless cleared)."""

    title: str
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    series: str | None = None
    series_index: float | None = None
    description: str | None = None
    publisher: str | None = None
    published: str | None = None
    languages: tuple[str, ...] = ()  # in order; none: the file's kept (a book needs one)
    isbn13: str | None = None
    cleared: frozenset[str] = field(default_factory=frozenset)  # fields the user emptied
    modified: str = ""  # EPUB 3 dcterms:modified, "CCYY-MM-DDThh:mm:ssZ"


def rewrite_opf(data: bytes, values: OpfValues, cover_href: str | None = None) -> bytes:
    """The package document `data` with `values` written in (see the module's table)."""
    try:
        root = etree.fromstring(data, _STRICT)
    except etree.XMLSyntaxError as error:
        raise NotWritableError(f"its package document is not well-formed XML ({error})") from error
    if local(root) != "package":
        raise NotWritableError("its package document is an OEB 1 file, which is not written")
    metadata = next((child for child in root if local(child) == "metadata"), None)
    if metadata is None or any(local(child) == "dc-metadata" for child in metadata):
        raise NotWritableError("its package document has no EPUB metadata section")
    epub3 = (root.get("version") or "").startswith("3")
    package = _Package(root, metadata, epub3)
    package.write(values)
    if cover_href is not None:
        package.set_cover(cover_href)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


class _Package:
    def __init__(self, root: etree._Element, metadata: etree._Element, epub3: bool) -> None:
        self.root, self.metadata, self.epub3 = root, metadata, epub3
        self.unique_id = root.get("unique-identifier")
        self.ns = root.tag.partition("}")[0] + "}" if root.tag.startswith("{") else ""
        self._ids = {e.get("id") for e in root.iter(tag=etree.Element) if e.get("id")}

    # -- reading what is there
    def _children(self, name: str) -> list[etree._Element]:
        return [child for child in self.metadata if local(child) == name]

    def _refines(self, element: etree._Element) -> list[etree._Element]:
        element_id = element.get("id")
        if not element_id:
            return []
        return [m for m in self._children("meta") if m.get("refines") == f"#{element_id}"]

    def _refined(self, element: etree._Element, prop: str) -> str | None:
        for meta in self._refines(element):
            if meta.get("property") == prop:
                return (meta.text or "").strip()
        return None

    def _remove(self, element: etree._Element) -> None:
        for meta in self._refines(element):
            self.metadata.remove(meta)
        self.metadata.remove(element)

    # -- writing
    def _new_id(self, stem: str) -> str:
        number = 1
        while f"{stem}{number}" in self._ids:
            number += 1
        self._ids.add(f"{stem}{number}")
        return f"{stem}{number}"

    def _add(self, tag: str, text: str, **attributes: str) -> etree._Element:
        """A new child of <metadata>, declaring `dc:` or `opf:` where they are not in scope (so
        no reader meets a generated `ns0:` prefix)."""
        in_scope = {uri for prefix, uri in self.metadata.nsmap.items() if prefix}
        needed = {}
        if tag.startswith(f"{{{DC}}}") and DC not in in_scope:
            needed["dc"] = DC
        if any(key.startswith(f"{{{OPF}}}") for key in attributes) and OPF not in in_scope:
            needed["opf"] = OPF
        element = etree.SubElement(self.metadata, tag, nsmap=needed or None)
        element.text = text or None
        for key, value in attributes.items():
            element.set(key, value)
        return element

    def _meta(self, text: str, **attributes: str) -> etree._Element:
        """A <meta> in the package's own namespace (the OPF's, or none in a sloppy file)."""
        return self._add(f"{self.ns}meta", text, **attributes)

    def _refine(self, element: etree._Element, prop: str, text: str) -> None:
        if not element.get("id"):
            element.set("id", self._new_id(local(element)))
        self._meta(text, refines=f"#{element.get('id')}", property=prop)

    def _replace(
        self,
        name: str,
        value: str | None,
        cleared: bool,
        keep: Callable[[etree._Element], bool] = lambda _element: False,
    ) -> bool:
        """Drop the `dc:name` elements (those `keep` does not keep) when there is a new value
        or the user cleared it; True when the caller should add the new one."""
        if value is None and not cleared:
            return False
        for element in self._children(name):
            if not keep(element):
                self._remove(element)
        return value is not None

    def write(self, values: OpfValues) -> None:
        cleared = values.cleared
        self._replace("title", values.title, False)
        title = self._add(f"{{{DC}}}title", values.title)
        if self.epub3 and values.subtitle:
            self._refine(title, "title-type", "main")
            subtitle = self._add(f"{{{DC}}}title", values.subtitle)
            self._refine(subtitle, "title-type", "subtitle")
        self._write_authors(values.authors, "authors" in cleared)
        for name, value in (("description", values.description), ("publisher", values.publisher)):
            if self._replace(name, value, name in cleared):
                self._add(f"{{{DC}}}{name}", value or "")
        if self._replace("language", values.languages[0] if values.languages else None, False):
            for code in values.languages:
                self._add(f"{{{DC}}}language", code)
        if self._replace("date", values.published, "published" in cleared, self._other_date):
            extra = {} if self.epub3 else {f"{{{OPF}}}event": "publication"}
            self._add(f"{{{DC}}}date", values.published or "", **extra)
        if self._replace("identifier", values.isbn13, "isbn" in cleared, self._keep_identifier):
            extra = {} if self.epub3 else {f"{{{OPF}}}scheme": "ISBN"}
            kept = self._children("identifier")
            isbn = self._add(f"{{{DC}}}identifier", f"urn:isbn:{values.isbn13}", **extra)
            if kept:  # first: a reader takes the first ISBN, and a kept unique id may be one
                kept[0].addprevious(isbn)

        self._write_series(values.series, values.series_index, "series" in cleared)
        if self.epub3 and values.modified:
            for meta in self._children("meta"):
                if meta.get("property") == "dcterms:modified" and not meta.get("refines"):
                    self.metadata.remove(meta)
            self._meta(values.modified, property="dcterms:modified")

    def _role(self, creator: etree._Element) -> str:
        role = attr(creator, "role") or self._refined(creator, "role") or ""
        return role.strip().casefold()

    def _write_authors(self, authors: tuple[Author, ...], cleared: bool) -> None:
        if not authors and not cleared:
            return
        for creator in self._children("creator"):
            if self._role(creator) in _AUTHOR_ROLES:
                self._remove(creator)
        for author in authors:
            if self.epub3:
                creator = self._add(f"{{{DC}}}creator", author.name)
                self._refine(creator, "role", "aut")
                if author.sort_name:
                    self._refine(creator, "file-as", author.sort_name)
            else:
                extra = {f"{{{OPF}}}file-as": author.sort_name} if author.sort_name else {}
                self._add(f"{{{DC}}}creator", author.name, **{f"{{{OPF}}}role": "aut"}, **extra)

    def _other_date(self, element: etree._Element) -> bool:
        """Creation and modification dates are not the publication date: kept."""
        return (attr(element, "event") or "publication").casefold() != "publication"

    def _keep_identifier(self, element: etree._Element) -> bool:
        """Only ISBNs are replaced, and never the package's unique identifier."""
        if self.unique_id and element.get("id") == self.unique_id:
            return True
        scheme = attr(element, "scheme") or self._refined(element, "identifier-type") or ""
        text = (element.text or "").strip().casefold()
        return scheme.casefold() != "isbn" and not text.startswith(("urn:isbn:", "isbn:"))

    def _write_series(self, series: str | None, index: float | None, cleared: bool) -> None:
        if series is None and not cleared:
            return
        for meta in self._children("meta"):
            if meta.get("name") in _SERIES_METAS:
                self.metadata.remove(meta)
            elif (
                meta.get("property") == "belongs-to-collection"
                and not meta.get("refines")
                and self._refined(meta, "collection-type") in (None, "series")
            ):
                self._remove(meta)
        if series is None:
            return
        self._meta("", name="calibre:series", content=series)
        if index is not None:
            self._meta("", name="calibre:series_index", content=f"{index:g}")
        if self.epub3:
            collection = self._meta(series, property="belongs-to-collection")
            self._refine(collection, "collection-type", "series")
            if index is not None:
                self._refine(collection, "group-position", f"{index:g}")

    def set_cover(self, href: str) -> None:
        """Point the package's cover at a new JPEG item `href` (relative to the OPF)."""
        manifest = next((child for child in self.root if local(child) == "manifest"), None)
        if manifest is None:
            raise NotWritableError("its package document has no manifest")
        for item in manifest:
            tokens = (item.get("properties") or "").split()
            if "cover-image" in tokens:
                rest = " ".join(token for token in tokens if token != "cover-image")
                if rest:
                    item.set("properties", rest)
                else:
                    del item.attrib["properties"]
        item_id = COVER_ID if COVER_ID not in self._ids else self._new_id(COVER_ID + "-")
        self._ids.add(item_id)
        item = etree.SubElement(manifest, f"{self.ns}item", id=item_id, href=href)
        item.set("media-type", "image/jpeg")
        if self.epub3:
            item.set("properties", "cover-image")
        for meta in self._children("meta"):
            if meta.get("name") == "cover":
                self.metadata.remove(meta)
        self._meta("", name="cover", content=item_id)


def rewrite_epub(source: Path, target: Path, values: OpfValues, cover: bytes | None) -> None:
    """Write `source` with `values` (and the JPEG `cover`) into the new file `target`."""
    try:
        with zipfile.ZipFile(source) as archive:
            entries = Entries(archive)
            check_drm(entries)
            opf_name = find_opf(entries)
            if opf_name is None:
                raise NotWritableError("it has no package document (OPF)")
            opf_dir = posixpath.dirname(opf_name)
            cover_name = _free_name(entries, opf_dir, "bookorbit-cover", ".jpg") if cover else None
            cover_href = posixpath.relpath(cover_name, opf_dir or ".") if cover_name else None
            opf = rewrite_opf(entries.read(opf_name, MAX_OPF_BYTES), values, cover_href)
            _copy_members(archive, target, {opf_name: opf}, cover_name, cover)
    except zipfile.BadZipFile as error:
        raise DamagedFileError(f"it is not a readable ZIP file ({error})") from error


def _free_name(entries: Entries, folder: str, stem: str, suffix: str) -> str:
    number = 0
    while True:
        name = posixpath.join(folder, f"{stem}{'-' + str(number) if number else ''}{suffix}")
        if entries.find(name) is None:
            return name
        number += 1


def _copy_members(
    archive: zipfile.ZipFile,
    target: Path,
    replaced: dict[str, bytes],
    added_name: str | None,
    added: bytes | None,
) -> None:
    infos = archive.infolist()
    # The container wants `mimetype` first and stored; keep every other member's order.
    infos.sort(key=lambda info: info.filename != "mimetype")
    with zipfile.ZipFile(target, "w") as out:
        for info in infos:
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.external_attr, copy.create_system = info.external_attr, info.create_system
            copy.compress_type = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else info.compress_type
            )
            data = replaced.get(info.filename)
            out.writestr(copy, archive.read(info) if data is None else data)
        if added_name is not None and added is not None:
            out.writestr(zipfile.ZipInfo(added_name), added, zipfile.ZIP_STORED)
