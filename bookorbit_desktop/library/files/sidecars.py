"""KOReader's settings folder beside a book (`Emma.sdr` beside `Emma.epub`), moved with the book
file by file, so no note or reading position is ever lost on the way.

KOReader keeps one folder per name without extension and one settings file per format inside
it (`metadata.epub.lua`, `metadata.pdf.lua`, each with a `.old` copy), so two books of one name
share it. The rules:
- A book takes the whole folder, unless the folder also holds another format's settings (a
  book of the same name beside it): then it takes its own settings files only, so `Emma.pdf`
  left behind keeps `metadata.pdf.lua`.
- A file already at the destination with the same bytes is not copied again; one with other
  bytes is a clash, and the book's move is refused with the reason before anything moves.
- A moved file is renamed on one drive; across drives it is copied through `safe.copy_file`
  (journaled with its size and checksum) and its source is deleted only by
  `delete_copied_sources`, once the copy is found whole.
- A link in the folder stays a link (`links`): across drives, and on one drive when it is
  relative and would name another path from the new folder, it is made anew at the new place,
  pointing at the moved file when it pointed at the book or at a file of the folder that moves
  with it, else at what it pointed at (a relative link stays relative). The move's own journal
  row stands for it: a copy rolled back removes the new link (`unlink_copies`), a copy
  finished removes the old one (`delete_copied_links`), each only while it names what the
  other does.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from bookorbit_desktop.library.files import safe, symlinks
from bookorbit_desktop.library.files.plan import sidecar


def _all_files(folder: str) -> list[str]:
    """Every file under `folder`, as paths relative to it (sorted)."""
    found = []
    for directory, _folders, files in os.walk(folder):
        found += [os.path.relpath(os.path.join(directory, name), folder) for name in files]
    return sorted(found)


_SETTINGS = re.compile(r"^metadata\.([^.]+)\.lua(?:\.old)?$", re.IGNORECASE)


def _own(book: str) -> str:
    """The format KOReader names the book's settings file after (`epub` for `metadata.epub.lua`)."""
    return os.path.splitext(book)[1].lstrip(".").lower()


def _others(book: str, files: list[str]) -> bool:
    """True when the sidecar also holds another format's settings (a book of the same name)."""
    own = _own(book)
    return any(
        (found := _SETTINGS.match(name)) is not None and found.group(1).lower() != own
        for name in files
    )


def files_of(book: str) -> list[str]:
    """The files of `book`'s sidecar that go with it (relative to the sidecar folder): all of
    them, unless another format's settings are there too; then its own settings files."""
    folder = sidecar(book)
    if not os.path.isdir(folder):
        return []
    files = _all_files(folder)
    if not _others(book, files):
        return files
    own = _own(book)
    return [
        name
        for name in files
        if (found := _SETTINGS.match(name)) is not None and found.group(1).lower() == own
    ]


def clash(old_book: str, new_book: str) -> str | None:
    """Why the sidecar cannot follow the book to `new_book` (a file there with other bytes),
    or None."""
    old, new = sidecar(old_book), sidecar(new_book)
    files = [] if os.path.islink(old) else files_of(old_book)
    if not files and not os.path.islink(old):
        return None  # no notes to move: nothing can clash
    in_way = os.path.lexists(new) and (os.path.islink(old) or not os.path.isdir(new))
    if in_way and not symlinks.one_file(old, new):
        return f"{new} is in the way of KOReader's notes"
    for name in files:
        there = os.path.join(new, name)
        if os.path.lexists(there) and not safe.same_bytes(os.path.join(old, name), there):
            return f"KOReader's notes clash: {there} already exists with other contents"
    return None


def move(old_book: str, new_book: str) -> None:
    """Rename the book's sidecar files to its new sidecar (one drive); an identical file already
    there stands for its source, which goes. A sidecar that is a link is linked anew, and so is
    a relative link in it that would name another path from the new place (`links`). On an
    error, the files already renamed go back and the error is raised."""
    old, new = sidecar(old_book), sidecar(new_book)
    if os.path.islink(old):
        if not os.path.lexists(new):
            symlinks.relink(old, new)
        os.remove(old)
        return
    if os.path.isdir(old) and symlinks.one_file(old, new):
        os.rename(old, new)  # only the case of its name changes (a drive that ignores case)
        return
    files = files_of(old_book)
    relinked = {
        link: named
        for link, there, named in links(old_book, new_book)
        if os.readlink(link) != symlinks.link_text(link, there, named)
    }
    if files and not os.path.lexists(new) and files == _all_files(old) and not relinked:
        os.rename(old, new)  # the whole folder is the book's, and nothing is in its way
        return
    moved: list[tuple[str, str]] = []
    there: list[str] = []  # sources already standing at the target: deleted at the end
    try:
        for name in files:
            source, target = os.path.join(old, name), os.path.join(new, name)
            if os.path.lexists(target):
                if (source in relinked and _names(target, relinked[source])) or (
                    not symlinks.one_file(source, target) and safe.same_bytes(source, target)
                ):
                    there.append(source)
                continue  # a clash: refused before the move; a later run finds it again
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if source in relinked:  # a relative link that would name another path from there
                symlinks.relink(source, target, relinked[source])
                there.append(source)
            else:
                os.rename(source, target)
            moved.append((source, target))
    except OSError:
        for source, target in reversed(moved):
            os.remove(target) if source in relinked else os.rename(target, source)
        prune(new)
        raise
    for source in there:
        os.remove(source)
    prune(old)


