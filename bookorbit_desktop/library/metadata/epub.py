"""EPUB metadata read straight from the package document (OPF).

`META-INF/container.xml` names the OPF; its `<metadata>` holds everything we need. Loading the
whole book (as general-purpose EPUB libraries do) is slow and fails on many real files whose
manifest or table of contents points at fragments or missing files, so only the container, the
OPF and the cover image are read. Namespaces are matched by local name because real OPFs get
them wrong (Dublin Core 1.0 URIs, missing `opf:` prefixes, OEB 1 `<dc-metadata>` wrappers).
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from lxml import etree

from bookorbit_desktop.library.metadata.limits import MAX_COVER_BYTES as USABLE_COVER_BYTES
from bookorbit_desktop.library.metadata.model import (
    BookMetadata,
    BookReadError,
    Creator,
    DamagedFileError,
    DrmError,
    parse_published,
    parse_series_index,
)

log = logging.getLogger(__name__)

XML_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)
# Font obfuscation (IDPF and Adobe) only scrambles embedded fonts; the book itself is readable.
FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
MAX_XML_BYTES = 16 * 1024 * 1024
MAX_COVER_BYTES = 24 * 1024 * 1024
_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/jpg")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
# Dates whose opf:event says they are not the publication date.
_NOT_PUBLICATION = frozenset({"modification", "creation", "conversion"})


def local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attr(element: etree._Element, name: str) -> str | None:
    """An attribute by local name in any (or no) namespace: `opf:role`, `role`, ..."""
    value = element.get(name)
    if value is not None:
        return value
    suffix = "}" + name
    for key, value in element.attrib.items():
        if key.endswith(suffix):
            return value
    return None


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def parse_xml(data: bytes) -> etree._Element | None:
    """Parse possibly malformed XML without network access or entity expansion."""
    try:
        return etree.fromstring(data, XML_PARSER)
    except etree.XMLSyntaxError:
        return None


class Entries:
    """Zip member lookup that tolerates wrong case, backslashes and %-escaped names."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {info.filename: info for info in archive.infolist()}
        self._folded: dict[str, str] | None = None

    def find(self, name: str) -> str | None:
        if name in self.names:
            return name
        if self._folded is None:
            self._folded = {}
            for real in self.names:
                self._folded.setdefault(real.replace("\\", "/").casefold(), real)
        for candidate in (name, unquote(name)):
            folded = self._folded.get(candidate.replace("\\", "/").casefold())
            if folded is not None:
                return folded
        return None

    def read(self, name: str, limit: int, head: int | None = None) -> bytes:
        """The member `name` (at most `limit` bytes), or only its first `head` bytes (its
        checksum then unchecked)."""
        info = self.names[name]
        if info.file_size > limit:
            raise DamagedFileError(f"{name} inside the book is implausibly large")
        try:
            if head is not None and info.file_size > head:
                with self.archive.open(info) as member:
                    return member.read(head)
            return self.archive.read(info)
        except RuntimeError as error:  # zip-level password
            raise DrmError("its contents are password-protected") from error
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
            raise DamagedFileError(f"damaged ZIP data in {name} ({error})") from error


def check_drm(entries: Entries) -> None:
    """Refuse books whose content is encrypted (fonts-only obfuscation is fine)."""
    if entries.find("META-INF/license.lcpl"):
        raise DrmError("encrypted with Readium LCP DRM; import a DRM-free copy")
    if entries.find("META-INF/sinf.xml"):
        raise DrmError("encrypted with Apple FairPlay DRM; import a DRM-free copy")
    rights = entries.find("META-INF/rights.xml")
    encryption = entries.find("META-INF/encryption.xml")
    if encryption is None:
        return
    root = parse_xml(entries.read(encryption, MAX_XML_BYTES))
    if root is None:
        if rights:
            raise DrmError("encrypted with Adobe DRM; import a DRM-free copy")
        return
    for method in root.iter(tag=etree.Element):
        if local(method) != "EncryptionMethod":
            continue
        algorithm = (method.get("Algorithm") or "").strip()
        if algorithm not in FONT_OBFUSCATION:
            vendor = "Adobe DRM" if rights else "DRM"
            raise DrmError(f"encrypted with {vendor}; import a DRM-free copy")


