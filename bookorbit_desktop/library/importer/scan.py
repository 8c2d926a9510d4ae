"""Finding the ebook files to import among the files and folders a user names.

Folders are walked recursively in name order; hidden entries, KOReader's `.sdr` folders and
the data folder itself are skipped, and only file names with an ebook extension are picked up
(covers, `metadata.opf` sidecars and notes next to the books are counted as ignored). A file
named explicitly is always tried, whatever its name.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.library.importer.summary import ImportFailure
from bookorbit_desktop.library.metadata.extensions import SUPPORTED_EXTENSIONS

__all__ = ["FoundFiles", "ImportFailure", "collect_file_names", "find_files", "source_ranges"]

# Folders never walked into besides hidden ones: macOS archive metadata.
_SKIPPED_FOLDERS = frozenset({"__MACOSX"})


@dataclass(frozen=True)
class FoundFiles:
    """The files an import of some sources deals with, found once: an import that finds them
    not all unchanged hands them from the quick answer to the full import (walking a large
    library twice cost as much as deciding which of its files are unchanged)."""

    files: list[str]
    failures: list[ImportFailure]
    ignored: int
    started: float  # time.monotonic() when the walk began: the import's start


def find_files(
    sources: Iterable[str | os.PathLike[str]], *, skip: Iterable[Path] = ()
) -> FoundFiles:
    """`collect_file_names`, with when it began."""
    started = time.monotonic()
    files, failures, ignored = collect_file_names(sources, skip=skip)
    return FoundFiles(files, failures, ignored, started)


def collect_file_names(
    sources: Iterable[str | os.PathLike[str]], *, skip: Iterable[Path] = ()
) -> tuple[list[str], list[ImportFailure], int]:
    """(ebook files in order, failures for missing sources, count of ignored files).

    The files are text (absolute, normalised paths): making a Path per file was most of the
    time of walking a big folder, and an import needs one only for the files it reads. Folders
    in `skip` (the data folder, when it lies inside an imported folder) are not walked.
    """
    skipped = {str(folder.resolve()) for folder in skip}
    sources = list(sources)
    files: list[str] = []
    failures: list[ImportFailure] = []
    ignored = 0
    seen: set[str] = set()
    resolved = _resolver()
    for number, source in enumerate(sources, start=1):
        path = resolved(source)
        if os.path.isdir(path):
            found, not_books = _walk(path, skipped)
            ignored += not_books
        elif os.path.isfile(path):
            found = [path]
        elif os.path.exists(path):
            failures.append(ImportFailure(Path(path), "not a regular file"))
            continue
        else:
            failures.append(ImportFailure(Path(path), "no such file or folder"))
            continue
        # A walk finds each file once: only a later source can name one again (so the files
        # of the last source, most often the only one, are not remembered).
        if seen:
            found = [file for file in found if file not in seen]
        if number < len(sources):
            seen.update(found)
        files.extend(found)
    return files, failures, ignored


def source_ranges(sources: Iterable[str | os.PathLike[str]]) -> list[tuple[str, str]]:
    """Ranges of text, [low, high) in the order of code points, that hold every path
    `collect_file_names` can find for `sources`: each source's own path, and every path under
    it (which begins with the source's path and a separator). Sorted and apart, so that the
    library's files these sources can meet are read range by range in the order of their
    paths, and none of the others."""
    ranges = []
    resolved = _resolver()
    for source in sources:
        path = resolved(source)
        # The source itself: only a text holding NUL, which no path does, lies between.
        ranges.append((path, path + "\x01"))
        under = os.path.join(path, "")  # "/" stays "/"
        ranges.append((under, under[:-1] + chr(ord(under[-1]) + 1)))
    ranges.sort()
    merged: list[tuple[str, str]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _resolved(source: str | os.PathLike[str]) -> Path:
    """The absolute path a source names, links resolved where they can be."""
    path = Path(source).expanduser()
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _resolver() -> Callable[[str | os.PathLike[str]], str]:
    """`_resolved` for many sources at once, as text: each folder on their paths is resolved
    once (a calibre library names each file on its own, in a folder of its own), then a name
    in a resolved folder is followed only when it is a link. A path with `..` in it is
    resolved whole. The folders are remembered for these sources only."""
    folders: dict[str, str] = {}

    def resolved(source: str | os.PathLike[str]) -> str:
        path = os.path.expanduser(os.fspath(source))
        if not os.path.isabs(path) or ".." in path.split(os.sep):
            return str(_resolved(path))
        folder, name = os.path.split(os.path.normpath(path))
        if not name:
            return folder  # the root
        known = folders.get(folder)
        if known is None:
            known = folders[folder] = resolved(folder)
        named = os.path.join(known, name)
        return str(_resolved(named)) if os.path.islink(named) else named

    return resolved


def _walk(root: str, skipped: set[str]) -> tuple[list[str], int]:
    """The ebook files under `root` in `os.walk` order (a folder's files by name, then its
    folders by name, symbolic links to folders not followed, unreadable folders passed over),
    and how many other visible files there were. One `scandir` per folder and names joined to
    the folder's prefix: `os.walk` and `os.path.join` per file were most of the time of
    walking a big folder."""
    found: list[str] = []
    ignored = 0
    pending = [root]  # a stack: the next folder to walk last
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        prefix = os.path.join(folder, "")
        names: list[str] = []
        folders: list[str] = []
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                names.append(name)
            elif (
                not name.startswith(".")
                and not name.endswith(".sdr")
                and name not in _SKIPPED_FOLDERS
                and prefix + name not in skipped
                and not _is_link(entry)
            ):
                folders.append(name)
        visible = [name for name in names if not name.startswith(".")]
        # `name_has_supported_extension`, inline: a call per file costs as much as the test.
        # A name is casefolded only when it does not end in an extension as it is: most do,
        # and a casefolded copy of every name cost more than the test itself.
        kept = [
            name
            for name in visible
            if name.endswith(SUPPORTED_EXTENSIONS) or name.casefold().endswith(SUPPORTED_EXTENSIONS)
        ]
        ignored += len(visible) - len(kept)
        kept.sort()
        found.extend([prefix + name for name in kept])
        folders.sort(reverse=True)
        pending.extend(prefix + name for name in folders)
    return found, ignored


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False