def links(old_book: str, new_book: str) -> list[tuple[str, str, str]]:
    """The links among the book's sidecar files: (the link, its new place, the path the new
    link is to name)."""
    old, new = sidecar(old_book), sidecar(new_book)
    if os.path.islink(old):
        return []
    files = files_of(old_book)
    found = []
    for name in files:
        link = os.path.join(old, name)
        if not os.path.islink(link):
            continue
        named = symlinks.link_target(link)
        if named == os.path.normpath(old_book):
            named = new_book
        elif os.path.dirname(named) and os.path.relpath(named, old) in files:
            named = os.path.join(new, os.path.relpath(named, old))
        found.append((link, os.path.join(new, name), named))
    return found


def _names(link: str, path: str) -> bool:
    return os.path.islink(link) and symlinks.link_target(link) == os.path.normpath(path)


def copy(old_book: str, new_book: str, move_id: int) -> None:
    """Copy the book's sidecar files to its new sidecar, each journaled under `move_id`; a
    sidecar that is a link, or a link in it, is linked anew (`links`)."""
    old, new = sidecar(old_book), sidecar(new_book)
    if os.path.islink(old):
        if not os.path.lexists(new):
            symlinks.relink(old, new)
        return
    made = {link: (there, named) for link, there, named in links(old_book, new_book)}
    for name in files_of(old_book):
        source, target = Path(old, name), Path(new, name)
        if os.fspath(source) in made:
            if not os.path.lexists(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                symlinks.relink(source, target, made[os.fspath(source)][1])
            continue
        if os.path.lexists(target):  # identical (checked by `clash`): it stands for the source
            if not symlinks.one_file(source, target):
                safe.adopt(source, target, move_id)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        safe.copy_file(source, target, move_id=move_id)


def delete_copied_sources(move_id: int) -> list[str]:
    """Delete the sources of the move's journaled copies (the book file and its sidecar files)
    that are found whole, drop their rows, and remove emptied sidecar folders; the sources
    kept, each with why (its copy is not whole, or it could not be deleted)."""
    kept = []
    for copied in safe.copies_of_move(move_id):
        try:
            deleted = safe.delete_if_copied(
                copied.source, copied.target, copied.size, copied.sha256
            )
        except OSError as error:
            kept.append(f"{copied.source} ({error.strerror or error})")
            safe.forget(copied.row)
            continue
        if deleted:
            safe.forget(copied.row)
            prune(_sidecar_root(copied.source))
        else:
            kept.append(f"{copied.source} (its copy is not whole)")
    return kept


def delete_copied_links(old_book: str, new_book: str) -> None:
    """A finished copy: each old link of the sidecar goes once its new one names its path."""
    for link, there, named in links(old_book, new_book):
        if _names(there, named):
            os.remove(link)


def unlink_copies(old_book: str, new_book: str) -> None:
    """A copy rolled back: each new link made for one of the sidecar's links goes."""
    for _link, there, named in links(old_book, new_book):
        if _names(there, named):
            os.remove(there)


def forget_copies(move_id: int) -> None:
    """The move's copies stay beside their sources (a kept copy): their rows go."""
    for copied in safe.copies_of_move(move_id):
        safe.forget(copied.row)


def roll_back(move_id: int) -> None:
    """Undo the copies of a move that never finished: each copy it wrote whose source is still
    whole goes (nothing is lost: the source has the same bytes), and the rows with them; a
    file that was already there stays."""
    for copied in safe.copies_of_move(move_id):
        size, sha = copied.size, copied.sha256
        if (
            not copied.adopted
            and safe.matches(copied.target, size, sha)
            and safe.matches(copied.source, size, sha)
        ):
            os.remove(copied.target)
            prune(_sidecar_root(copied.target))
        safe.forget(copied.row)


def drop_copy(copy_book: str, original_book: str) -> None:
    """Undo a kept copy's sidecar: each copied file identical to the original's goes; a file the
    copy's reader changed since stays."""
    copied, original = sidecar(copy_book), sidecar(original_book)
    for name in files_of(copy_book):
        there, kept = os.path.join(copied, name), os.path.join(original, name)
        if not symlinks.one_file(there, kept) and safe.same_bytes(there, kept):
            os.remove(there)
    prune(copied)


def _sidecar_root(path: str) -> str:
    """The `.sdr` folder a sidecar file lies in (its nearest parent named so)."""
    current = os.path.dirname(path)
    while current and not current.endswith(".sdr") and current != os.path.dirname(current):
        current = os.path.dirname(current)
    return current


def prune(folder: str) -> None:
    """Remove `folder` and the folders under it when they hold no file."""
    if not folder.endswith(".sdr") or not os.path.isdir(folder):
        return
    for directory, _folders, _files in sorted(os.walk(folder), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it keeps what is in it
            os.rmdir(directory)