def find_opf(entries: Entries) -> str | None:
    """The package document named by container.xml, else the first .opf in the archive."""
    container = entries.find("META-INF/container.xml")
    if container is not None:
        root = parse_xml(entries.read(container, MAX_XML_BYTES))
        if root is not None:
            for rootfile in root.iter(tag=etree.Element):
                if local(rootfile) != "rootfile":
                    continue
                media_type = rootfile.get("media-type") or "application/oebps-package+xml"
                full_path = rootfile.get("full-path")
                if full_path and media_type == "application/oebps-package+xml":
                    found = entries.find(full_path.lstrip("/"))
                    if found is not None:
                        return found
    candidates = sorted(name for name in entries.names if name.casefold().endswith(".opf"))
    return candidates[0] if candidates else None


@dataclass
class _Package:
    """The parts of an OPF we use, collected in one pass."""

    titles: list[tuple[str | None, str]] = field(default_factory=list)
    creators: list[tuple[str | None, etree._Element]] = field(default_factory=list)
    identifiers: list[tuple[str | None, etree._Element]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    dates: list[tuple[str | None, str]] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)  # EPUB 2 <meta name content>
    refines: dict[str, dict[str, str]] = field(default_factory=dict)  # EPUB 3 refinements
    collections: list[tuple[str | None, str]] = field(default_factory=list)
    manifest: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> item
    guide_cover: str | None = None


def _collect(root: etree._Element) -> _Package:
    package = _Package()
    for element in root.iter(tag=etree.Element):
        name = local(element)
        if name == "title":
            package.titles.append((element.get("id"), text_of(element)))
        elif name == "creator":
            package.creators.append((element.get("id"), element))
        elif name == "identifier":
            package.identifiers.append((element.get("id"), element))
        elif name == "language":
            package.languages.append(text_of(element))
        elif name == "publisher":
            package.publishers.append(text_of(element))
        elif name == "date":
            package.dates.append((attr(element, "event"), text_of(element)))
        elif name == "description":
            package.descriptions.append(text_of(element))
        elif name == "meta":
            _collect_meta(package, element)
        elif name == "item":
            item_id = element.get("id") or ""
            package.manifest[item_id] = (
                element.get("href") or "",
                (element.get("media-type") or "").casefold(),
                element.get("properties") or "",
            )
        elif name == "reference" and (element.get("type") or "").casefold() == "cover":
            package.guide_cover = package.guide_cover or element.get("href")
    return package


def _collect_meta(package: _Package, element: etree._Element) -> None:
    meta_name = element.get("name")
    if meta_name:
        package.named.setdefault(meta_name.casefold(), (element.get("content") or "").strip())
        return
    prop = (element.get("property") or "").strip()
    value = text_of(element)
    refines = (element.get("refines") or "").strip().lstrip("#")
    if refines:
        package.refines.setdefault(refines, {}).setdefault(prop, value)
    elif prop == "belongs-to-collection":
        package.collections.append((element.get("id"), value))


def _pick_title(package: _Package) -> str | None:
    titles = [(title_id, text) for title_id, text in package.titles if text]
    for title_id, text in titles:
        if title_id and package.refines.get(title_id, {}).get("title-type") == "main":
            return text
    return titles[0][1] if titles else None


def _creators(package: _Package) -> list[Creator]:
    found: list[tuple[float, int, Creator]] = []
    for order, (creator_id, element) in enumerate(package.creators):
        refined = package.refines.get(creator_id or "", {})
        role = (attr(element, "role") or refined.get("role") or "aut").strip().casefold()
        file_as = attr(element, "file-as") or refined.get("file-as")
        sequence = parse_series_index(refined.get("display-seq"))
        creator = Creator(text_of(element), role or "aut", file_as)
        found.append((sequence if sequence is not None else float("inf"), order, creator))
    return [creator for _, _, creator in sorted(found, key=lambda item: item[:2])]


def _identifiers(package: _Package) -> list[tuple[str | None, str]]:
    pairs: list[tuple[str | None, str]] = []
    for identifier_id, element in package.identifiers:
        refined = package.refines.get(identifier_id or "", {})
        scheme = attr(element, "scheme") or refined.get("identifier-type")
        pairs.append((scheme, text_of(element)))
    return pairs


def _published(package: _Package) -> str | None:
    ranked = sorted(
        package.dates,
        key=lambda item: {"publication": 0, None: 1}.get((item[0] or "").casefold() or None, 2),
    )
    for event, value in ranked:
        if (event or "").casefold() not in _NOT_PUBLICATION:
            date = parse_published(value)
            if date:
                return date
    return None


