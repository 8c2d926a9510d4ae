"""Links and names that lead to one file, as the library's file work meets them (tidy's moves,
KOReader's sidecar files, the trash): whether two names are one file, and a symbolic link made
again at a new place, relative where it was."""

from __future__ import annotations

import os
from pathlib import Path

from bookorbit_desktop.library.durable import sync_path


def one_file(first: Path | str, second: Path | str) -> bool:
    """True when both names lead to one file (on a drive that ignores case, `Emma.epub` and
    `emma.epub`): deleting either would delete both."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def links_same(first: Path | str, second: Path | str) -> bool:
    """Both are links to one file or folder."""
    return (
        os.path.islink(first)
        and os.path.islink(second)
        and os.path.realpath(first) == os.path.realpath(second)
    )


def link_target(link: Path | str) -> str:
    """The path `link` names (its own text, taken from its folder when relative)."""
    return os.path.normpath(os.path.join(os.path.dirname(link), os.readlink(link)))


def relink(link: Path | str, new: Path | str, to: str | None = None) -> None:
    """Make a link at `new` to what `link` points at, or to `to` (the same file, moved): a
    relative link stays relative, written anew from its new folder. Flush its folder."""
    os.symlink(link_text(link, new, to), new)
    sync_path(Path(new).parent)


def link_text(link: Path | str, new: Path | str, to: str | None = None) -> str:
    """What a link at `new` says to name what `link` names, or `to` (`relink`'s rule)."""
    text = os.readlink(link)
    real = to or link_target(link)
    return real if os.path.isabs(text) else os.path.relpath(real, os.path.dirname(new))