def _series(package: _Package) -> tuple[str | None, float | None]:
    fallback: tuple[str | None, float | None] = (None, None)
    for collection_id, name in package.collections:
        refined = package.refines.get(collection_id or "", {})
        position = parse_series_index(refined.get("group-position"))
        kind = refined.get("collection-type", "").casefold()
        if kind == "series" and name:
            return name, position
        if not kind and name and fallback[0] is None:
            fallback = (name, position)
    calibre = package.named.get("calibre:series")
    if calibre:
        return calibre, parse_series_index(package.named.get("calibre:series_index"))
    return fallback


def read_opf(root: etree._Element) -> tuple[BookMetadata, _Package]:
    """The metadata of a parsed OPF (the cover is resolved separately)."""
    package = _collect(root)
    series, series_index = _series(package)
    metadata = BookMetadata(
        format="epub",
        title=_pick_title(package),
        creators=[creator for creator in _creators(package) if creator.name],
        languages=[value for value in package.languages if value],
        raw_identifiers=_identifiers(package),
        series=series,
        series_index=series_index,
        publisher=next((value for value in package.publishers if value), None),
        published=_published(package),
        description=next((value for value in package.descriptions if value), None),
        sort_title=package.named.get("calibre:title_sort") or None,
    )
    return metadata, package


def _resolve(base_dir: str, href: str) -> str:
    target = unquote(href.split("#", 1)[0]).strip()
    return posixpath.normpath(posixpath.join(base_dir, target)).lstrip("/")


def cover_member(package: _Package, opf_dir: str, entries: Entries) -> str | None:
    """The zip member holding the cover image, following the usual conventions in order."""
    manifest = package.manifest
    for href, _media_type, properties in manifest.values():
        if "cover-image" in properties.split():
            return entries.find(_resolve(opf_dir, href))
    declared = package.named.get("cover")
    if declared:
        item = manifest.get(declared)
        href = item[0] if item else declared  # some tools put the href in `content`
        found = entries.find(_resolve(opf_dir, href))
        if found and found.casefold().endswith(_IMAGE_SUFFIXES):
            return found
    if package.guide_cover:
        found = _image_in_page(entries, _resolve(opf_dir, package.guide_cover))
        if found:
            return found
    for item_id, (href, media_type, _) in manifest.items():
        if media_type in _IMAGE_TYPES and "cover" in (item_id + href).casefold():
            return entries.find(_resolve(opf_dir, href))
    return None


def _image_in_page(entries: Entries, page: str) -> str | None:
    """The first image an (X)HTML cover page shows."""
    name = entries.find(page)
    if name is None:
        return name
    if name.casefold().endswith(_IMAGE_SUFFIXES):
        return name
    try:
        document = lxml.html.document_fromstring(entries.read(name, MAX_XML_BYTES))
    except (etree.ParserError, ValueError, BookReadError):
        return None
    for element in document.iter(tag=etree.Element):
        if local(element) in ("img", "image"):
            src = element.get("src") or attr(element, "href")
            if src:
                return entries.find(_resolve(posixpath.dirname(name), src))
    return None


def read_epub(
    path: Path, archive: zipfile.ZipFile, *, cover_head: int | None = None
) -> BookMetadata:
    """Metadata and cover bytes of the EPUB open in `archive`; with `cover_head`, only the
    cover's first `cover_head` bytes, and none of a cover larger than a usable one can be
    (`limits.MAX_COVER_BYTES`; see `reader.read_metadata`)."""
    entries = Entries(archive)
    check_drm(entries)
    opf_name = find_opf(entries)
    if opf_name is None:
        raise DamagedFileError("not a valid EPUB: it has no package document (.opf)")
    root = parse_xml(entries.read(opf_name, MAX_XML_BYTES))
    if root is None:
        log.warning("Unreadable package document in %s; using the file name", path)
        return BookMetadata(format="epub")
    metadata, package = read_opf(root)
    member = cover_member(package, posixpath.dirname(opf_name), entries)
    if member is not None:
        try:
            limit = MAX_COVER_BYTES if cover_head is None else USABLE_COVER_BYTES
            metadata.cover = entries.read(member, limit, cover_head)
        except BookReadError as error:
            log.warning("Cover of %s not read: %s", path, error)
    return metadata
